"""Results of a round: counts and satisfaction per question, per org and overall, from one query.

Satisfaction rate (满意率) = (满意 + 基本满意) / (满意 + 基本满意 + 不满意). 不了解 is counted and shown
but left out of the rate: someone who does not know the org has not judged it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Answer, QuestionKind, Rating, Response


@dataclass
class Tally:
    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    unknown: int = 0

    def add(self, other: "Tally") -> None:
        self.satisfied += other.satisfied
        self.basic += other.basic
        self.dissatisfied += other.dissatisfied
        self.unknown += other.unknown

    @property
    def judged(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def total(self) -> int:
        return self.judged + self.unknown

    @property
    def rate(self) -> float | None:
        """Satisfaction rate; None when nobody judged (nothing to divide by)."""
        return (self.satisfied + self.basic) / self.judged if self.judged else None

    @property
    def dissatisfied_share(self) -> float | None:
        """不满意 among all answers, 不了解 included; None when there are none."""
        return self.dissatisfied / self.total if self.total else None

    def counts(self) -> list[int]:
        return [self.satisfied, self.basic, self.dissatisfied, self.unknown]


@dataclass
class Row:
    key: int
    label: str
    tally: Tally = field(default_factory=Tally)
    responses: int = 0
    cells: dict = field(default_factory=dict)  # question id -> Tally (per-org rows only)
    cell_list: list = field(default_factory=list)  # the cells in question order, for the table


@dataclass
class Results:
    responses: int
    questions: list[Row]
    orgs: list[Row]
    overall: Tally
    comments: int
    low: list[Row]  # orgs below the threshold, worst first

    def chart_data(self, names: dict) -> dict:
        def pct(value):
            return None if value is None else round(value * 100, 1)

        return {
            "names": names,
            "questions": {
                "labels": [r.label for r in self.questions],
                "rate": [pct(r.tally.rate) for r in self.questions],
                "counts": [r.tally.counts() for r in self.questions],
            },
            "orgs": {
                "labels": [r.label for r in self.orgs],
                "rate": [pct(r.tally.rate) for r in self.orgs],
                "responses": [r.responses for r in self.orgs],
            },
        }


LOW_RATE = 0.8  # below this, an org's result is flagged on the results page


def _tally(row: dict) -> Tally:
    return Tally(row["satisfied"], row["basic"], row["dissatisfied"], row["unknown"])


def round_results(round_) -> Results:
    """Three queries whatever the size: the (org, question) tallies, responses per org, comments."""
    questions = [q for q in round_.questions.all() if q.kind == QuestionKind.RATING]
    targets = sorted(round_.targets.all(), key=lambda o: o.path)
    grouped = (
        Answer.objects.filter(response__round=round_)
        .values("response__target_org", "question")
        .order_by()
        .annotate(
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basic=Count("pk", filter=Q(rating=Rating.BASIC)),
            dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
            unknown=Count("pk", filter=Q(rating=Rating.UNKNOWN)),
        )
    )
    per_org = dict(
        Response.objects.filter(round=round_)
        .values("target_org")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("target_org", "n")
    )
    comments = Response.objects.filter(round=round_).exclude(comment="").count()
    question_rows = {q.pk: Row(q.pk, q.text) for q in questions}
    org_rows = {o.pk: Row(o.pk, o.short_name or o.name, responses=per_org.get(o.pk, 0)) for o in targets}
    overall = Tally()
    for item in grouped:
        tally = _tally(item)
        org_id, question_id = item["response__target_org"], item["question"]
        if question_id in question_rows:
            question_rows[question_id].tally.add(tally)
        if org_id not in org_rows:  # an org taken off the round after answers came in
            continue
        org_rows[org_id].tally.add(tally)
        org_rows[org_id].cells[question_id] = tally
        overall.add(tally)
    orgs = list(org_rows.values())
    for row in orgs:
        row.cell_list = [row.cells.get(q.pk, Tally()) for q in questions]
    low = sorted((r for r in orgs if r.tally.rate is not None and r.tally.rate < LOW_RATE), key=lambda r: r.tally.rate)
    return Results(
        responses=sum(per_org.values()),
        questions=list(question_rows.values()),
        orgs=orgs,
        overall=overall,
        comments=comments,
        low=low,
    )
