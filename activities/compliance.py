"""三会一课 compliance: for each branch, each rule and each month / quarter / year, how many
activities were held and whether that met the rule's minimum.

A whole subtree is computed from a handful of grouped queries whatever its size: the counts per
branch per kind per month in one, the rules in another, and one each for what decides which
rules apply (branches with a committee, branches with party groups) and the last activity date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear

from branches.models import LeadershipPost, Organization, OrgKind
from portal.raw_rows import fetch_tuples

from .models import Activity, ActivityKind, AppliesTo, ComplianceRule
from .periods import Period, Window, periods_overlapping
from .querysets import STEPLEN

# A branch committee (支部委员会) has at least three members; below that a branch has only a secretary.
COMMITTEE_MIN_POSTS = 3
KIND_ORDER = {kind: index for index, kind in enumerate(ActivityKind.values)}

MET, MISSED, OPEN, NOT_APPLICABLE = "met", "missed", "open", "na"
# How a month is coloured when periods containing it disagree: the worst wins.
SEVERITY = {MISSED: 3, OPEN: 2, MET: 1, NOT_APPLICABLE: 0}


@dataclass(frozen=True)
class Cell:
    period: Period
    count: int
    minimum: int
    state: str


@dataclass
class RuleRow:
    rule: ComplianceRule
    cells: list[Cell]

    @property
    def missed(self) -> list[Cell]:
        return [c for c in self.cells if c.state == MISSED]


@dataclass
class BranchCompliance:
    branch: Organization
    rows: list[RuleRow]
    by_month: dict[date, dict[str, int]] = field(default_factory=dict)  # month -> kind -> count
    last_held_on: date | None = None

    @property
    def missed_count(self) -> int:
        return sum(len(row.missed) for row in self.rows)

    @property
    def shortfalls(self) -> list[RuleRow]:
        return [row for row in self.rows if row.missed]

    def month_state(self, month: date) -> str | None:
        states = [c.state for row in self.rows for c in row.cells if c.period.contains(month)]
        states = [s for s in states if s != NOT_APPLICABLE]
        return max(states, key=SEVERITY.get) if states else None

    def month_total(self, month: date) -> int:
        return sum(self.by_month.get(month, {}).values())


def effective_rules(path: str, rules: list[ComplianceRule]) -> list[ComplianceRule]:
    """For each kind the active rule set nearest above the org at ``path`` (the defaults have no
    owner and lose to any owner); a minimum of 0 means the kind is not required there."""
    best: dict[str, tuple[int, ComplianceRule]] = {}
    for rule in rules:
        if not rule.is_active:
            continue
        owner_path = rule.owner.path if rule.owner_id else ""
        if not path.startswith(owner_path):
            continue
        depth = len(owner_path)
        if rule.kind not in best or depth > best[rule.kind][0]:
            best[rule.kind] = (depth, rule)
    chosen = [rule for _, rule in best.values() if rule.minimum > 0]
    return sorted(chosen, key=lambda r: KIND_ORDER.get(r.kind, 99))


def _state(period: Period, count: int, minimum: int, *, founded_on: date | None, today: date) -> str:
    if period.start > today or (founded_on and founded_on > period.start):
        return NOT_APPLICABLE
    if count >= minimum:
        return MET
    if period.end >= today:
        return OPEN
    return MISSED


@dataclass
class SubtreeData:
    """What the queries return, before it is laid out per branch."""

    branches: list[Organization]
    rules: list[ComplianceRule]
    counts: dict[int, dict[date, dict[str, int]]]  # branch id -> month -> kind -> n
    with_committee: set[int]
    with_groups: set[str]  # branch paths
    last_held: dict[int, date]


def _load(org: Organization, window: Window, *, branch_only: bool) -> SubtreeData:
    if branch_only:
        branches = [org]
        activity_scope = {"branch_id": org.pk}
        post_scope = {"org_id": org.pk}
    else:
        branches = list(
            Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True)
            .only("id", "name", "short_name", "path", "depth", "founded_on", "kind", "is_joint", "is_temporary")
            .order_by("path")
        )
        activity_scope = {"branch__path__startswith": org.path}
        post_scope = {"org__path__startswith": org.path, "org__kind": OrgKind.BRANCH}
    rules = list(ComplianceRule.objects.applying_to([org.path]))
    units = {rule.period for rule in rules} or {"month"}
    span_start = min(periods_overlapping(window.start, window.end, unit)[0].start for unit in units)
    span_end = max(periods_overlapping(window.start, window.end, unit)[-1].end for unit in units)

    counts: dict[int, dict[date, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        Activity.objects.filter(held_on__range=(span_start, span_end), **activity_scope)
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values_list("branch_id", "kind", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    for branch_id, kind, year, month, n in rows:
        counts[branch_id][date(year, month, 1)][kind] = n

    with_committee, with_groups = _committees_and_groups(org, post_scope)
    last_held = dict(
        Activity.objects.filter(**activity_scope).values_list("branch_id").annotate(last=Max("held_on")).order_by()
    )
    return SubtreeData(branches, rules, counts, with_committee, with_groups, last_held)


def _applies(rule: ComplianceRule, branch: Organization, data: SubtreeData) -> bool:
    return _reaches(rule, branch.pk, branch.path, data.with_committee, data.with_groups)


def _reaches(rule: ComplianceRule, branch_id: int, path: str, with_committee: set, with_groups: set) -> bool:
    if rule.applies_to == AppliesTo.WITH_COMMITTEE:
        return branch_id in with_committee
    if rule.applies_to == AppliesTo.WITH_GROUPS:
        return path in with_groups
    return True


def _committees_and_groups(org: Organization, post_scope: dict | None = None) -> tuple[set[int], set[str]]:
    """Branches of the subtree with a committee (their ids) and with party groups (their paths).

    ``post_scope`` narrows the posts read (one branch: its own id, which the org index serves)."""
    if post_scope is None:
        post_scope = {"org__path__startswith": org.path, "org__kind": OrgKind.BRANCH}
    with_committee = set(
        LeadershipPost.objects.filter(ended_on__isnull=True, **post_scope)
        .values("org_id")
        .annotate(n=Count("member_id", distinct=True))
        .filter(n__gte=COMMITTEE_MIN_POSTS)
        .values_list("org_id", flat=True)
    )
    group_paths = Organization.objects.filter(
        path__startswith=org.path, kind=OrgKind.GROUP, is_active=True
    ).values_list("path", flat=True)
    return with_committee, {path[:-STEPLEN] for path in group_paths}


def _branch(branch: Organization, data: SubtreeData, window: Window, today: date) -> BranchCompliance:
    by_month = data.counts.get(branch.pk, {})
    rows = []
    for rule in effective_rules(branch.path, data.rules):
        if not _applies(rule, branch, data):
            continue
        cells = []
        for period in periods_overlapping(window.start, window.end, rule.period):
            count = sum(by_month.get(month, {}).get(rule.kind, 0) for month in period.months)
            state = _state(period, count, rule.minimum, founded_on=branch.founded_on, today=today)
            cells.append(Cell(period, count, rule.minimum, state))
        rows.append(RuleRow(rule, cells))
    return BranchCompliance(branch, rows, dict(by_month), data.last_held.get(branch.pk))


def branch_compliance(branch: Organization, window: Window, *, today: date) -> BranchCompliance:
    """One branch, every rule that applies to it, every period of the window."""
    data = _load(branch, window, branch_only=True)
    return _branch(branch, data, window, today)


def subtree_compliance(org: Organization, window: Window, *, today: date) -> list[BranchCompliance]:
    """Every active branch in the subtree of ``org`` (the org itself when it is a branch)."""
    data = _load(org, window, branch_only=False)
    return [_branch(branch, data, window, today) for branch in data.branches]


@dataclass
class KindSummary:
    kind: str
    label: str
    checked: int = 0  # branches the rule applies to
    short: int = 0  # of those, branches that missed at least one period
    missed_periods: int = 0

    @property
    def met(self) -> int:
        return self.checked - self.short


def summarize(results: list[BranchCompliance]) -> list[KindSummary]:
    """Per kind: how many branches the rule reaches and how many fell short, for the chart."""
    summary: dict[str, KindSummary] = {}
    for result in results:
        for row in result.rows:
            item = summary.get(row.rule.kind)
            if item is None:  # the label once per kind: translating it per row was most of a province's time
                item = summary[row.rule.kind] = KindSummary(row.rule.kind, row.rule.get_kind_display())
            item.checked += 1
            if row.missed:
                item.short += 1
                item.missed_periods += len(row.missed)
    return sorted(summary.values(), key=lambda s: KIND_ORDER.get(s.kind, 99))


SORTS = {
    "misses": lambda r: (-r.missed_count, r.branch.path),
    "name": lambda r: (r.branch.name, r.branch.path),
    "last": lambda r: (r.last_held_on or date.min, r.branch.path),
}


def shortfalls(results: list[BranchCompliance], sort: str = "misses") -> list[BranchCompliance]:
    """The branches that missed at least one period (发展不平衡), in the order asked for."""
    short = [r for r in results if r.missed_count]
    return sorted(short, key=SORTS.get(sort, SORTS["misses"]))


# Up to this many branches their activities are read by branch id (the index on the branch); more (a
# province) by a join on the path, which PostgreSQL makes a scan of every activity whatever the size.
BRANCH_IDS_UP_TO = 2000


def branch_filter(branch_ids: list[int], org: Organization) -> dict:
    """The filter on an activity's branch that picks ``branch_ids``, the active branches below ``org``."""
    if len(branch_ids) <= BRANCH_IDS_UP_TO:
        return {"branch_id__in": branch_ids}
    return {"branch__path__startswith": org.path}


