"""Mass evaluation (群众评议): satisfaction of the orgs of the subtree, from the rounds that overlap
the period, read from the rounds' per-org tallies (evaluations/tallies.py), never from the answers.
Only the subtree's orgs are summed: a round run above may also rate orgs outside it, and those rows
are left out.

The totals are one aggregate and the orgs below the threshold one query on the rate index; the list
of every org (the report's appendix table) is read only when asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from evaluations.models import Round, TargetTally
from evaluations.stats import LOW_RATE, Tally
from evaluations.tallies import RATINGS


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
    low_rate: float = LOW_RATE
    # (subtree org, rounds queryset) the org lists are read from; None: no rounds, no orgs.
    source: tuple | None = field(default=None, repr=False, compare=False)

    @cached_property
    def orgs(self) -> list[OrgRating]:
        """Every org a round evaluates inside the subtree, in the rounds' order and then the tree's."""
        if self.source is None:
            return []
        org, rounds = self.source
        targets = (
            Round.targets.through.objects.filter(round__in=rounds, organization__path__startswith=org.path)
            .order_by("round__opens_at", "round_id", "organization__path")
            .values_list("round_id", "organization_id", "organization__short_name", "organization__name")
        )
        counted = {
            (t["round_id"], t["target_id"]): Tally(*(t[c] for c in RATINGS))
            for t in _tallies(org, rounds).values("round_id", "target_id", *RATINGS)
        }
        return [
            OrgRating(org_id, short_name or name, counted.get((round_id, org_id)) or Tally())
            for round_id, org_id, short_name, name in targets
        ]

    @cached_property
    def low(self) -> list[OrgRating]:
        """The orgs below the threshold, worst first (ties in the order of ``orgs``)."""
        if self.source is None:
            return []
        org, rounds = self.source
        rows = (
            _tallies(org, rounds)
            .filter(rate__lt=self.low_rate)
            .order_by("rate", "round__opens_at", "round_id", "target__path")
            .values("target_id", "target__short_name", "target__name", *RATINGS)
        )
        return [
            OrgRating(t["target_id"], t["target__short_name"] or t["target__name"], Tally(*(t[c] for c in RATINGS)))
            for t in rows
        ]


def _aware(day: date, at: time):
    return timezone.make_aware(datetime.combine(day, at))


def _tallies(org, rounds):
    # A round's tallies are all about orgs it evaluates (the orgs are fixed once anyone answered).
    return TargetTally.objects.filter(round__in=rounds, target__path__startswith=org.path)


def evaluation_figures(org, campaign, start: date, end: date) -> EvaluationFigures:
    inside = Round.targets.through.objects.filter(round=OuterRef("pk"), organization__path__startswith=org.path)
    rounds = Round.objects.filter(
        Exists(inside), opens_at__lte=_aware(end, time.max), closes_at__gte=_aware(start, time.min)
    )
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    ids = list(rounds.values_list("pk", flat=True))
    if not ids:
        return EvaluationFigures()
    totals = _tallies(org, ids).aggregate(
        responses=Sum("responses", default=0), **{c: Sum(c, default=0) for c in RATINGS}
    )
    return EvaluationFigures(
        rounds=len(ids),
        responses=totals["responses"],
        overall=Tally(*(totals[c] for c in RATINGS)),
        source=(org, ids),
    )
