"""Per-organization member counts kept as data (OrgHeadcount), so pages never count member rows.

The home page, the org tree and review coverage used to count the members of a subtree on every
request (300,000 rows at province scale); they now sum at most one row per org.

Kept exact on every write: Member.save/delete refresh the orgs involved (members/signals.py), bulk
writers that skip signals call ``refresh`` with the orgs they touched (roster import), and whatever
rewrites the table wholesale (seed_demo, seed_scale, restore) calls ``rebuild_all``. ``manage.py
rebuild_headcounts`` recomputes everything should the table ever be in doubt.

A refresh recomputes the given orgs from their Member rows inside the writer's own transaction, not
after commit: the counts commit (or roll back) with the change, and a crash between the two cannot
leave them stale. Concurrent writers to one org are serialized by a lock on the org rows taken before
counting, so under READ COMMITTED the last one counts everybody's committed rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Coalesce, Substr

from portal.gathering import Gathering

from .models import STAGE_ORDER, Member, OrgHeadcount

# Orgs per statement: well under SQLite's bound on query parameters.
CHUNK = 500


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh(org_ids: Iterable[int | None]) -> None:
    """Recompute exactly these orgs from their Member rows: one grouped count, one delete, one insert."""
    ids = sorted({pk for pk in org_ids if pk is not None})
    if not ids or _gathering.gather(ids):
        return
    from branches.models import Organization

    with transaction.atomic(savepoint=False):
        for chunk in _chunks(ids):
            if connection.features.has_select_for_update:
                # NO KEY: members may still be added to these orgs (their FK check takes KEY SHARE).
                list(
                    Organization.objects.select_for_update(no_key=True)
                    .filter(pk__in=chunk)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
            rows = (
                Member.objects.filter(org_id__in=chunk)
                .order_by()
                .values("org_id")
                .annotate(**{stage: Count("id", filter=Q(stage=stage)) for stage in STAGE_ORDER})
            )
            fresh = [OrgHeadcount(**row) for row in rows]
            OrgHeadcount.objects.filter(org_id__in=chunk).delete()
            OrgHeadcount.objects.bulk_create(fresh)


_gathering = Gathering(refresh)
# Inside this block, refreshes are gathered and done once at its end (for loops that save many members).
deferred = _gathering.deferred


def rebuild_all() -> int:
    """Recompute the whole table from Member in two statements; returns the number of orgs with members."""
    quote = connection.ops.quote_name
    table = quote(OrgHeadcount._meta.db_table)
    columns = ", ".join(quote(stage) for stage in STAGE_ORDER)
    sums = ", ".join("SUM(CASE WHEN stage = %s THEN 1 ELSE 0 END)" for _ in STAGE_ORDER)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Blocks member writes' refreshes until the rebuild commits, so none is lost in between.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (org_id, {columns}) "
            f"SELECT org_id, {sums} FROM {quote(Member._meta.db_table)} GROUP BY org_id",
            list(STAGE_ORDER),
        )
        return cursor.rowcount


def truth() -> dict[int, dict[str, int]]:
    """Counts straight from Member, org -> stage -> n (for checks and tests; counts every row)."""
    result: dict[int, dict[str, int]] = {}
    for org_id, stage, n in Member.objects.order_by().values_list("org_id", "stage").annotate(n=Count("id")):
        result.setdefault(org_id, dict.fromkeys(STAGE_ORDER, 0))[stage] = n
    return result


def stored() -> dict[int, dict[str, int]]:
    """The table as org -> stage -> n, in the same shape as ``truth``."""
    return {
        row["org_id"]: {s: row[s] for s in STAGE_ORDER} for row in OrgHeadcount.objects.values("org_id", *STAGE_ORDER)
    }


# Reading.


def _party():
    return F("probationary") + F("full")


def _everyone():
    return F("applicant") + F("activist") + F("candidate") + F("probationary") + F("full")


def subtree_by_stage(path: str) -> dict[str, int]:
    """Everyone on the rosters of the subtree at ``path``, by stage (stages with nobody left out)."""
    sums = OrgHeadcount.objects.filter(org__path__startswith=path).aggregate(
        **{stage: Sum(stage) for stage in STAGE_ORDER}
    )
    return {stage: n for stage, n in sums.items() if n}


def scope_total(paths: Iterable[str]) -> int:
    """Everyone (party members and the pipeline) on the rosters under any of these org paths."""
    from branches import access

    paths = list(paths)
    if not paths:
        return 0
    total = OrgHeadcount.objects.filter(access.paths_q(paths, "org__path")).aggregate(
        n=Coalesce(Sum(_everyone(), output_field=IntegerField()), 0)
    )
    return total["n"]


def party_by_prefix(depth: int, where: Q) -> dict[str, int]:
    """Party members (正式 + 预备) of the orgs matching ``where`` (on OrgHeadcount), summed by the
    path of their ancestor at ``depth``: the counts of the nodes of one tree level in one query."""
    from branches.models import Organization

    length = depth * Organization.steplen
    rows = (
        OrgHeadcount.objects.filter(where, org__depth__gte=depth)
        .order_by()
        .annotate(prefix=Substr("org__path", 1, length))
        .values_list("prefix")
        .annotate(n=Sum(_party(), output_field=IntegerField()))
    )
    return dict(rows)


def with_party_members(orgs):
    """An Organization queryset annotated with ``party_members``: its own roster's 正式 + 预备 (0 if none)."""
    return orgs.annotate(
        party_members=Coalesce(F("headcount__probationary") + F("headcount__full"), 0, output_field=IntegerField())
    )
