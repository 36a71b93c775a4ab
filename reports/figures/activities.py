"""Activities of the subtree in the period: per month and kind, and 三会一课 compliance of each branch
as activities/compliance.py judges it (the same rules, the same periods)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from activities.compliance import branch_filter, subtree_tally
from activities.models import THREE_MEETINGS_ONE_LESSON, Activity, ActivityKind
from activities.periods import Window, month_end, month_start, months_between

from .subtree import org_filter


@dataclass
class BranchActivity:
    id: int
    name: str
    path: str
    held: int  # activities counted toward the branch in the period
    missed: int  # periods of a 三会一课 rule it fell short in
    checked: bool  # a rule applies to it


@dataclass
class ActivityFigures:
    start: date
    end: date
    by_month: dict[date, dict[str, int]] = field(default_factory=dict)  # month -> kind -> n
    branches: list[BranchActivity] = field(default_factory=list)
    kinds: list = field(default_factory=list)  # compliance.KindSummary per kind

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    @property
    def total(self) -> int:
        return sum(sum(k.values()) for k in self.by_month.values())

    @property
    def three(self) -> int:
        return sum(n for k in self.by_month.values() for kind, n in k.items() if kind in THREE_MEETINGS_ONE_LESSON)

    def month_total(self, month: date) -> int:
        return sum(self.by_month.get(month, {}).values())

    def month_rows(self) -> list[tuple[date, int, int]]:
        """(month, all activities, of them 三会一课) for every month of the period."""
        rows = []
        for month in self.months:
            kinds = self.by_month.get(month, {})
            three = sum(n for kind, n in kinds.items() if kind in THREE_MEETINGS_ONE_LESSON)
            rows.append((month, sum(kinds.values()), three))
        return rows

    def kind_rows(self) -> list[tuple[str, str, int]]:
        totals: dict[str, int] = {}
        for kinds in self.by_month.values():
            for kind, n in kinds.items():
                totals[kind] = totals.get(kind, 0) + n
        return [(k.value, str(k.label), totals.get(k.value, 0)) for k in ActivityKind if totals.get(k.value)]

    @property
    def busiest(self) -> tuple[date, int] | None:
        rows = [(m, n) for m, n, _ in self.month_rows() if n]
        return max(rows, key=lambda r: r[1]) if rows else None

    @property
    def checked(self) -> int:
        return sum(1 for b in self.branches if b.checked)

    @property
    def compliant(self) -> int:
        return sum(1 for b in self.branches if b.checked and not b.missed)

    @property
    def compliance_rate(self) -> float | None:
        return self.compliant / self.checked if self.checked else None

    @property
    def idle(self) -> list[BranchActivity]:
        return [b for b in self.branches if not b.held]

    @property
    def short(self) -> list[BranchActivity]:
        return [b for b in self.branches if b.missed]


def activity_figures(org, start: date, end: date, *, today: date) -> ActivityFigures:
    figures = ActivityFigures(start, end)
    rows = (
        Activity.objects.filter(**org_filter(org), held_on__range=(start, end))
        .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on"))
        .values_list("y", "m", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for year, month, kind, n in rows:
        figures.by_month.setdefault(date(year, month, 1), {})[kind] = n
    # Rules count whole months (and quarters, years): the window covers the months the period touches.
    window = Window(month_start(start), month_end(end), "report")
    tallies, figures.kinds = subtree_tally(org, window, today=today)
    held = dict(
        Activity.objects.filter(**branch_filter([t.id for t in tallies], org), held_on__range=(start, end))
        .values_list("branch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for tally in tallies:
        if tally.founded_on and tally.founded_on > end:
            continue
        figures.branches.append(
            BranchActivity(
                id=tally.id,
                name=tally.short_name or tally.name,
                path=tally.path,
                held=held.get(tally.id, 0),
                missed=tally.missed_count,
                checked=tally.checked,
            )
        )
    return figures
