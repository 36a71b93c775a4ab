"""Mass evaluation (群众评议): satisfaction of the orgs of the subtree, from the rounds that overlap
the period, read from the rounds' per-org tallies (evaluations/tallies.py), never from the answers.
Only the subtree's orgs are summed: a round run above may also rate orgs outside it, and those rows
are left out. Two queries whatever the number of rounds, orgs and answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

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
    orgs: list[OrgRating] = field(default_factory=list)
    low_rate: float = LOW_RATE

    @property
    def low(self) -> list[OrgRating]:
        rows = [r for r in self.orgs if r.tally.rate is not None and r.tally.rate < self.low_rate]
        return sorted(rows, key=lambda r: r.tally.rate)


def _aware(day: date, at: time):
    return timezone.make_aware(datetime.combine(day, at))


def evaluation_figures(org, campaign, start: date, end: date) -> EvaluationFigures:
    rounds = Round.objects.filter(
        targets__path__startswith=org.path,
        opens_at__lte=_aware(end, time.max),
        closes_at__gte=_aware(start, time.min),
    )
    if campaign is not None:
        rounds = rounds.filter(campaign=campaign)
    # Every org a round evaluates inside the subtree, in the rounds' order and then the tree's.
    targets = list(
        Round.targets.through.objects.filter(round__in=rounds.values("pk"), organization__path__startswith=org.path)
        .order_by("round__opens_at", "round_id", "organization__path")
        .values_list("round_id", "organization_id", "organization__short_name", "organization__name")
    )
    counted = {
        (t["round_id"], t["target_id"]): t
        for t in TargetTally.objects.filter(round__in=rounds.values("pk"), target__path__startswith=org.path).values(
            "round_id", "target_id", "responses", *RATINGS
        )
    }
    figures = EvaluationFigures(rounds=len({round_id for round_id, *_ in targets}))
    for round_id, org_id, short_name, name in targets:
        row = counted.get((round_id, org_id))
        tally = Tally(*(row[c] for c in RATINGS)) if row else Tally()
        figures.responses += row["responses"] if row else 0
        figures.overall.add(tally)
        figures.orgs.append(OrgRating(org_id, short_name or name, tally))
    return figures
