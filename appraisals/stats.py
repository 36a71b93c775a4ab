"""Numbers of a subtree: how members were graded, branch by branch, and how many exemplars were named.

Each table is one grouped query, never a loop over branches. ``honour_counts`` is what the reports
(推进会汇报材料) write their "选树先进典型" sentence from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from branches.models import Organization, OrgKind

from .models import GRADE_ORDER, AppraisalEntry, AppraisalPhase, Candidate, Grade, Title


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class GradeRow:
    key: object
    label: str
    round_id: int | None = None
    phase: str = ""
    excellent: int = 0
    qualified: int = 0
    basic: int = 0
    unqualified: int = 0
    undecided: int = 0
    total: int = 0

    @property
    def counts(self) -> list[int]:
        return [getattr(self, g) for g in GRADE_ORDER]

    @property
    def phase_label(self) -> str:
        return str(AppraisalPhase(self.phase).label) if self.phase else ""

    @property
    def decided(self) -> int:
        return self.total - self.undecided

    @property
    def excellent_share(self) -> float | None:
        return _ratio(self.excellent, self.decided)

    @property
    def below_share(self) -> float | None:
        """基本合格 and 不合格 among the decided: the members the branch must help or deal with."""
        return _ratio(self.basic + self.unqualified, self.decided)

    def add(self, other: GradeRow) -> None:
        for name in (*GRADE_ORDER, "undecided", "total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


GRADE_COUNTS = {
    **{g: Count("id", filter=Q(grade=g)) for g in GRADE_ORDER},
    "undecided": Count("id", filter=Q(grade="")),
    "total": Count("id"),
}


@dataclass
class Distribution:
    org: Organization
    year: int
    rows: list[GradeRow] = field(default_factory=list)
    total: GradeRow = field(default_factory=lambda: GradeRow(None, ""))
    branches: int = 0  # active branches in the subtree
    branches_without_round: int = 0


def grade_distribution(org: Organization, year: int) -> Distribution:
    """Per branch with a round that year, the members per decided grade; plus the subtree's total."""
    grouped = (
        AppraisalEntry.objects.in_subtree(org)
        .filter(round__year=year)
        .order_by("round__org__path")
        .values("round__org_id", "round__org__name", "round__org__short_name", "round_id", "round__phase")
        .annotate(**GRADE_COUNTS)
    )
    dist = Distribution(org=org, year=year, total=GradeRow(None, str(org)))
    for r in grouped:
        row = GradeRow(
            r["round__org_id"],
            r["round__org__short_name"] or r["round__org__name"],
            round_id=r["round_id"],
            phase=r["round__phase"],
            **{name: r[name] for name in GRADE_COUNTS},
        )
        dist.rows.append(row)
        dist.total.add(row)
    dist.branches = Organization.objects.in_subtree(org).filter(kind=OrgKind.BRANCH, is_active=True).count()
    dist.branches_without_round = max(0, dist.branches - len(dist.rows))
    return dist


def honour_counts(org: Organization, *, start: date | None = None, end: date | None = None) -> dict[str, int]:
    """Exemplars honoured in the period who belong to the org's subtree, per title, every title
    present (zero when none): {"excellent_member": 41, "advanced_org": 3, ...}."""
    counts = dict.fromkeys(Title.values, 0)
    rows = (
        Candidate.objects.honoured()
        .in_subtree(org)
        .in_period(start, end)
        .order_by()
        .values_list("round__title")
        .annotate(n=Count("id"))
    )
    counts.update(dict(rows))
    return counts


def honour_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(title, label, count) in the titles' order, for tables."""
    return [(t.value, str(t.label), counts.get(t.value, 0)) for t in Title]


def grade_labels() -> list[str]:
    return [str(g.label) for g in Grade]
