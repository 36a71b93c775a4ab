"""The roster list's rows and pages, shaped to stay fast on a 300,000-member tree.

Counting every matching row is what makes a big roster slow (PostgreSQL scans the whole
subtree for COUNT(*)), and nobody pages through tens of thousands of names. So the count
stops at ``ROSTER_COUNT_CAP``: below it the page shows the exact total and every page;
above it the page says "more than N" and asks the user to narrow the search, and the
deepest reachable OFFSET stays small. bench/pages.py measures the effect ("member list, deep page").
"""

from dataclasses import dataclass
from functools import cached_property, reduce
from operator import add

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import CharField, ExpressionWrapper, F
from django.urls import reverse

from .idcard import mask
from .models import Gender, Member, OrgHeadcount, Stage
from .pii import mask_phone

ROSTER_PAGE_SIZE = 50
ROSTER_COUNT_CAP = 10_000

# Everything the list shows and nothing more: no photos, work unit or timestamps. Read as plain
# values, not Member instances: building 50 model instances cost more than the query.
ROSTER_VALUES = (
    "id",
    "name",
    "gender",
    "id_sealed",
    "phone_sealed",
    "stage",
    "is_mobile",
    "is_retired",
    "is_frail",
    "is_unemployed",
    "user_id",
    "org_id",
    "org__name",
    "org__short_name",
)

# Looked up per row; ``get_FOO_display`` would rebuild the field's choice dict on every call.
_STAGE_LABELS = dict(Stage.choices)
_GENDER_LABELS = dict(Gender.choices)


@dataclass(slots=True)
class RosterRow:
    """One line of the roster, with the names the template and the tests read on a Member."""

    pk: int
    name: str
    gender: str
    id_sealed: str  # the ciphertexts (members/pii.py), opened only when the row is rendered
    phone_sealed: str
    stage: str
    is_mobile: bool
    is_retired: bool
    is_frail: bool
    is_unemployed: bool
    user_id: int | None
    org_id: int
    org_name: str
    org_short_name: str
    detail_url: str = ""  # set per page by label_rows

    @property
    def stage_label(self) -> str:
        return _STAGE_LABELS.get(self.stage, self.stage)

    @property
    def gender_label(self) -> str:
        return _GENDER_LABELS.get(self.gender, self.gender)

    @property
    def id_number(self) -> str:
        return _open("id_number", self.id_sealed)

    @property
    def phone(self) -> str:
        return _open("phone", self.phone_sealed)

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


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
        return super()._get_page([RosterRow(*values) for values in object_list], number, paginator)


def _open(field: str, sealed: str) -> str:
    return Member._meta.get_field(field).from_db_value(sealed, None, None)


def roster_rows(queryset):
    """The rows of ``queryset`` in roster order, as RosterRow values."""
    # ID numbers and phones read as stored: a page served from the fragment cache never decrypts them.
    return (
        queryset.order_by("org_id", "name", "id")
        .annotate(
            id_sealed=ExpressionWrapper(F("id_number"), output_field=CharField()),
            phone_sealed=ExpressionWrapper(F("phone"), output_field=CharField()),
        )
        .values_list(*ROSTER_VALUES)
    )


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
    counts = OrgHeadcount.objects.filter(where).order_by().annotate(n=per_org).values_list("org_id", "n")
    # Written around the ORM's SQL for the filtered counts (compiled once, used twice): the ORM's
    # own window filter took longer to compile than the database took to answer.
    inner, params = counts.query.sql_with_params()
    sql = (
        "SELECT running FROM ("
        " SELECT org_id, SUM(n) OVER (ORDER BY org_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running"
        f" FROM ({inner}) counts"
        f") sums WHERE running > %s OR org_id = (SELECT org_id FROM ({inner}) tail ORDER BY org_id DESC LIMIT 1)"
        " ORDER BY org_id LIMIT 1"
    )
    with connections[counts.db].cursor() as cursor:
        cursor.execute(sql, [*params, cap, *params])
        row = cursor.fetchone()
    seen = row[0] if row else 0
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


def label_rows(rows) -> None:
    """Give each row of a page its detail link: one reverse() per page instead of one per row."""
    head, _, tail = reverse("members:member_detail", args=[_PK_PLACEHOLDER]).rpartition(str(_PK_PLACEHOLDER))
    for row in rows:
        row.detail_url = f"{head}{row.pk}{tail}"


_PK_PLACEHOLDER = 918273645
