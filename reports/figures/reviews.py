"""Leader reviews held in the period and their coverage (reviews/coverage.py), and the rectification
rate (reviews/rates.py) with the items overdue per org, for the problems section."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from reviews.coverage import Coverage, coverage
from reviews.models import Method, RectificationItem, Review
from reviews.rates import RateRow, rectification_rates


@dataclass
class ReviewFigures:
    held: int = 0  # reviews that took place in the period
    by_method: dict[str, int] = field(default_factory=dict)
    coverage: Coverage | None = None
    rectification: RateRow | None = None
    baseline_rectification: RateRow | None = None
    overdue_by_path: dict[str, tuple[str, int]] = field(default_factory=dict)  # path -> (org name, items)

    def method_rows(self) -> list[tuple[str, str, int]]:
        return [(m.value, str(m.label), self.by_method.get(m.value, 0)) for m in Method]

    @property
    def overdue(self) -> int:
        return sum(n for _name, n in self.overdue_by_path.values())


def review_figures(org, campaign, start: date, end: date, *, today: date, baseline=None) -> ReviewFigures:
    done = Review.objects.in_subtree(org).done().filter(held_on__range=(start, end))
    if campaign is not None:
        done = done.filter(campaign=campaign)
    figures = ReviewFigures(by_method=dict(done.order_by().values_list("method").annotate(n=Count("id"))))
    figures.held = sum(figures.by_method.values())
    figures.coverage = coverage(org, campaign, reviews=Review.objects.all())
    items = RectificationItem.objects.all()
    figures.rectification = rectification_rates(org, start, end, items=items, today=today).total
    if baseline is not None:
        figures.baseline_rectification = rectification_rates(org, *baseline, items=items, today=today).total
    overdue = (
        RectificationItem.objects.in_subtree(org)
        .overdue(today)
        .order_by()
        .values_list("org__path", "org__name", "org__short_name")
        .annotate(n=Count("id"))
    )
    figures.overdue_by_path = {path: (short or name, n) for path, name, short, n in overdue}
    return figures
