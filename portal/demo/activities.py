"""A year of 三会一课 and other activities for every demo branch, with attendance, dated up to today.

Most branches keep the rules; some are patchy and a few hardly meet, so the compliance pages have
branches falling short (发展不平衡) to list. Everything is bulk-written: about 20,000 activities and
200,000 attendance rows take a few seconds on SQLite.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time, timedelta

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import override

from activities.models import Activity, ActivityKind, AppliesTo, Attendance, AttendanceStatus, ComplianceRule, Period
from activities.periods import add_months, month_end, month_start
from activities.reminders import send_due_reminders
from audit.models import HistoryEntry
from audit.services import build_entries, diff, snapshot
from branches.models import LeadershipPost, Organization, OrgKind, Post
from campaigns.models import Carrier
from members.models import PARTY_MEMBER_STAGES, Member

from .context import HISTORY_NOTE, SeedContext

BATCH = 5000
# How a branch keeps its meetings: share of branches, and the chance of holding each expected one.
PROFILES = [("steady", 0.8, 0.995), ("patchy", 0.14, 0.75), ("weak", 0.06, 0.3)]
TOPICS = {
    ActivityKind.ASSEMBLY: [
        "传达学习上级创先争优活动部署",
        "讨论确定支部公开承诺事项",
        "接收预备党员、讨论发展对象",
        "通报上半年工作，部署下阶段任务",
        "民主评议党员",
        "选举出席上级党代会代表",
    ],
    ActivityKind.COMMITTEE: [
        "研究本月党建工作安排",
        "研究党员承诺践诺情况",
        "研究发展党员工作",
        "研究落实领导点评意见",
        "研究整改台账销号事项",
    ],
    ActivityKind.LECTURE: [
        "学习党章，做合格党员",
        "践行宗旨，服务群众",
        "讲党性、重品行、作表率",
        "创先争优与岗位建功",
        "廉政准则专题党课",
    ],
    ActivityKind.THEME_DAY: [
        "重温入党誓词",
        "走进社区开展便民服务",
        "参观革命传统教育基地",
        "党员义务劳动",
        "“一旗一岗一承诺”亮身份活动",
    ],
    ActivityKind.LIFE_MEETING: ["年度组织生活会暨民主评议党员"],
    ActivityKind.STUDY: ["集中学习中央领导重要讲话精神", "读书交流会", "学习《廉政准则》"],
    ActivityKind.VOLUNTEER: ["党员志愿服务队进社区", "结对帮扶困难群众", "义务植树"],
}
PLACES = ["支部会议室", "党员活动室", "单位会议室", "党员电教室"]
MINUTES = (
    "会议由{host}主持，{recorder}记录。应到{expected}人，实到{present}人。\n"
    "会议围绕“{title}”进行了学习讨论，与会党员结合本职工作作了发言。\n"
    "会议明确了下一步工作安排，要求党员立足岗位发挥先锋模范作用。"
)


def _party_members_by_branch(root: Organization) -> dict[str, list[tuple[int, str, bool]]]:
    """(id, name, is mobile) of party members by the path of the branch they belong to."""
    rows = (
        Member.objects.filter(org__path__startswith=root.path, stage__in=PARTY_MEMBER_STAGES)
        .order_by("org__path", "name", "id")
        .values_list("id", "name", "is_mobile", "org__path")
    )
    by_path: dict[str, list] = defaultdict(list)
    for pk, name, mobile, path in rows:
        by_path[path].append((pk, name, mobile))
    return by_path


def _posts_by_branch(root: Organization) -> dict[int, dict[str, tuple[int, str]]]:
    rows = LeadershipPost.objects.filter(
        org__path__startswith=root.path, org__kind=OrgKind.BRANCH, ended_on__isnull=True
    ).values_list("org_id", "post", "member_id", "member__name")
    posts: dict[int, dict[str, tuple[int, str]]] = defaultdict(dict)
    for org_id, post, member_id, name in rows:
        posts[org_id][post] = (member_id, name)
    return posts


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _status(rng: random.Random, mobile: bool) -> str:
    roll = rng.random()
    if mobile:  # 流动党员 are away more often than not
        return AttendanceStatus.PRESENT if roll < 0.45 else AttendanceStatus.LEAVE
    if roll < 0.88:
        return AttendanceStatus.PRESENT
    return AttendanceStatus.LEAVE if roll < 0.96 else AttendanceStatus.ABSENT


class Planner:
    """Plans one unit's activities in memory; ``write`` saves them in bulk."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.first_month = add_months(month_start(today), -11)
        self.activities: list[Activity] = []
        self.attendance: list[list[tuple[int, str]]] = []  # aligned with activities
        self.carriers: list[list[int]] = []

    def plan_branch(self, branch: Organization, members, posts, carrier_ids) -> None:
        rng = self.rng
        profile = rng.choices(PROFILES, weights=[p[1] for p in PROFILES])[0]
        keep = profile[2]
        has_committee = len(posts) >= 3
        secretary = posts.get(Post.SECRETARY)
        recorder = posts.get(Post.ORGANIZATION) or posts.get(Post.PUBLICITY) or secretary
        committee = list({pk: (pk, name, False) for pk, name in posts.values()}.values())
        start = max(self.first_month, branch.founded_on or self.first_month)
        month = month_start(start)
        while month <= self.today:
            first, last = max(month, start), min(month_end(month), self.today)
            if first > last:
                month = add_months(month, 1)
                continue
            plan = []
            if has_committee and rng.random() < keep:
                plan.append(ActivityKind.COMMITTEE)
            if rng.random() < keep * 0.6:
                plan.append(ActivityKind.THEME_DAY)
            # Quarterly ones in the quarter's middle month (or its first, when the branch is new).
            if month.month % 3 == 2 or (month == month_start(start) and month.month % 3 == 1):
                for kind in (ActivityKind.ASSEMBLY, ActivityKind.LECTURE):
                    if rng.random() < keep:
                        plan.append(kind)
            if month.month == 1 and rng.random() < keep:
                plan.append(ActivityKind.LIFE_MEETING)
            if rng.random() < 0.15:
                plan.append(rng.choice([ActivityKind.STUDY, ActivityKind.VOLUNTEER]))
            for kind in plan:
                roster = committee if kind == ActivityKind.COMMITTEE else members
                if roster:
                    self._add(branch, kind, _day(rng, first, last), roster, secretary, recorder, carrier_ids)
            month = add_months(month, 1)

    def _add(self, branch, kind, held_on, roster, secretary, recorder, carrier_ids) -> None:
        rng = self.rng
        statuses = [(pk, _status(rng, mobile)) for pk, _name, mobile in roster]
        if not any(s == AttendanceStatus.PRESENT for _pk, s in statuses):
            statuses[0] = (statuses[0][0], AttendanceStatus.PRESENT)
        host = secretary or (roster[0][0], roster[0][1])
        rec = recorder or host
        title = rng.choice(TOPICS[kind])
        present = sum(1 for _pk, s in statuses if s == AttendanceStatus.PRESENT)
        self.activities.append(
            Activity(
                org=branch,
                branch=branch,
                kind=kind,
                title=title,
                held_on=held_on,
                starts_at=time(rng.choice([9, 14, 15, 16]), rng.choice([0, 30])),
                place=rng.choice(PLACES),
                host_id=host[0],
                host_name=host[1],
                recorder_id=rec[0],
                recorder_name=rec[1],
                minutes=MINUTES.format(
                    host=host[1], recorder=rec[1], expected=len(statuses), present=present, title=title
                ),
            )
        )
        self.attendance.append(statuses)
        self.carriers.append(rng.sample(carrier_ids, 1) if carrier_ids and rng.random() < 0.4 else [])


