"""三会一课 compliance: for each branch, each rule and each month / quarter / year, how many
activities were held and whether that met the rule's minimum.

A whole subtree is computed from a handful of grouped queries whatever its size: the counts per
branch per kind per month in one, the rules in another, and one each for what decides which
rules apply (branches with a committee, branches with party groups) and the last activity date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max
from django.db.models.functions import ExtractMonth, ExtractYear

from branches.models import LeadershipPost, Organization, OrgKind

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
    with_groups = {path[:-STEPLEN] for path in group_paths}
    last_held = dict(
        Activity.objects.filter(**activity_scope).values_list("branch_id").annotate(last=Max("held_on")).order_by()
    )
    return SubtreeData(branches, rules, counts, with_committee, with_groups, last_held)


def _applies(rule: ComplianceRule, branch: Organization, data: SubtreeData) -> bool:
    if rule.applies_to == AppliesTo.WITH_COMMITTEE:
        return branch.pk in data.with_committee
    if rule.applies_to == AppliesTo.WITH_GROUPS:
        return branch.path in data.with_groups
    return True


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
            item = summary.setdefault(row.rule.kind, KindSummary(row.rule.kind, row.rule.get_kind_display()))
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
