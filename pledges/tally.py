"""Pledge figures per (org, campaign, category) kept as data (PledgeTally), so that a dashboard sums at
most a few rows per org instead of counting the campaign's pledges and items.

Kept exact on every write, as the member counts are (members/headcount.py): saving or deleting a
Pledge or a PledgeItem recounts its (org, campaign) inside the writer's own transaction
(pledges/signals.py); whatever writes pledges in bulk without signals (seed_demo, seed_scale,
restore) calls ``rebuild_all``; ``manage.py rebuild_pledge_tallies [--check]`` does it by hand.

"Overdue" depends on the day as well as on the data: an open item of a published pledge becomes
overdue the day after its due date with nothing written. So the rows count the items due before one
stored date (PledgeTallyDate), and ``roll_forward(today)`` adds the items that fell due since then (a
day's worth of the open-items-by-due-date index) and moves the date. A recount reads that date under
a shared lock and a roll forward takes it exclusively, so neither counts against the other's date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import reduce
from operator import or_

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from portal.gathering import Gathering

from .models import PUBLIC_STATUSES, Pledge, PledgeItem, PledgeTally, PledgeTallyDate, Status
from .stats import PLEDGE_COUNTS, item_counts

COUNTS = (*PLEDGE_COUNTS, "items", "items_done", "overdue")
DATE_ROW = 1
CHUNK = 200  # (org, campaign) pairs per statement: two parameters each, well under SQLite's bound

Key = tuple[int, int]  # (org_id, campaign_id)


def counted_rows(pledges, items, overdue_before: date) -> dict[tuple, dict[str, int]]:
    """The tally rows of these pledges and of their items, (org, campaign, category) -> counts.

    Takes querysets so that the migration that fills the table can pass its historical models."""
    rows: dict[tuple, dict[str, int]] = {}
    grouped = pledges.order_by().values_list("org_id", "campaign_id", "category").annotate(**PLEDGE_COUNTS)
    for org_id, campaign_id, category, *counts in grouped:
        rows[(org_id, campaign_id, category)] = dict.fromkeys(COUNTS, 0) | dict(zip(PLEDGE_COUNTS, counts, strict=True))
    item_names = list(item_counts(overdue_before))
    grouped = (
        items.filter(pledge__status__in=PUBLIC_STATUSES)
        .order_by()
        .values_list("pledge__org_id", "pledge__campaign_id", "pledge__category")
        .annotate(**item_counts(overdue_before))
    )
    for org_id, campaign_id, category, *counts in grouped:
        rows[(org_id, campaign_id, category)].update(zip(item_names, counts, strict=True))
    return rows


def _tallies(rows: dict[tuple, dict[str, int]], model=PledgeTally) -> list:
    return [
        model(org_id=org_id, campaign_id=campaign_id, category=category, **counts)
        for (org_id, campaign_id, category), counts in rows.items()
    ]


def _pairs(keys: list[Key], prefix: str = "") -> Q:
    return reduce(or_, (Q(**{f"{prefix}org_id": org, f"{prefix}campaign_id": campaign}) for org, campaign in keys))


def _overdue_before(*, lock: bool) -> date:
    """The stored date, under a shared lock when ``lock`` (a roll forward then waits for this transaction)."""
    if lock and connection.vendor == "postgresql":
        table = connection.ops.quote_name(PledgeTallyDate._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT overdue_before FROM {table} WHERE id = %s FOR SHARE", [DATE_ROW])
            row = cursor.fetchone()
        found = row[0] if row else None
    else:
        found = stored_date()
    if found is None:
        # Only after the table was emptied (a flush): every tally row went with it, so any date is right.
        row, _ = PledgeTallyDate.objects.get_or_create(pk=DATE_ROW, defaults={"overdue_before": timezone.localdate()})
        found = row.overdue_before
    return found


def refresh(keys: Iterable[Key]) -> None:
    """Recount exactly these (org, campaign) pairs from their pledges: two grouped counts, a delete, an insert."""
    keys = sorted({(org, campaign) for org, campaign in keys if org is not None and campaign is not None})
    if not keys or _gathering.gather(keys):
        return
    from branches.models import Organization

    with transaction.atomic(savepoint=False):
        overdue_before = _overdue_before(lock=True)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            if connection.features.has_select_for_update:
                # Concurrent writers to one org's pledges recount one after the other, the last seeing both.
                orgs = sorted({org for org, _ in chunk})
                list(
                    Organization.objects.select_for_update(no_key=True)
                    .filter(pk__in=orgs)
                    .order_by("pk")
                    .values_list("pk")
                )
            rows = counted_rows(
                Pledge.objects.filter(_pairs(chunk)),
                PledgeItem.objects.filter(_pairs(chunk, "pledge__")),
                overdue_before,
            )
            PledgeTally.objects.filter(_pairs(chunk)).delete()
            PledgeTally.objects.bulk_create(_tallies(rows))


_gathering = Gathering(refresh)
# Inside this block, recounts are gathered and done once at its end (for writes of many pledges and items).
deferred = _gathering.deferred


def rebuild_all(today: date | None = None) -> int:
    """Recount the whole table, overdue as of ``today``; returns the number of rows."""
    today = today or timezone.localdate()
    table = connection.ops.quote_name(PledgeTally._meta.db_table)
    with transaction.atomic(savepoint=False):
        PledgeTallyDate.objects.select_for_update().filter(pk=DATE_ROW).first()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Recounts by writers wait until the rebuild commits, so none is lost in between.
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        PledgeTally.objects.all().delete()
        rows = _tallies(counted_rows(Pledge.objects.all(), PledgeItem.objects.all(), today))
        PledgeTally.objects.bulk_create(rows, batch_size=2000)
        PledgeTallyDate.objects.update_or_create(pk=DATE_ROW, defaults={"overdue_before": today})
    return len(rows)


def fell_due(start: date, end: date):
    """Open items of published pledges due on or after ``start`` and before ``end``: what turns overdue
    between those two days (read through the open-items-by-due-date index)."""
    return PledgeItem.objects.filter(
        done_on__isnull=True, due_on__gte=start, due_on__lt=end, pledge__status=Status.PUBLISHED
    )


def roll_forward(today: date) -> date:
    """Count as overdue the items that fell due since the stored date; returns the date now stored."""
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        stored = PledgeTallyDate.objects.select_for_update().filter(pk=DATE_ROW).first()
        if stored is None:
            rebuild_all(today)
            return today
        if stored.overdue_before >= today:
            return stored.overdue_before
        grouped = (
            fell_due(stored.overdue_before, today)
            .order_by()
            .values(o=F("pledge__org_id"), c=F("pledge__campaign_id"), k=F("pledge__category"))
            .annotate(n=Count("id"))
        )
        sql, params = grouped.query.get_compiler(connection=connection).as_sql()
        table = connection.ops.quote_name(PledgeTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET overdue = {table}.overdue + fell_due.n FROM ({sql}) fell_due "
                f"WHERE {table}.org_id = fell_due.o AND {table}.campaign_id = fell_due.c "
                f"AND {table}.category = fell_due.k",
                params,
            )
        stored.overdue_before = today
        stored.save(update_fields=["overdue_before"])
        return today


def stored_date(alias: str = DEFAULT_DB_ALIAS) -> date | None:
    return PledgeTallyDate.objects.using(alias).filter(pk=DATE_ROW).values_list("overdue_before", flat=True).first()


def brought_to(today: date, alias: str) -> tuple[str, date]:
    """Where to read the tallies and the date their overdue counts stand at: ``today`` whenever it has come
    (rolling forward writes on "default", which is then where to read: a replica may lag behind it);
    a report of an earlier period, or a day not yet come, corrects the counts by ``fell_due``."""
    stored, until = stored_date(alias), min(today, timezone.localdate())
    if stored is None or stored < until:
        return DEFAULT_DB_ALIAS, roll_forward(until)
    return alias, stored


def truth() -> dict[tuple, dict[str, int]]:
    """The tallies counted afresh from the pledges, with the stored date (for checks and tests)."""
    with transaction.atomic():
        overdue_before = _overdue_before(lock=False)
        return counted_rows(Pledge.objects.all(), PledgeItem.objects.all(), overdue_before)


def stored() -> dict[tuple, dict[str, int]]:
    """The table in the shape of ``truth``."""
    return {
        (row.pop("org_id"), row.pop("campaign_id"), row.pop("category")): row
        for row in PledgeTally.objects.using(DEFAULT_DB_ALIAS).values("org_id", "campaign_id", "category", *COUNTS)
    }
