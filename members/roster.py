"""The roster list's rows and pages, shaped to stay fast on a 300,000-member tree.

Counting every matching row is what makes a big roster slow (PostgreSQL scans the whole
subtree for COUNT(*)), and nobody pages through tens of thousands of names. So the count
stops at ``ROSTER_COUNT_CAP``: below it the page shows the exact total and every page;
above it the page says "more than N" and asks the user to narrow the search, and the
deepest reachable OFFSET stays small. bench/member_list.py measures the effect.
"""

from functools import cached_property, reduce
from operator import add

from django.core.paginator import Paginator
from django.db.models import F, IntegerField, Q, RowRange, Subquery, Sum, Window
from django.urls import reverse

from .models import Gender, OrgHeadcount, Stage

ROSTER_PAGE_SIZE = 50
ROSTER_COUNT_CAP = 10_000

# Everything the list shows and nothing more: no photos, work unit or timestamps.
ROSTER_COLUMNS = (
    "id",
    "name",
    "gender",
    "id_number",
    "phone",
    "stage",
    "is_mobile",
    "is_retired",
    "is_frail",
    "is_unemployed",
    "user_id",
    "org_id",
    "org__name",
    "org__short_name",
    "org__path",
)


class CappedPaginator(Paginator):
    """A Paginator whose count stops at ``cap``; ``is_capped`` says the real total is larger."""

    first_rows = None  # page 1, when roster_page has already read it

    def __init__(self, object_list, per_page, *, cap: int | None = None, headcount=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = ROSTER_COUNT_CAP if cap is None else cap
        self.headcount = headcount

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        if self.headcount is not None:
            return headcount_count(*self.headcount, cap=self.cap)
        # COUNT(*) over a LIMITed subquery: the database stops after cap + 1 rows.
        seen = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return min(seen, self.cap), seen > self.cap

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def is_capped(self) -> bool:
        return self._capped[1]

    def known_count(self, count: int) -> None:
        self._capped = (count, False)
        self.count = count

    def _get_page(self, object_list, number, paginator):
        if number == 1 and self.first_rows is not None:
            object_list = self.first_rows
        return super()._get_page(object_list, number, paginator)


def roster_rows(queryset):
    return queryset.select_related("org").only(*ROSTER_COLUMNS).order_by("org_id", "name", "id")


def headcount_count(where, stages, *, cap: int) -> tuple[int, bool]:
    """(count, is_capped) of the members in ``stages`` of the orgs matching ``where``, from the per-org
    counts (OrgHeadcount, kept exact on every member write) instead of the member rows.

    A running sum over the orgs in id order stops at the first org that takes it past ``cap``: the
    database reads a few hundred count rows (one index walk) where counting members read ``cap`` of
    them with a probe of the org for each. Within the cap, the sum at the last org is the total.
    """
    if not stages:
        return 0, False  # contradictory filters (a kind without the chosen stage)
    per_org = reduce(add, (F(stage) for stage in stages))
    counts = OrgHeadcount.objects.filter(where)
    last = counts.order_by("-org_id").values("org_id")[:1]
    running = (
        counts.annotate(
            running=Window(
                Sum(per_org, output_field=IntegerField()),
                order_by=F("org_id").asc(),
                frame=RowRange(start=None, end=0),
            )
        )
        .filter(Q(running__gt=cap) | Q(org_id=Subquery(last)))
        .order_by("org_id")
        .values_list("running", flat=True)[:1]
    )
    seen = next(iter(running), 0)
    return min(seen, cap), seen > cap


def roster_page(queryset, number, *, headcount=None):
    """Page ``number`` of the rows of ``queryset``; ``headcount``, (Q on OrgHeadcount, stages) that select
    the same members (filters.headcount_filter), lets the count come from the per-org counts."""
    rows = roster_rows(queryset)
    paginator = CappedPaginator(rows, ROSTER_PAGE_SIZE, headcount=headcount)
    if str(number or "1") == "1":
        # A first page that is not full is the whole result: no count query needed. Most
        # searches end here, and their count would scan what the page query just read.
        first = list(rows[: ROSTER_PAGE_SIZE + 1])
        paginator.first_rows = first[:ROSTER_PAGE_SIZE]
        if len(first) <= ROSTER_PAGE_SIZE:
            paginator.known_count(len(first))
            return paginator.page(1)
    return paginator.get_page(number)


def label_rows(members) -> None:
    """Give each row of a page its detail link and choice labels, worked out once per page.

    ``get_FOO_display`` rebuilds the field's choice dict on every call and ``{% url %}`` resolves the
    pattern again for every row; on a 50-row page those per-cell costs were most of the rendering.
    """
    stages = {value: str(label) for value, label in Stage.choices}
    genders = {value: str(label) for value, label in Gender.choices}
    # The detail URL with a placeholder pk, filled per row: one reverse() per page.
    head, _, tail = reverse("members:member_detail", args=[_PK_PLACEHOLDER]).rpartition(str(_PK_PLACEHOLDER))
    for member in members:
        member.detail_url = f"{head}{member.pk}{tail}"
        member.stage_label = stages.get(member.stage, member.stage)
        member.gender_label = genders.get(member.gender, member.gender)


_PK_PLACEHOLDER = 918273645
