"""Results of a round: counts and satisfaction per question, per org and overall, read from the tallies
(evaluations/tallies.py), never from the answers, and one page of orgs at a time.

Satisfaction rate (满意率) = (满意 + 基本满意) / (满意 + 基本满意 + 不满意). 不了解 is counted and shown
but left out of the rate: someone who does not know the org has not judged it.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F, FilteredRelation, Q, Sum
from django.db.models.functions import Coalesce

from branches.models import Organization

from .models import AnswerTally, QuestionKind, QuestionTally, Round, TargetTally
from .tallies import RATINGS


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

    @property
    def is_low(self) -> bool:
        return self.rate is not None and self.rate < LOW_RATE

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
    path: str = ""
    low_items: list = field(default_factory=list)  # (question Row, Tally) of the items below LOW_RATE

    @property
    def needs_rectification(self) -> bool:
        """Below the threshold overall or on an item: what the results page offers to list for rectification."""
        return self.tally.is_low or bool(self.low_items)


@dataclass
class Results:
    responses: int
    questions: list[Row]
    orgs: list[Row]  # one page of the orgs evaluated, in the order asked for
    overall: Tally
    comments: int
    low: list[Row]  # the worst orgs below the threshold, worst first (at most LOW_SHOWN)
    low_count: int = 0  # every org below the threshold
    page: object = None  # the paginator page of ``orgs``
    targets: int = 0  # orgs evaluated

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
LOW_SHOWN = 10  # the orgs named in the warning above the table; the filter lists them all
PER_PAGE = 50
SORTS = ("tree", "rate", "-rate", "responses")


class CountedPaginator(Paginator):
    """A paginator told its count when the caller knows it more cheaply than COUNT(*) over the query."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.count = count  # the cached_property's slot


def _tally(row, prefix: str = "") -> Tally:
    return Tally(*(row[f"{prefix}{c}"] or 0 for c in RATINGS))


def targets(round_):
    """The orgs the round evaluates, each with its tally columns (t_satisfied ... t_responses, 0 when
    nobody answered) and its rate (None then); ``t_`` names keep clear of the org's own fields."""
    return (
        Organization.objects.filter(evaluated_in=round_)
        .annotate(t=FilteredRelation("evaluation_tallies", condition=Q(evaluation_tallies__round=round_)))
        .annotate(
            t_responses=Coalesce(F("t__responses"), 0),
            **{f"t_{c}": Coalesce(F(f"t__{c}"), 0) for c in RATINGS},
            t_rate=F("t__rate"),
        )
    )


def _order(qs, sort: str):
    if sort == "rate":
        return qs.order_by(F("t_rate").asc(nulls_last=True), "path")
    if sort == "-rate":
        return qs.order_by(F("t_rate").desc(nulls_last=True), "path")
    if sort == "responses":
        return qs.order_by("-t_responses", "path")
    return qs.order_by("path")


def _row(org) -> Row:
    return Row(
        org.pk,
        org.short_name or org.name,
        _tally(org.__dict__, "t_"),
        responses=org.t_responses,
        path=org.path,
    )


def round_results(round_, *, query: str = "", sort: str = "tree", low_only: bool = False, page=1) -> Results:
    """A fixed number of queries whatever the numbers of orgs and answers: the questions, the round's
    totals, the item totals, the orgs below the threshold, one page of orgs and their items' tallies."""
    questions = [q for q in round_.questions.all() if q.kind == QuestionKind.RATING]
    # Every tally's org is one the round evaluates: the orgs cannot change once anyone answered
    # (services/rounds.py, and the admin), so the round's totals are the sum of all its tallies.
    totals = TargetTally.objects.filter(round=round_).aggregate(
        responses=Sum("responses", default=0),
        comments=Sum("comments", default=0),
        **{c: Sum(c, default=0) for c in RATINGS},
    )
    question_rows = {q.pk: Row(q.pk, q.text) for q in questions}
    for item in QuestionTally.objects.filter(round=round_).values("question", *RATINGS):
        if item["question"] in question_rows:
            question_rows[item["question"]].tally = _tally(item)

    below = TargetTally.objects.filter(round=round_, rate__lt=LOW_RATE)
    low = [
        Row(t.target_id, t.target.short_name or t.target.name, _tally(t.__dict__), t.responses, path=t.target.path)
        for t in below.select_related("target").order_by("rate", "target__path")[:LOW_SHOWN]
    ]
    low_count = below.count()

    everyone = targets(round_)
    listed = everyone
    query = (query or "").strip()
    if query:
        listed = listed.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    if low_only:
        # Both from the (round, rate) indexes: the orgs low overall, and those low on an item.
        items_low = AnswerTally.objects.filter(round=round_, rate__lt=LOW_RATE).values("target")
        listed = listed.filter(Q(pk__in=below.values("target")) | Q(pk__in=items_low))
    sort = sort if sort in SORTS else "tree"
    # Unfiltered, the count is the round's targets alone, without the tallies joined.
    count = Round.targets.through.objects.filter(round=round_).count() if not (query or low_only) else None
    page_obj = CountedPaginator(_order(listed, sort), PER_PAGE, count=count).get_page(page)
    orgs = _with_cells(round_, [_row(o) for o in page_obj.object_list], questions, question_rows)
    return Results(
        responses=totals["responses"],
        questions=list(question_rows.values()),
        orgs=orgs,
        overall=_tally(totals),
        comments=totals["comments"],
        low=low,
        low_count=low_count,
        page=page_obj,
        targets=count if count is not None else Round.targets.through.objects.filter(round=round_).count(),
    )


def _with_cells(round_, orgs: list[Row], questions, question_rows=None) -> list[Row]:
    """Fill the rows' per-item cells (and the items below the threshold) from one query."""
    by_org = {r.key: r for r in orgs}
    cells = AnswerTally.objects.filter(round=round_, target__in=list(by_org))
    for cell in cells.values("target", "question", *RATINGS):
        by_org[cell["target"]].cells[cell["question"]] = _tally(cell)
    question_rows = question_rows or {q.pk: Row(q.pk, q.text) for q in questions}
    for row in orgs:
        row.cell_list = [row.cells.get(q.pk, Tally()) for q in questions]
        row.low_items = [
            (question_rows[q.pk], tally) for q, tally in zip(questions, row.cell_list, strict=True) if tally.is_low
        ]
    return orgs


def org_result(round_, org) -> Row | None:
    """One org's row of the round (None when the round does not evaluate it)."""
    found = targets(round_).filter(pk=org.pk).first()
    if found is None:
        return None
    questions = [q for q in round_.questions.all() if q.kind == QuestionKind.RATING]
    return _with_cells(round_, [_row(found)], questions)[0]


def every_org(round_, chunk: int = 2000):
    """Every org of the round with its items' tallies, in the tree's order, a chunk of orgs at a time
    (the XLSX export): the same rows as the pages, never the answers."""
    questions = [q for q in round_.questions.all() if q.kind == QuestionKind.RATING]
    orgs = targets(round_).order_by("path")
    last = ""
    while True:
        batch = [_row(o) for o in orgs.filter(path__gt=last)[:chunk]]
        if not batch:
            return
        yield from _with_cells(round_, batch, questions)
        last = batch[-1].path