def write_activities(ctx: SeedContext) -> str:
    # Its own random source, so this step draws the same whatever the steps before it did.
    rng = random.Random(f"{ctx.seed}-activities")
    planner = Planner(rng, ctx.today)
    for unit in ctx.units.values():
        root = unit.root.org
        members = _party_members_by_branch(root)
        posts = _posts_by_branch(root)
        carrier_ids = list(Carrier.objects.filter(campaign__org=root).order_by("id").values_list("id", flat=True))
        branches = Organization.objects.filter(path__startswith=root.path, kind=OrgKind.BRANCH, is_active=True)
        for branch in branches.order_by("path"):
            planner.plan_branch(branch, members.get(branch.path, []), posts.get(branch.pk, {}), carrier_ids)

    activities = Activity.objects.bulk_create(planner.activities, batch_size=BATCH)
    _insert_attendance(
        (activity.pk, pk, status)
        for activity, statuses in zip(activities, planner.attendance, strict=True)
        for pk, status in statuses
    )
    through = Activity.carriers.through
    through.objects.bulk_create(
        (
            through(activity_id=activity.pk, carrier_id=carrier_id)
            for activity, carriers in zip(activities, planner.carriers, strict=True)
            for carrier_id in carriers
        ),
        batch_size=BATCH,
    )
    history = HistoryWriter()
    HistoryEntry.objects.bulk_create(
        build_entries(
            (
                (a, HistoryEntry.Action.CREATE, history.changes(a, s))
                for a, s in zip(activities, planner.attendance, strict=True)
            ),
            actor=None,
            source=HistoryEntry.Source.SYSTEM,
            note=HISTORY_NOTE,
        ),
        batch_size=BATCH,
    )
    rules = _committee_rules(ctx)
    reminders = send_due_reminders(today=ctx.today)
    rows = sum(len(s) for s in planner.attendance)
    return f"{len(activities)} 次活动，{rows} 条出勤记录，{rules} 条上级规则，{reminders} 条到期提醒"


