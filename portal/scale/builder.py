"""A province-sized data set, written fast: orgs and members through the ORM, the big tables in SQL.

Orgs and members go through ``bulk_create`` so that model fields that transform values on the way to
the database (the ID number and phone, once encrypted at rest) keep working. Pledges, pledge items,
activities, attendance and evaluation responses/answers are plain rows written with COPY on PostgreSQL
(executemany on the SQLite test database), which is what makes millions of rows take seconds.
"""

from __future__ import annotations

import io
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海燕辉鹏飞宇浩然晨阳光荣德福"
REGIONS = ["110101", "320282", "430102", "510104", "622901", "654001", "330106", "440305"]
SCALE_PASSWORD = "scale-pass-1234"
STAFF_USERNAME = "scale_staff"
ADMIN_USERNAME = "scale_admin"
ROOT_CODE = "S"


@dataclass
class Sizes:
    orgs: int = 15_000
    members: int = 300_000
    pledges: int = 600_000
    activities: int = 100_000
    responses: int = 1_000_000
    seed: int = 20261127


SMALL = Sizes(orgs=60, members=600, pledges=900, activities=200, responses=1_000)


@dataclass
class Result:
    counts: dict = field(default_factory=dict)
    timings: list = field(default_factory=list)


def tree_shape(orgs: int) -> tuple[int, int, int, int]:
    """Committees, general branches per committee, branches per general branch, groups: five levels, ``orgs`` in all."""
    if orgs < 8:
        raise ValueError("At least 8 organizations make five levels.")
    committees = max(1, round(orgs / 480))
    per_committee = 12 if orgs >= 1000 else 2
    general = committees * per_committee
    rest = orgs - 1 - committees - general
    per_general = max(1, int(rest * 0.97) // general)
    groups = orgs - 1 - committees - general - general * per_general
    while groups < 1:
        per_general -= 1
        groups = orgs - 1 - committees - general - general * per_general
    return committees, per_committee, per_general, groups


def _id_number(i: int) -> tuple[str, date, bool]:
    from members.idcard import check_char

    days = 20_000
    birth = date(1945, 1, 1) + timedelta(days=i % days)
    order = i // days  # unique per (region, birth): order runs to 999 per region
    region = REGIONS[(order // 500) % len(REGIONS)]
    male = i % 5 < 3
    body = f"{region}{birth:%Y%m%d}{(order % 500) * 2 + (1 if male else 0):03d}"
    return body + check_char(body), birth, male


def build_orgs(sizes: Sizes, rng: random.Random) -> tuple[int, list[int], list[int]]:
    from branches.models import Organization, OrgCategory, OrgKind

    committees, per_committee, per_general, group_budget = tree_shape(sizes.orgs)
    categories = [c.value for c in OrgCategory]
    path = Organization._get_path
    orgs: list[Organization] = []
    branches_total = committees * per_committee * per_general

    def add(parent_path, depth, position, name, kind, code, numchild, category=""):
        orgs.append(
            Organization(
                path=path(parent_path, depth, position),
                depth=depth,
                numchild=numchild,
                name=name,
                code=code,
                kind=kind,
                category=category,
                founded_on=date(2000, 1, 1) + timedelta(days=len(orgs) % 7000),
            )
        )
        return orgs[-1].path

    root = add(
        None, 1, 1, "省直机关工委（规模测试）", OrgKind.WORKING_COMMITTEE, ROOT_CODE, committees, OrgCategory.ORGAN
    )
    branch_no = 0
    for c in range(1, committees + 1):
        category = categories[c % len(categories)]
        cp = add(root, 2, c, f"第{c}党委", OrgKind.COMMITTEE, f"S-{c}", per_committee, category)
        for g in range(1, per_committee + 1):
            gp = add(cp, 3, g, f"第{c}党委第{g}党总支", OrgKind.GENERAL_BRANCH, f"S-{c}-{g}", per_general, category)
            for b in range(1, per_general + 1):
                # Groups spread evenly over the branches.
                groups = group_budget * (branch_no + 1) // branches_total - group_budget * branch_no // branches_total
                branch_no += 1
                bp = add(gp, 4, b, f"第{c}-{g}-{b}党支部", OrgKind.BRANCH, f"S-{c}-{g}-{b}", groups, category)
                for k in range(1, groups + 1):
                    add(bp, 5, k, f"第{c}-{g}-{b}支部第{k}党小组", OrgKind.GROUP, f"S-{c}-{g}-{b}-{k}", 0, category)
    Organization.objects.bulk_create(orgs, batch_size=5000)
    root_id = Organization.objects.get(code=ROOT_CODE).pk
    branch_ids = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("id").values_list("id", flat=True))
    group_ids = list(Organization.objects.filter(kind=OrgKind.GROUP).order_by("id").values_list("id", flat=True))
    return root_id, branch_ids, group_ids


def build_members(sizes: Sizes, rng: random.Random, branch_ids: list[int], group_ids: list[int]) -> None:
    from members.models import Member

    stages = ["full"] * 85 + ["probationary"] * 7 + ["candidate"] * 3 + ["activist"] * 3 + ["applicant"] * 2
    educations = ["university", "college", "postgraduate", "secondary", "junior"]
    batch: list[Member] = []
    for i in range(sizes.members):
        number, birth, male = _id_number(i)
        stage = rng.choice(stages)
        joined = birth + timedelta(days=365 * 25) if stage in ("full", "probationary") else None
        org = rng.choice(group_ids) if group_ids and i % 50 == 0 else branch_ids[i % len(branch_ids)]
        batch.append(
            Member(
                org_id=org,
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                gender="male" if male else "female",
                birth_date=birth,
                id_number=number,
                education=rng.choice(educations),
                stage=stage,
                joined_on=joined,
                confirmed_on=joined + timedelta(days=365) if stage == "full" else None,
                work_unit="某单位 职员",
                phone=f"139{i:08d}",
                is_mobile=rng.random() < 0.05,
                is_retired=rng.random() < 0.15,
                is_frail=rng.random() < 0.04,
                is_unemployed=rng.random() < 0.03,
            )
        )
        if len(batch) >= 10_000:
            Member.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Member.objects.bulk_create(batch, batch_size=5000)


def build_campaigns(sizes: Sizes, root_id: int) -> list[int]:
    from campaigns.models import Campaign

    needed = max(1, -(-sizes.pledges // max(1, sizes.members)))
    ids = []
    for n in range(needed):
        year = 2026 - (needed - 1 - n)
        campaign = Campaign.objects.create(
            org_id=root_id, name=f"{year}年创先争优活动", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
        )
        ids.append(campaign.pk)
    return ids  # oldest first; the last is this year's


def write_rows(table: str, columns: list[str], rows, *, chunk: int = 200_000) -> int:
    """Write row tuples: COPY on PostgreSQL, executemany elsewhere (the test database). Returns the count."""
    quote = connection.ops.quote_name
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":

            def cell(value):
                if value is None:
                    return r"\N"
                if value is True:
                    return "t"
                if value is False:
                    return "f"
                return str(value)

            sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            buffer = io.StringIO()
            pending = 0
            for row in rows:
                buffer.write("\t".join(map(cell, row)))
                buffer.write("\n")
                pending += 1
                if pending >= chunk:
                    buffer.seek(0)
                    cursor.cursor.copy_expert(sql, buffer)
                    written += pending
                    buffer, pending = io.StringIO(), 0
            if pending:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                written += pending
        else:
            sql = (
                f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            ops = connection.ops

            def adapt(value):
                if isinstance(value, uuid.UUID):
                    return value.hex  # how Django keeps a UUIDField where there is no uuid type
                if isinstance(value, datetime):
                    return ops.adapt_datetimefield_value(value)
                if isinstance(value, date):
                    return value.isoformat()
                return value

            batch = []
            for row in rows:
                batch.append(tuple(map(adapt, row)))
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
    return written


def _board_of() -> dict[int, int]:
    """The branch whose board shows a member's pledge: the member's branch, or the branch above a 党小组."""
    from branches.models import Organization, OrgKind

    by_path = dict(Organization.objects.filter(kind=OrgKind.BRANCH).values_list("path", "id"))
    board = {}
    for pk, path, kind in Organization.objects.values_list("id", "path", "kind"):
        if kind == OrgKind.BRANCH:
            board[pk] = pk
        elif kind == OrgKind.GROUP:
            board[pk] = by_path.get(path[:-4], pk)
    return board


PLEDGE_STATES = [
    (55, "published"),
    (70, "closed"),
    (76, "approved"),
    (86, "submitted"),
    (91, "returned"),
    (97, "draft"),
    (100, "needs"),
]
MEMBER_CATEGORY_VALUES = ["study", "innovate", "duty", "integrity"]
ITEM_TEXTS = ["参加支部集中学习和党课", "结对帮扶1户困难群众", "围绕本职工作提出合理化建议", "参加党员志愿服务队活动"]
OUTCOME_VALUES = ["kept", "kept", "partly", "not_kept"]


def _pledge_status(member_id: int) -> str:
    bucket = (member_id * 7) % 100
    return next(status for limit, status in PLEDGE_STATES if bucket < limit)


def build_pledges(sizes: Sizes, campaign_ids: list[int]) -> None:
    """Member pledges, most recent campaign first, on the board of the member's branch; two items each."""
    from campaigns.models import Campaign
    from members.models import Member
    from pledges.models import Pledge

    board = _board_of()
    members = list(Member.objects.order_by("id").values_list("id", "org_id"))
    now = timezone.now()
    ago = {d: now - timedelta(days=d) for d in (60, 55, 50, 5)}
    remaining = sizes.pledges

    def rows(campaign_id, count):
        for member_id, org_id in members[:count]:
            status = _pledge_status(member_id)
            shown = member_id % 5 == 0
            yield (
                campaign_id,
                member_id,
                board.get(org_id, org_id),
                MEMBER_CATEGORY_VALUES[member_id % 4],
                "",
                status,
                member_id % 17 == 0,
                False,
                shown,
                *_service_phone(f"139{member_id:08d}" if shown else ""),
                None if status in ("needs", "draft") else ago[60],
                ago[55] if status in ("approved", "published", "closed") else None,
                ago[50] if status in ("published", "closed") else None,
                ago[5] if status == "closed" else None,
                OUTCOME_VALUES[member_id % 4] if status == "closed" else "",
                "",
                now,
                now,
            )

    columns = [
        "campaign_id",
        "owner_member_id",
        "org_id",
        "category",
        "needs_notes",
        "status",
        "leadership_post_holder",
        "is_oral",
        "show_phone",
        "service_phone",
        "service_phone_hash",
        "submitted_at",
        "approved_at",
        "published_at",
        "closed_at",
        "outcome",
        "judge_comment",
        "created_at",
        "updated_at",
    ]
    for campaign_id in reversed(campaign_ids):
        if remaining <= 0:
            break
        remaining -= write_rows("pledges_pledge", columns, rows(campaign_id, min(remaining, len(members))))

    ends = dict(Campaign.objects.values_list("id", "ends_on"))

    def items():
        for pledge_id, campaign_id, status in Pledge.objects.order_by().values_list("id", "campaign_id", "status"):
            for k in (0, 1):
                due = ends[campaign_id] - timedelta(days=(pledge_id * 13 + k * 31) % 300)
                percent = min(100, ((pledge_id * 37 + k * 53) % 11) * 10) if status in ("published", "closed") else 0
                yield (
                    pledge_id,
                    ITEM_TEXTS[(pledge_id + k) % 4],
                    f"全年不少于{2 + (pledge_id + k) % 6}次",
                    due,
                    percent,
                    due - timedelta(days=3) if percent == 100 else None,
                    k,
                )

    write_rows(
        "pledges_pledgeitem", ["pledge_id", "content", "target", "due_on", "percent", "done_on", "position"], items()
    )


def _service_phone(phone: str) -> tuple[str, str]:
    """The stored service phone and its keyed hash (encrypted at rest, members/pii.py)."""
    from members import pii

    return pii.encrypt(phone, "pledges.pledge.service_phone"), pii.digest(phone, "service_phone")


ACTIVITY_KINDS = ["assembly", "committee", "group", "lecture", "theme_day", "life_meeting", "study", "volunteer"]
LAST_DAY = date(2026, 11, 20)


def build_activities(sizes: Sizes, branch_ids: list[int]) -> None:
    """Activities spread over the branches and the last two years, every member of the branch expected."""
    from activities.models import Activity
    from members.models import Member

    now = timezone.now()

    def rows():
        for g in range(sizes.activities):
            branch = branch_ids[g % len(branch_ids)]
            yield (
                branch,
                branch,
                ACTIVITY_KINDS[g % 8],
                f"第{g}次活动",
                LAST_DAY - timedelta(days=g * 7919 % 700),
                "党员活动室",
                "",
                "",
                "",
                now,
                now,
            )

    columns = ["org_id", "branch_id", "kind", "title", "held_on", "place", "host_name", "recorder_name", "minutes"]
    write_rows("activities_activity", [*columns, "created_at", "updated_at"], rows())
    by_org: dict[int, list[int]] = {}
    for member_id, org_id in Member.objects.order_by("id").values_list("id", "org_id"):
        by_org.setdefault(org_id, []).append(member_id)

    def attendance():
        for activity_id, org_id in Activity.objects.order_by().values_list("id", "org_id"):
            for member_id in by_org.get(org_id, ()):
                bucket = (activity_id + member_id) % 10
                yield (activity_id, member_id, "present" if bucket < 8 else "leave" if bucket < 9 else "absent")

    write_rows("activities_attendance", ["activity_id", "member_id", "status"], attendance())


RATINGS = ["satisfied"] * 6 + ["basic"] * 2 + ["dissatisfied", "unknown"]


def build_evaluation(sizes: Sizes, root_id: int, campaign_id: int, branch_ids: list[int], rng) -> None:
    """One round by the root over every branch, open now, with ``responses`` answer sheets of five ratings."""
    from evaluations.models import DEFAULT_COMMENT_PROMPT, FIVE_GOODS, Question, QuestionKind, Round

    now = timezone.now()
    round_ = Round.objects.create(
        owner_id=root_id,
        title="“五个好”群众评议（规模测试）",
        campaign_id=campaign_id,
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=20),
        allow_open_link=True,
    )
    Round.targets.through.objects.bulk_create(
        [Round.targets.through(round_id=round_.pk, organization_id=b) for b in branch_ids], batch_size=5000
    )
    questions = Question.objects.bulk_create(
        [Question(round=round_, text=str(text), position=i) for i, text in enumerate(FIVE_GOODS)]
        + [Question(round=round_, text=str(DEFAULT_COMMENT_PROMPT), kind=QuestionKind.COMMENT, position=99)]
    )
    rated = [q.pk for q in questions if q.kind == QuestionKind.RATING]
    today = timezone.localdate()
    days = [today - timedelta(days=d) for d in range(20)]
    # Random keys, as the form gives them; drawn from the seeded source so runs are alike.
    response_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(sizes.responses)]

    def responses():
        for g, pk in enumerate(response_ids):
            comment = "希望公开承诺的事项按时兑现。" if g % 9 == 0 else ""
            yield (pk, round_.pk, branch_ids[g % len(branch_ids)], days[g % 20], comment, False)

    write_rows(
        "evaluations_response",
        ["id", "round_id", "target_org_id", "created_on", "comment", "comment_hidden"],
        responses(),
    )

    def answers():
        choice = rng.choice
        bits = rng.getrandbits
        for pk in response_ids:
            for question in rated:
                yield (uuid.UUID(int=bits(128), version=4), pk, question, choice(RATINGS))

    write_rows("evaluations_answer", ["id", "response_id", "question_id", "rating"], answers())


def build_logins(root_id: int, campaign_id: int) -> None:
    from accounts.models import User
    from branches.models import Role, RoleAssignment
    from pledges.models import BoardLink

    staff = User.objects.create_user(STAFF_USERNAME, password=SCALE_PASSWORD, full_name="组织部干事")
    RoleAssignment.objects.create(user=staff, org_id=root_id, role=Role.STAFF)
    User.objects.create_superuser(ADMIN_USERNAME, password=SCALE_PASSWORD, full_name="管理员")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT org_id FROM pledges_pledge WHERE campaign_id = %s GROUP BY org_id ORDER BY count(*) DESC, "
            "org_id LIMIT 1",
            [campaign_id],
        )
        row = cursor.fetchone()
    if row:
        BoardLink.objects.create(org_id=row[0], campaign_id=campaign_id, created_by=staff)
    for user in (staff, User.objects.get(username=ADMIN_USERNAME)):
        if hasattr(user, "must_change_password"):
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])


