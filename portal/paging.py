"""Keyset (seek) pages and capped counts, for lists too long to count exactly or to OFFSET into.

An OFFSET page makes the database read and throw away every row before it, and an exact count reads
every matching row; on a province (600,000 pledges) both cost more than the page itself. A keyset page
asks for "the next rows after this key" instead, which an index on the sort key answers by reading
just those rows, and the count stops at a cap: nobody pages through thousands of rows, they filter.

The sort key is a tuple of integer columns, all ascending, whose last column is unique (the pk), so
that rows with equal leading values (ties) still have one place in the order and no row is skipped or
repeated between pages. The cursor travels in the URL as those integers joined by dots.
"""

from dataclasses import dataclass, field

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

COUNT_CAP = 1_000


def capped_count(queryset, cap: int | None = None) -> tuple[int, bool]:
    """(count, is_capped): the count stops at ``cap`` (COUNT_CAP); is_capped says the real total is larger."""
    cap = COUNT_CAP if cap is None else cap
    # COUNT(*) over a LIMITed subquery: the database stops after cap + 1 rows.
    seen = queryset.order_by().values("pk")[: cap + 1].count()
    return min(seen, cap), seen > cap


def parse_cursor(value, length: int) -> tuple[int, ...] | None:
    """The key a cursor names, or None for a missing or malformed one (which means the first page)."""
    if not value:
        return None
    try:
        key = tuple(int(part) for part in str(value).split("."))
    except ValueError:
        return None
    # Beyond a bigint the database would refuse the comparison: a 500 for a doctored URL.
    if len(key) != length or any(abs(part) >= 2**63 for part in key):
        return None
    return key


def format_cursor(key) -> str:
    return ".".join(str(int(part)) for part in key)


@dataclass
class KeysetPage:
    """One page: its sort keys in order, the cursors for the pages around it, and the capped count."""

    keys: list[tuple]
    count: int
    is_capped: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    object_list: list = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def keyset_page(queryset, key_fields, *, after=None, before=None, per_page: int = 50, cap: int | None = None):
    """The page of ``queryset`` ordered by ``key_fields`` after (or before) a cursor, and the capped count.

    Returns a KeysetPage whose ``keys`` are the rows' key tuples; the caller loads the rows it shows
    from them (so the page query reads index columns only). Two queries, whatever the size (three when
    a cursor no longer leads anywhere and the first page is read instead).
    """
    key_fields = tuple(key_fields)
    count, is_capped = capped_count(queryset, cap)
    columns = Tuple(*(F(name) for name in key_fields))
    after_key = parse_cursor(after, len(key_fields))
    before_key = parse_cursor(before, len(key_fields)) if after_key is None else None
    keyed = queryset.values_list(*key_fields)
    page = KeysetPage(keys=[], count=count, is_capped=is_capped)
    if before_key is not None:
        backwards = keyed.filter(TupleLessThan(columns, before_key)).order_by(*(f"-{f}" for f in key_fields))
        rows = list(backwards[: per_page + 1])
        if len(rows) >= per_page:
            page.keys = rows[:per_page][::-1]
            page.next_cursor = format_cursor(page.keys[-1])
            page.previous_cursor = format_cursor(page.keys[0]) if len(rows) > per_page else None
            return page
        # Less than a page before the cursor (rows were removed since): the first page instead.
    elif after_key is not None:
        rows = list(keyed.filter(TupleGreaterThan(columns, after_key)).order_by(*key_fields)[: per_page + 1])
        if rows:
            page.keys = rows[:per_page]
            page.next_cursor = format_cursor(page.keys[-1]) if len(rows) > per_page else None
            page.previous_cursor = format_cursor(page.keys[0])
            return page
        # Nothing after the cursor (rows were removed since): the first page instead.
    rows = list(keyed.order_by(*key_fields)[: per_page + 1])
    page.keys = rows[:per_page]
    page.next_cursor = format_cursor(page.keys[-1]) if len(rows) > per_page else None
    return page