@dataclass(frozen=True)
class BranchTally:
    """A branch's standing without its cells: what a report or the dashboard shows of it."""

    id: int
    name: str
    short_name: str
    path: str
    founded_on: date | None
    missed_count: int
    checked: bool  # a rule applies to it


# The grouped columns that name a period of each unit, and the period's first day from them.
_UNIT_PARTS = {
    "month": (("m", ExtractMonth),),
    "quarter": (("q", ExtractQuarter),),
    "year": (),
}
_UNIT_START = {
    "month": lambda y, m: date(y, m, 1),
    "quarter": lambda y, q: date(y, (q - 1) * 3 + 1, 1),
    "year": lambda y: date(y, 1, 1),
}


def subtree_tally(org: Organization, window: Window, *, today: date) -> tuple[list[BranchTally], list[KindSummary]]:
    """``subtree_compliance`` then ``summarize``, with the same numbers, for a province: the database
    counts the activities per branch, kind and period, and only the periods that have ended and met a
    minimum come back. A branch's misses are then its ended periods (since it was founded) less those
    met, a subtraction per rule rather than a cell per period. tests/test_compliance_sql.py holds the
    two equal."""
    rules = list(ComplianceRule.objects.applying_to([org.path]))
    branches = list(
        Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH, is_active=True)
        .order_by("path")
        .values_list("id", "name", "short_name", "path", "founded_on")
    )
    with_committee, with_groups = _committees_and_groups(org) if rules else (set(), set())

    # A branch's effective rules depend only on the owners above it: the same for all its siblings
    # unless a rule is set on the branch itself.
    # Which of them reach it depends only on whether it has a committee and groups: 14,000 branches
    # share a few dozen such sets, worked out once each (with their rules in display order).
    owner_paths = {rule.owner.path for rule in rules if rule.owner_id}
    by_place: dict[str, list[ComplianceRule]] = {}
    by_sort: dict[tuple, dict[str, ComplianceRule]] = {}
    applying: dict[int, dict[str, ComplianceRule]] = {}
    for branch_id, _name, _short, path, _founded in branches:
        place = path if path in owner_paths else path[:-STEPLEN]
        sort = (place, branch_id in with_committee, path in with_groups)
        kinds = by_sort.get(sort)
        if kinds is None:
            chosen = by_place.get(place)
            if chosen is None:
                chosen = by_place[place] = effective_rules(path, rules)
            reaching = [r for r in chosen if _reaches(r, branch_id, path, with_committee, with_groups)]
            by_kind = {r.kind: r for r in reaching}
            kinds = by_sort[sort] = dict(sorted(by_kind.items(), key=lambda pair: KIND_ORDER.get(pair[0], 99)))
        if kinds:
            applying[branch_id] = kinds

    # The periods of each unit in the window that have ended: only they can be missed.
    units = {rule.period for by_kind in applying.values() for rule in by_kind.values()}
    ended = {
        unit: [p.start for p in periods_overlapping(window.start, window.end, unit) if p.end < today] for unit in units
    }
    founded = {row[0]: row[4] for row in branches}
    # Only the active branches are reported: those of them are all the activities that need counting.
    of_branches = branch_filter(list(founded), org)
    met: dict[tuple[int, str], int] = defaultdict(int)  # (branch, kind) -> ended periods met
    for unit, starts in ended.items():
        kinds = {rule.kind for by_kind in applying.values() for rule in by_kind.values() if rule.period == unit}
        lowest = min(rule.minimum for rule in rules if rule.kind in kinds and rule.period == unit)
        if not starts:
            continue
        last = periods_overlapping(starts[-1], starts[-1], unit)[0].end
        parts = _UNIT_PARTS[unit]
        rows = fetch_tuples(
            Activity.objects.filter(**of_branches, kind__in=kinds, held_on__range=(starts[0], last))
            .annotate(y=ExtractYear("held_on"), **{name: extract("held_on") for name, extract in parts})
            .values_list("branch_id", "kind", "y", *(name for name, _ in parts))
            .annotate(n=Count("id"))
            .filter(n__gte=lowest)
            .order_by()
        )
        make_start = _UNIT_START[unit]
        for branch_id, kind, *period, n in rows:
            rule = applying.get(branch_id, {}).get(kind)
            if rule is None or rule.period != unit or n < rule.minimum:
                continue
            start = make_start(*(int(value) for value in period))
            since = founded.get(branch_id)
            if since is None or since <= start:
                met[branch_id, kind] += 1

    summary: dict[str, KindSummary] = {}
    tallies = []
    for branch_id, name, short_name, path, founded_on in branches:
        missed_count = 0
        by_kind = applying.get(branch_id, {})
        for rule in by_kind.values():  # in display order
            starts = ended[rule.period]
            due = len(starts) - (bisect_left(starts, founded_on) if founded_on else 0)
            missed = due - met.get((branch_id, rule.kind), 0)
            item = summary.get(rule.kind)
            if item is None:
                item = summary[rule.kind] = KindSummary(rule.kind, rule.get_kind_display())
            item.checked += 1
            if missed:
                item.short += 1
                item.missed_periods += missed
            missed_count += missed
        tallies.append(BranchTally(branch_id, name, short_name, path, founded_on, missed_count, bool(by_kind)))
    return tallies, sorted(summary.values(), key=lambda s: KIND_ORDER.get(s.kind, 99))
