"""The dashboard keeps its figures a few minutes (reports/figures/cache.py): served again without
counting, forgotten when a service writes, counted again on the button, never used by a report; and
the number of queries does not grow with the tree."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, ActivityKind, AttendanceStatus
from branches.models import OrgKind
from campaigns.models import Campaign
from pledges.models import Category, Pledge, PledgeItem, Status
from reports import services as report_services
from reports.content import narrative
from reports.drafting import PROGRESS
from reports.figures import cache as figure_cache
from tests.factories import MemberFactory, make_org


def _today():
    return timezone.localdate()


def _activity(org, days_ago=5):
    return Activity.objects.create(
        org=org, branch=org, kind=ActivityKind.ASSEMBLY, held_on=_today() - timedelta(days=days_ago), title="党员大会"
    )


def _shown(client, org, **query):
    response = client.get(reverse("reports:dashboard"), {"org": org.pk, **query})
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_the_second_visit_is_served_from_the_kept_figures_with_their_time(world, login):
    _activity(world.branch_a)
    client = login(world.users.staff_jy)
    with CaptureQueriesContext(connection) as first:
        response = _shown(client, world.jy)
    assert response.context["stat"]["activities"] == 1
    with CaptureQueriesContext(connection) as again:
        response = _shown(client, world.jy)
    assert response.context["stat"]["activities"] == 1
    assert len(again) < len(first) - 15  # the figures' own queries are gone
    as_of = timezone.localtime(response.context["as_of"]).strftime("%H:%M")
    assert f"数据截至 {as_of}" in response.content.decode()
    assert "重新统计" in response.content.decode()


@pytest.mark.django_db
def test_a_service_write_forgets_the_kept_figures(world, login, django_capture_on_commit_callbacks):
    client = login(world.users.staff_jy)
    assert _shown(client, world.jy).context["stat"]["activities"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_create(
            org=world.branch_a,
            data={"kind": ActivityKind.ASSEMBLY, "held_on": _today() - timedelta(days=3), "title": "党员大会"},
            statuses={world.members_a[0].pk: AttendanceStatus.PRESENT},
            by=world.users.secretary_a,
        )
    assert _shown(client, world.jy).context["stat"]["activities"] == 1


@pytest.mark.django_db
def test_the_button_counts_again_what_no_service_announced(world, login):
    client = login(world.users.staff_jy)
    response = _shown(client, world.jy, campaign="")
    assert response.context["stat"]["activities"] == 0
    _activity(world.branch_b)  # written past the services: the kept figures cannot know
    assert _shown(client, world.jy, campaign="").context["stat"]["activities"] == 0
    start, end = response.context["start"], response.context["end"]
    url = reverse("reports:dashboard_refresh", args=[world.jy.pk])
    response = client.post(url, {"campaign": "", "start": start.isoformat(), "end": end.isoformat()})
    assert response.status_code == 302
    assert f"org={world.jy.pk}" in response["Location"] and f"start={start.isoformat()}" in response["Location"]
    response = client.get(response["Location"])
    assert response.context["stat"]["activities"] == 1
    # A date that does not exist forgets nothing and shows the page for the default period.
    response = client.post(url, {"campaign": "", "start": "2026-02-30", "end": end.isoformat()})
    assert response.status_code == 302 and "start=" not in response["Location"]
    # Only orgs the user reads: another tree's dashboard is not there to count.
    assert client.post(reverse("reports:dashboard_refresh", args=[world.zjl.pk])).status_code == 404


@pytest.mark.django_db
def test_a_report_is_drafted_from_fresh_figures_not_the_kept_ones(world, login):
    campaign = Campaign.objects.create(
        org=world.zz, name="创先争优活动", starts_on=date(_today().year, 1, 1), ends_on=date(_today().year, 12, 31)
    )
    client = login(world.users.staff_jy)
    start, end = campaign.starts_on, _today()
    query = {"campaign": campaign.pk, "start": start.isoformat(), "end": end.isoformat()}
    assert _shown(client, world.jy, **query).context["stat"]["activities"] == 0
    _activity(world.branch_a, days_ago=0)
    report = report_services.report_create(
        org=world.jy, campaign=campaign, period_start=start, period_end=end, template=PROGRESS, by=world.users.staff_jy
    )
    text = narrative(report.versions.get().content)
    assert "各级党组织共开展各类活动1次" in text
    assert _shown(client, world.jy, **query).context["stat"]["activities"] == 0  # kept until forgotten


def _keys(world, *names):
    today = _today()
    start = date(today.year, 1, 1)
    return {name: figure_cache.key(getattr(world, name), None, start, today, today) for name in names}


ORGS = ("zz", "jy", "branch_a", "branch_b", "wj", "hospital", "zjl")


@pytest.mark.django_db
def test_a_write_forgets_the_dashboards_of_its_org_and_those_above_not_the_others(world):
    before = _keys(world, *ORGS)
    assert before == _keys(world, *ORGS)  # the key is stable while nothing is written
    figure_cache.bump(world.group_a)  # e.g. an activity of 第一党小组
    after = _keys(world, *ORGS)
    assert {name for name in ORGS if after[name] != before[name]} == {"zz", "jy", "branch_a"}


@pytest.mark.django_db
def test_a_rule_forgets_the_dashboards_above_and_below_its_owner(world):
    before = _keys(world, *ORGS)
    figure_cache.bump_subtree(world.jy)
    after = _keys(world, *ORGS)
    assert {name for name in ORGS if after[name] != before[name]} == {"zz", "jy", "branch_a", "branch_b"}
    figure_cache.bump_subtree(None)  # a default rule: every dashboard
    assert all(_keys(world, *ORGS)[name] != after[name] for name in ORGS)
    figure_cache.bump()
    assert all(_keys(world, *ORGS)[name] != after[name] for name in ORGS)


@pytest.mark.django_db
def test_a_branch_write_through_the_service_leaves_another_committees_dashboard_kept(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users.staff_zz)
    shown = {org: _shown(client, org, campaign="").context["stat"]["activities"] for org in (world.jy, world.wj)}
    assert shown == {world.jy: 0, world.wj: 0}
    _activity(world.hospital)  # past the services: only a recount sees it
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_create(
            org=world.branch_a,
            data={"kind": ActivityKind.ASSEMBLY, "held_on": _today() - timedelta(days=2), "title": "党员大会"},
            statuses={world.members_a[0].pk: AttendanceStatus.PRESENT},
            by=world.users.secretary_a,
        )
    assert _shown(client, world.jy, campaign="").context["stat"]["activities"] == 1  # counted again
    assert _shown(client, world.wj, campaign="").context["stat"]["activities"] == 0  # still the kept figures
    assert _shown(client, world.zz, campaign="").context["stat"]["activities"] == 2  # first visit: both
    _activity(world.branch_b)  # past the services again
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_create(  # a committee's own activity counts for no branch
            org=world.wj,
            data={"kind": ActivityKind.OTHER, "held_on": _today() - timedelta(days=2), "title": "中心组学习"},
            statuses={MemberFactory(org=world.wj).pk: AttendanceStatus.PRESENT},
            by=world.users.staff_zz,
        )
    assert _shown(client, world.jy, campaign="").context["stat"]["activities"] == 1  # kept: B's not seen
    assert _shown(client, world.wj, campaign="").context["stat"]["activities"] == 2


@pytest.mark.django_db
def test_a_rule_set_at_a_committee_forgets_its_branches_dashboards(world, login):
    from activities.models import Period

    client = login(world.users.staff_zz)
    assert _shown(client, world.branch_a, campaign="").context["stat"]["activities"] == 0
    assert _shown(client, world.hospital, campaign="").context["stat"]["activities"] == 0
    _activity(world.branch_a)
    _activity(world.hospital)
    activity_services.rule_create(
        owner=world.jy,
        data={"kind": ActivityKind.LECTURE, "period": Period.QUARTER, "minimum": 2, "applies_to": "all"},
        by=world.users.staff_zz,
    )
    assert _shown(client, world.branch_a, campaign="").context["stat"]["activities"] == 1
    assert _shown(client, world.hospital, campaign="").context["stat"]["activities"] == 0


def _pledges_shown(client, org, campaign):
    response = _shown(client, org, campaign=campaign.pk)
    return response.context["charts"]["pledges"]["values"][2], response  # public pledges


@pytest.mark.django_db
def test_the_pledge_figures_are_kept_apart_and_counted_again_only_on_a_pledge_write_or_the_button(
    world, login, django_capture_on_commit_callbacks
):
    campaign = Campaign.objects.create(
        org=world.zz, name="创先争优活动", starts_on=date(_today().year, 1, 1), ends_on=date(_today().year, 12, 31)
    )
    client = login(world.users.staff_jy)
    made, _response = _pledges_shown(client, world.jy, campaign)
    assert made == 0
    Pledge.objects.create(  # past the services: only a recount of the pledges sees it
        campaign=campaign,
        org=world.branch_a,
        owner_member=world.members_a[0],
        category=Category.STUDY,
        status=Status.PUBLISHED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.activity_create(
            org=world.branch_a,
            data={"kind": ActivityKind.ASSEMBLY, "held_on": _today() - timedelta(days=2), "title": "党员大会"},
            statuses={world.members_a[0].pk: AttendanceStatus.PRESENT},
            by=world.users.secretary_a,
        )
    made, response = _pledges_shown(client, world.jy, campaign)
    assert response.context["stat"]["activities"] == 1  # the dashboard was counted again …
    assert made == 0  # … around the kept pledge figures
    figure_cache.bump(world.branch_b, subject=figure_cache.PLEDGES)  # a pledge written in branch B
    assert _pledges_shown(client, world.jy, campaign)[0] == 1
    assert _pledges_shown(client, world.branch_b, campaign)[0] == 0

    Pledge.objects.create(
        campaign=campaign,
        org=world.branch_a,
        owner_member=world.members_a[1],
        category=Category.STUDY,
        status=Status.PUBLISHED,
    )
    _made, response = _pledges_shown(client, world.jy, campaign)
    start, end = response.context["start"], response.context["end"]
    url = reverse("reports:dashboard_refresh", args=[world.jy.pk])
    client.post(url, {"campaign": campaign.pk, "start": start.isoformat(), "end": end.isoformat()})
    assert _pledges_shown(client, world.jy, campaign)[0] == 2  # the button counts the pledges again too


def _grow(world, campaign, n, prefix):
    """n more branches under 州教育局党委, each with a group, members, an activity and pledges with items."""
    for i in range(n):
        branch = make_org(f"{prefix}党支部{i}", parent=world.jy)
        make_org(f"{prefix}党小组{i}", OrgKind.GROUP, parent=branch)
        members = [MemberFactory(org=branch) for _ in range(3)]
        _activity(branch, days_ago=i % 20)
        for member in members[:2]:
            pledge = Pledge.objects.create(
                campaign=campaign, owner_member=member, org=branch, category=Category.DUTY, status=Status.PUBLISHED
            )
            for position in range(2):
                due = _today() - timedelta(days=position)
                PledgeItem.objects.create(pledge=pledge, content="事项", target="完成", due_on=due, position=position)


@pytest.mark.django_db
def test_the_dashboard_takes_as_many_queries_for_a_bigger_tree(world, login, django_assert_num_queries):
    campaign = Campaign.objects.create(
        org=world.zz, name="创先争优活动", starts_on=date(_today().year, 1, 1), ends_on=date(_today().year, 12, 31)
    )
    client = login(world.users.staff_zz)
    _grow(world, campaign, 2, "新增")
    figure_cache.bump()
    with CaptureQueriesContext(connection) as small:
        assert _shown(client, world.zz).context["stat"]["branches"] == 5
    with CaptureQueriesContext(connection) as small_kept:
        _shown(client, world.zz)

    _grow(world, campaign, 20, "更多")
    figure_cache.bump()
    with django_assert_num_queries(len(small)):
        assert _shown(client, world.zz).context["stat"]["branches"] == 25
    with django_assert_num_queries(len(small_kept)):
        _shown(client, world.zz)


@pytest.mark.django_db
def test_a_write_goes_through_when_the_cache_is_unreachable(world, monkeypatch, django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(figure_cache.cache, "set", down)
    with django_capture_on_commit_callbacks(execute=True):
        activity = activity_services.activity_create(
            org=world.branch_a,
            data={"kind": ActivityKind.ASSEMBLY, "held_on": _today() - timedelta(days=1), "title": "党员大会"},
            statuses={world.members_a[0].pk: AttendanceStatus.PRESENT},
            by=world.users.secretary_a,
        )
    assert Activity.objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
def test_the_org_picker_offers_the_way_up_the_siblings_and_the_children(world, login):
    client = login(world.users.staff_zz)

    def offered(org):
        return set(_shown(client, org).context["form"].fields["org"].queryset)

    assert offered(world.zz) == {world.zz, world.jy, world.wj}
    assert offered(world.jy) == {world.zz, world.jy, world.wj, world.branch_a, world.branch_b}
    assert offered(world.branch_a) == {world.zz, world.jy, world.branch_a, world.branch_b}  # no 党小组
    # Staff of a committee are offered nothing above their own scope.
    client = login(world.users.staff_jy)
    assert offered(world.branch_a) == {world.jy, world.branch_a, world.branch_b}


@pytest.mark.django_db
def test_the_pledge_figures_read_by_org_ids_equal_those_read_by_path(world, monkeypatch):
    from reports.figures import pledges as pledge_figures
    from reports.figures import subtree

    campaign = Campaign.objects.create(
        org=world.zz, name="创先争优活动", starts_on=date(_today().year, 1, 1), ends_on=date(_today().year, 12, 31)
    )
    _grow(world, campaign, 3, "新增")
    for org in (world.zz, world.jy, world.wj, world.branch_a):
        by_ids = pledge_figures.pledge_figures(org, campaign, today=_today())
        monkeypatch.setattr(subtree, "IDS_UP_TO", 0)  # every subtree read by path, as a province is
        by_path = pledge_figures.pledge_figures(org, campaign, today=_today())
        monkeypatch.undo()
        assert by_ids == by_path
        assert org != world.zz or by_ids.total.items > 0
