"""Mass evaluation (群众评议): satisfaction of the orgs of the subtree, from the rounds that overlap
the period, as evaluations/stats.py tallies them. Only the subtree's orgs are summed: a round run
above may also rate orgs outside it, and those rows are left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from evaluations.models import Round
from evaluations.stats import LOW_RATE, Tally, round_results


@dataclass
class OrgRating:
    id: int
    label: str
    tally: Tally


@dataclass
class EvaluationFigures:
    rounds: int = 0
    responses: int = 0
    overall: Tally = field(default_factory=Tally)
    orgs: list[OrgRating] = field(default_factory=list)
    low_rate: float = LOW_RATE

    @property
    def low(self) -> list[OrgRating]:
        rows = [r for r in self.orgs if r.tally.rate is not None and r.tally.rate < self.low_rate]
        return sorted(rows, key=lambda r: r.tally.rate)


def _aware(day: date, at: time):
    return timezone.make_aware(datetime.combine(day, at))


def evaluation_figures(org, campaign, start: date, end: date) -> EvaluationFigures:
    rounds = (
        Round.objects.filter(
            targets__path__startswith=org.path,
            opens_at__lte=_aware(end, time.max),
            closes_at__gte=_aware(start, time.min),
        )
        .distinct()
        .prefetch_related("questions", "targets")
        .order_by("opens_at", "id")
    )
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    figures = EvaluationFigures()
    for round_ in rounds:  # rounds are few (a handful a year); each is three grouped queries
        results = round_results(round_)
        inside = {o.pk for o in round_.targets.all() if o.path.startswith(org.path)}
        figures.rounds += 1
        for row in results.orgs:
            if row.key in inside:
                figures.responses += row.responses
                figures.overall.add(row.tally)
                figures.orgs.append(OrgRating(row.key, row.label, row.tally))
    return figures