def reset() -> None:
    """Empty every table the data set writes (a scratch database only)."""
    from django.apps import apps
    from django.core.management.color import no_style

    tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    tables = [t for t in tables if not t.startswith(("django_migrations", "django_content_type", "auth_permission"))]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    # TRUNCATE ... RESTART IDENTITY CASCADE on PostgreSQL, DELETEs on SQLite (which has no TRUNCATE).
    statements = connection.ops.sql_flush(
        no_style(), [t for t in tables if t in existing], reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)
    # The default 三会一课 rules are reference data a migration writes, not part of the data set: put them
    # back, or the compliance figures at scale would measure an empty rule table.
    from importlib import import_module

    import_module("activities.migrations.0002_default_rules").create_defaults(apps, None)


def build(sizes: Sizes, log=print) -> Result:
    result = Result()
    rng = random.Random(sizes.seed)

    def step(label, started):
        elapsed = time.perf_counter() - started
        result.timings.append((label, elapsed))
        log(f"{label}: {elapsed:.1f}s")
        return time.perf_counter()

    t = time.perf_counter()
    with transaction.atomic():
        root_id, branch_ids, group_ids = build_orgs(sizes, rng)
        t = step(f"orgs {sizes.orgs:,}", t)
        build_members(sizes, rng, branch_ids, group_ids)
        t = step(f"members {sizes.members:,}", t)
        campaign_ids = build_campaigns(sizes, root_id)
        build_pledges(sizes, campaign_ids)
        t = step(f"pledges {sizes.pledges:,} with items", t)
        build_activities(sizes, branch_ids)
        t = step(f"activities {sizes.activities:,} with attendance", t)
        build_evaluation(sizes, root_id, campaign_ids[-1], branch_ids, rng)
        t = step(f"evaluation responses {sizes.responses:,}", t)
        build_logins(root_id, campaign_ids[-1])
        from evaluations.tallies import rebuild as rebuild_evaluation_tallies  # COPY bypassed the service

        rebuild_evaluation_tallies()
        t = step("evaluation tallies", t)
        from members.headcount import rebuild_all as rebuild_headcounts  # bulk_create sends no signals

        rebuild_headcounts()
        t = step("member counts", t)
        from pledges.tally import rebuild_all as rebuild_pledge_tallies  # COPY sends no signals

        rebuild_pledge_tallies()
        t = step("pledge tallies", t)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        t = step("analyze", t)
    result.counts = counts()
    return result


def counts() -> dict:
    from activities.models import Activity, Attendance
    from branches.models import Organization
    from evaluations.models import Answer, Response
    from members.models import Member
    from pledges.models import Pledge, PledgeItem

    return {
        "orgs": Organization.objects.count(),
        "levels": Organization.objects.order_by("-depth").values_list("depth", flat=True).first() or 0,
        "members": Member.objects.count(),
        "pledges": Pledge.objects.count(),
        "pledge items": PledgeItem.objects.count(),
        "activities": Activity.objects.count(),
        "attendance": Attendance.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
    }
