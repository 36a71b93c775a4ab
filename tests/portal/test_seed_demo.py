"""manage.py seed_demo: the source reports' numbers come out of the data, and every role can log in.

The seed runs once for the module (inside a transaction rolled back at the end); each test then
runs in its own savepoint.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Q
from django.test import override_settings

from accounts.models import User
from audit.models import HistoryEntry
from branches.models import Area, ContactPoint, LeadershipPost, Organization, OrgKind, Post, Role
from branches.stats import subtree_summary
from members.idcard import parse
from members.models import Member, Stage, StageStep
from portal.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

COMMITTEE_KINDS = (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # The test database is a throwaway one, on PostgreSQL too.
    with override_settings(DEMO_DATABASE=True), django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        # Fire PostgreSQL's deferred foreign-key checks for the seed now, once: left pending, every
        # test's savepoint rollback would bring them back and its teardown would re-run them all.
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def root(code: str) -> Organization:
    return Organization.objects.get(depth=1, code=code)


def test_zhouzhi_reads_as_the_report(demo):
    zz = root("ZZ")
    assert zz.name == "州直机关工委" and zz.kind == OrgKind.WORKING_COMMITTEE
    assert subtree_summary(zz).sentence == "下辖81个党委、21个党总支、557个党支部，共有党员9550名"
    assert "州直机关工委：下辖81个党委、21个党总支、557个党支部，共有党员9550名" in demo


def test_hancheng_bureau_and_town_schools(demo):
    bureau = root("HC")
    children = Organization.objects.children_of(bureau)
    direct = children.filter(kind=OrgKind.BRANCH)
    assert direct.count() == 14
    assert Member.objects.party_members().filter(org__in=direct).count() == 436

    towns = list(children.filter(kind__in=COMMITTEE_KINDS))
    assert len(towns) == 10 and children.count() == 24
    town_orgs = sum(Organization.objects.in_subtree(t, include_self=False).count() for t in towns)
    town_members = sum(subtree_summary(t).members for t in towns)
    assert (town_orgs, town_members) == (63, 993)
    assert subtree_summary(bureau).members == 1429


def test_yixing_areas_and_new_branches(demo):
    bureau = root("YX")
    branches = Organization.objects.in_subtree(bureau, include_self=False)
    assert branches.count() == 35 and set(branches.values_list("kind", flat=True)) == {OrgKind.BRANCH}
    areas = list(Area.objects.filter(owner=bureau).prefetch_related("branches"))
    assert len(areas) == 4
    for area in areas:
        assert area.leader and area.liaison and area.leader != area.liaison
    in_areas = [b.pk for area in areas for b in area.branches.all()]
    assert sorted(in_areas) == sorted(branches.values_list("pk", flat=True))
    assert sorted(branches.filter(founded_on__year=2010).values_list("name", flat=True)) == [
        "江苏博创工程设计院有限公司党支部",
        "江苏恒鸿建设咨询有限公司党支部",
        "江苏鸿成工程造价咨询有限公司党支部",
    ]


def test_other_units_named_in_the_reports(demo):
    zjl = root("ZJL")
    assert Organization.objects.in_subtree(zjl).filter(name="北二社区党委", kind=OrgKind.COMMITTEE).exists()
    assert Member.objects.filter(name="王希芬", org__path__startswith=zjl.path).exists()
    dh = Organization.objects.in_subtree(root("DH"))
    assert dh.filter(kind=OrgKind.BRANCH, is_temporary=True, name__contains="作业队党支部").count() >= 8
    assert Organization.objects.filter(depth=1).count() == 5


def test_codes_are_unique_and_follow_the_tree(demo):
    assert not any(Organization.objects.find_problems())  # paths, depths and numchild as treebeard keeps them
    codes = dict(Organization.objects.values_list("path", "code"))
    for path, code in codes.items():
        if len(path) > Organization.steplen:
            assert code.startswith(codes[path[: -Organization.steplen]] + "-"), code
    assert Organization.objects.values("code").distinct().count() == Organization.objects.count()


def test_people_are_consistent_and_unique(demo):
    rows = list(Member.objects.values_list("id_number", "birth_date", "gender", "phone"))
    assert len(rows) > 13000
    for number, birth, gender, _phone in rows:
        info = parse(number)
        assert (info.birth_date, info.gender) == (birth, gender), number
    assert len({r[0] for r in rows}) == len(rows)
    assert len({r[3] for r in rows}) == len(rows)
    assert all(len(phone) == 11 and phone.startswith("1") for *_, phone in rows)


def test_pipeline_and_probationary_members(demo):
    pipeline = Member.objects.filter(stage__in=[Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE])
    assert pipeline.count() >= 50
    assert not pipeline.filter(joined_on__isnull=False).exists()
    probationary = Member.objects.filter(stage=Stage.PROBATIONARY)
    assert probationary.exists() and not probationary.filter(confirmed_on__isnull=False).exists()
    full = Member.objects.filter(stage=Stage.FULL)
    assert not full.filter(Q(joined_on__isnull=True) | Q(confirmed_on__isnull=True)).exists()
    for member in pipeline[:20]:
        steps = list(StageStep.objects.filter(member=member).values_list("stage", flat=True))
        assert steps[-1] == member.stage and steps[0] == Stage.APPLICANT


def test_every_active_branch_has_a_secretary(demo):
    branches = Organization.objects.filter(kind=OrgKind.BRANCH, is_active=True)
    with_secretary = LeadershipPost.objects.filter(post=Post.SECRETARY, ended_on__isnull=True, org__in=branches)
    assert with_secretary.values("org").distinct().count() == branches.count()


def test_seeded_records_say_created_by_system(demo):
    org_type = ContentType.objects.get_for_model(Organization)
    entries = HistoryEntry.objects.filter(content_type=org_type, source=HistoryEntry.Source.SYSTEM)
    assert entries.filter(action=HistoryEntry.Action.CREATE).count() == Organization.objects.count()


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.username)
def test_demo_accounts_log_in(demo, client, account):
    assert client.login(username=account.username, password=DEMO_PASSWORD)
    user = User.objects.get(username=account.username)
    assert not user.must_change_password
    if account.member:
        assert Member.objects.filter(user=user).exists()


def test_staff_see_exactly_their_unit(demo):
    for account in DEMO_ACCOUNTS:
        if account.role != Role.STAFF:
            continue
        user = User.objects.get(username=account.username)
        (org,) = [ra.org for ra in user.role_assignments.all()]
        visible = set(Organization.objects.visible_to(user).values_list("pk", flat=True))
        assert visible == set(Organization.objects.in_subtree(org).values_list("pk", flat=True)), account.username


def test_sibling_secretaries_and_the_contact_point_leader(demo):
    one = User.objects.get(username="secretary_yixing_1")
    two = User.objects.get(username="secretary_yixing_2")
    branch_one = one.role_assignments.get().org
    branch_two = two.role_assignments.get().org
    assert branch_one.path[:-4] == branch_two.path[:-4]  # siblings
    assert list(Organization.objects.visible_to(one)) == [branch_one]
    assert not Member.objects.visible_to(one).filter(org=branch_two).exists()
    assert LeadershipPost.objects.filter(org=branch_one, post=Post.SECRETARY, member__user=one).exists()

    leader = User.objects.get(username="leader_demo")
    points = ContactPoint.objects.filter(leader__user=leader)
    assert 1 <= points.count() <= ContactPoint.MAX_PER_LEADER
    assert set(Organization.objects.visible_to(leader)) == {p.branch for p in points}

    member = User.objects.get(username="member_demo")
    assert list(Member.objects.visible_to(member)) == [member.member]


def test_refuses_outside_the_demo_database(demo):
    before = Organization.objects.count()
    with override_settings(DEMO_DATABASE=False), pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--reset", stdout=StringIO())
    assert Organization.objects.count() == before


def test_refuses_when_organizations_exist(demo):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_demo", stdout=StringIO())


def test_reset_rebuilds_the_same_data(demo):
    ids_before = set(Member.objects.values_list("id_number", flat=True))
    orgs_before = Organization.objects.count()
    out = StringIO()
    call_command("seed_demo", "--reset", stdout=out)
    assert set(Member.objects.values_list("id_number", flat=True)) == ids_before
    assert Organization.objects.count() == orgs_before
    assert User.objects.filter(username="admin").count() == 1
    assert "下辖81个党委、21个党总支、557个党支部，共有党员9550名" in out.getvalue()


def test_readme_lists_every_demo_account():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo accounts", 1)[1]
    for account in DEMO_ACCOUNTS:
        assert f"`{account.username}`" in section
    assert DEMO_PASSWORD in section


def test_each_unit_runs_a_campaign_in_progress_today(demo):
    from django.utils import timezone

    from campaigns.models import DEFAULT_PHASES, Campaign, PhaseKind

    today = timezone.localdate()
    for code in ("ZJL", "YX", "DH", "HC", "ZZ"):
        (campaign,) = Campaign.objects.filter(org=root(code))
        assert campaign.status(today) == "running", code
        assert campaign.current_phase(today).kind in (PhaseKind.LEADER_REVIEW, PhaseKind.MASS_EVALUATION), code
        assert [p.kind for p in campaign.phases.all()] == DEFAULT_PHASES
        assert campaign.carriers.count() >= 3
    hancheng = Campaign.objects.get(org=root("HC"))
    education = {"三学三比三争", "一校一品", "两培两带", "一旗一岗一承诺"}
    assert set(hancheng.carriers.values_list("name", flat=True)) == education
    assert Campaign.objects.get(org=root("ZJL")).carriers.filter(name__in=["四争四创", "楼院先锋"]).count() == 2
    assert Campaign.objects.get(org=root("ZZ")).carriers.filter(name="三制一卡").exists()
    # A branch secretary reads the committee's campaign; a sibling unit's staff does not see it.
    secretary = User.objects.get(username="secretary_yixing_1")
    assert list(Campaign.objects.visible_to(secretary)) == [Campaign.objects.get(org=root("YX"))]
    assert not Campaign.objects.manageable_by(secretary).exists()
    assert Campaign.objects.visible_to(User.objects.get(username="zhouzhi_staff")).count() == 1
    campaign_type = ContentType.objects.get_for_model(Campaign)
    assert HistoryEntry.objects.filter(content_type=campaign_type, source=HistoryEntry.Source.SYSTEM).count() == 5


def test_member_counts_kept_as_data_equal_the_rosters(demo):
    from members import headcount

    assert headcount.stored() == headcount.truth()
    assert headcount.stored()
