"""The roster list's rows and pages, shaped to stay fast on a 300,000-member tree.

Counting every matching row is what makes a big roster slow (PostgreSQL scans the whole
subtree for COUNT(*)), and nobody pages through tens of thousands of names. So the count
stops at ``ROSTER_COUNT_CAP``: below it the page shows the exact total and every page;
above it the page says "more than N" and asks the user to narrow the search, and the
deepest reachable OFFSET stays small. bench/member_list.py measures the effect.
"""

from functools import cached_property

from django.core.paginator import Paginator

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

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = ROSTER_COUNT_CAP if cap is None else cap

    @cached_property
    def _capped(self) -> tuple[int, bool]:
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


def roster_page(queryset, number):
    rows = roster_rows(queryset)
    paginator = CappedPaginator(rows, ROSTER_PAGE_SIZE)
    if str(number or "1") == "1":
        # A first page that is not full is the whole result: no count query needed. Most
        # searches end here, and their count would scan what the page query just read.
        first = list(rows[: ROSTER_PAGE_SIZE + 1])
        paginator.first_rows = first[:ROSTER_PAGE_SIZE]
        if len(first) <= ROSTER_PAGE_SIZE:
            paginator.known_count(len(first))
            return paginator.page(1)
    return paginator.get_page(number)
