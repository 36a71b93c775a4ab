"""民主评议党员 grades of the period's year and the exemplars honoured in the period
(appraisals/stats.py), for the report's "选树先进典型" sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from appraisals.stats import GradeRow, grade_distribution, honour_counts, honour_rows


@dataclass
class AppraisalFigures:
    year: int
    grades: GradeRow
    rounds: int = 0
    branches_without_round: int = 0
    honours: dict[str, int] = field(default_factory=dict)

    @property
    def honoured(self) -> int:
        return sum(self.honours.values())

    def honour_rows(self) -> list[tuple[str, str, int]]:
        return honour_rows(self.honours)


def appraisal_figures(org, start: date, end: date) -> AppraisalFigures:
    dist = grade_distribution(org, end.year)
    return AppraisalFigures(
        year=end.year,
        grades=dist.total,
        rounds=len(dist.rows),
        branches_without_round=dist.branches_without_round,
        honours=honour_counts(org, start=start, end=end),
    )