def _insert_attendance(rows) -> None:
    """Multi-row INSERTs: building 300,000 model instances for bulk_create took most of this step, and
    executemany is a round trip per row on psycopg2 (half a minute on PostgreSQL)."""
    table = Attendance._meta.db_table
    per_statement = 300  # 900 parameters: under SQLite's oldest bound of 999
    with connection.cursor() as cursor:
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) == per_statement:
                _insert_rows(cursor, table, batch)
                batch = []
        if batch:
            _insert_rows(cursor, table, batch)


def _insert_rows(cursor, table: str, rows: list) -> None:
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    cursor.execute(
        f"INSERT INTO {table} (activity_id, member_id, status) VALUES {values}",
        [value for row in rows for value in row],
    )


def _committee_rules(ctx: SeedContext) -> int:
    """A committee's own rule next to the defaults: the construction bureau asks every branch for a
    组织生活会 once a year, as the rules page and the nearest-rule-wins logic can show."""
    unit = ctx.units.get("yixing")
    if unit is None:
        return 0
    rule = ComplianceRule.objects.create(
        owner=unit.root.org, kind=ActivityKind.LIFE_MEETING, period=Period.YEAR, minimum=1, applies_to=AppliesTo.ALL
    )
    HistoryEntry.objects.bulk_create(
        build_entries(
            [(rule, HistoryEntry.Action.CREATE, diff({}, snapshot(rule)))],
            actor=None,
            source=HistoryEntry.Source.SYSTEM,
            note=HISTORY_NOTE,
        )
    )
    return 1


class HistoryWriter:
    """What the history shows for a seeded activity: the few fields a reader looks for. Labels are
    translated once; doing it per row cost seconds over twenty thousand activities."""

    def __init__(self):
        with override(settings.LANGUAGE_CODE):
            fields = ("kind", "held_on", "title")
            self.labels = {name: str(Activity._meta.get_field(name).verbose_name) for name in fields}
            self.labels["attendance"] = _("Attendance")
            self.template = _("expected %(expected)s, present %(present)s, on leave %(leave)s, absent %(absent)s")
            self.kinds = {kind.value: str(kind.label) for kind in ActivityKind}

    def changes(self, activity: Activity, statuses) -> dict:
        counts = defaultdict(int)
        for _pk, status in statuses:
            counts[status] += 1
        values = {
            "kind": self.kinds[activity.kind],
            "held_on": activity.held_on.isoformat(),
            "title": activity.title,
            "attendance": self.template
            % {
                "expected": len(statuses),
                "present": counts[AttendanceStatus.PRESENT],
                "leave": counts[AttendanceStatus.LEAVE],
                "absent": counts[AttendanceStatus.ABSENT],
            },
        }
        return {name: {"label": self.labels[name], "old": "", "new": value} for name, value in values.items()}
