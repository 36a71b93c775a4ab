"""Pledges of the subtree in the campaign: made, approved, kept, items done and overdue, with the same
definitions as pledges/stats.py, but only what a report needs and aggregated in the database.

``pledge_stats`` builds a row per branch and lists the first overdue items (a sort over every overdue
item of the province); a report needs neither. Here four grouped queries, whatever the size: pledges
and items counted per (org, category) — the totals, the categories and the per-branch overdue and
silent sets are sums of those rows — the party members per org from the kept headcounts, and the
active branches. tests/test_figures_sql.py holds this equal to ``pledge_stats`` and to a count made
row by row in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.db.models import Count, F, Q

from branches.models import Organization, OrgKind
from members.models import OrgHeadcount
from pledges.models import MEMBER_CATEGORIES, ORG_CATEGORIES, PUBLIC_STATUSES, Category, Pledge, PledgeItem, Status
from pledges.stats import PLEDGE_COUNTS, Row


@dataclass
class PledgeFigures:
    total: Row
    categories: list[Row] = field(default_factory=list)
    silent_branches: int = 0
    overdue_items: int = 0
    overdue_by_branch: dict[int, int] = field(default_factory=dict)  # branch id -> overdue items
    silent_ids: set[int] = field(default_factory=set)  # branches with members and no public pledge

    @property
    def made(self) -> int:
        return self.total.member_pledges + self.total.org_pledges

    @property
    def is_empty(self) -> bool:
        return not (self.made or self.total.submitted)


def item_counts(today: date) -> dict:
    # "Overdue" as PledgeItemQuerySet.overdue has it: past due, not done, the pledge being fulfilled.
    return {
        "items": Count("id"),
        "items_done": Count("id", filter=Q(done_on__isnull=False)),
        "overdue": Count("id", filter=Q(due_on__lt=today, done_on__isnull=True, pledge__status=Status.PUBLISHED)),
    }


def _board_path(path: str, kind: str) -> str:
    """Members of a 党小组 count in the branch above it, as their pledges do (pledges/stats.py)."""
    step = Organization.steplen
    return path[:-step] if kind == OrgKind.GROUP and len(path) > step else path


def _tuples(queryset) -> list[tuple]:
    """The rows of a values_list query as the driver returns them: a province's ~15,000 rows of a dozen
    counts each cost more in Django's per-value converters than in the database, and counts and ids
    need no converting."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sums(rows, width: int, keys) -> tuple[list[int], dict]:
    """Column sums of ``rows`` (key columns first, then ``width`` counts): overall, and per category."""
    total = [0] * width
    by_category: dict[str, list[int]] = {}
    for row in rows:
        counts = row[keys:]
        per = by_category.setdefault(row[keys - 1], [0] * width)
        for index, n in enumerate(counts):
            total[index] += n
            per[index] += n
    return total, by_category


# Up to this many orgs, a subtree's pledges are read by their org ids through the (org, campaign,
# status) index; a bigger one (a province) is read whole, as a join on the org's path does. PostgreSQL
# joins on the path with a scan of every pledge whatever the subtree's size: 100 ms for a committee of
# 500 orgs, 5 ms by the ids.
IDS_UP_TO = 2000


def _subtree(org) -> dict:
    """The filter on a pledge's org that picks the subtree of ``org``."""
    ids = list(
        Organization.objects.filter(path__startswith=org.path).order_by().values_list("id", flat=True)[: IDS_UP_TO + 1]
    )
    return {"org_id__in": ids} if len(ids) <= IDS_UP_TO else {"org__path__startswith": org.path}


def pledge_figures(org, campaign, *, today: date) -> PledgeFigures:
    subtree = _subtree(org)
    pledges = Pledge.objects.filter(**subtree)
    items = PledgeItem.objects.filter(
        **{f"pledge__{name}": value for name, value in subtree.items()}, pledge__status__in=PUBLIC_STATUSES
    )
    if campaign is not None:
        pledges = pledges.filter(campaign=campaign)
        items = items.filter(pledge__campaign=campaign)

    pledge_names, item_names = list(PLEDGE_COUNTS), list(item_counts(today))
    pledge_rows = _tuples(pledges.order_by().values_list("org_id", "org__path", "category").annotate(**PLEDGE_COUNTS))
    item_rows = _tuples(
        items.order_by().values_list("pledge__org_id", "pledge__category").annotate(**item_counts(today))
    )
    total = Row(None, str(org))
    categories = [Row(c, str(Category(c).label)) for c in (*MEMBER_CATEGORIES, *ORG_CATEGORIES)]
    for names, rows, keys in ((pledge_names, pledge_rows, 3), (item_names, item_rows, 2)):
        sums, by_category = _sums(rows, len(names), keys)
        for target, values in ((total, sums), *((r, by_category.get(r.key)) for r in categories)):
            for name, n in zip(names, values or (), strict=False):
                setattr(target, name, n)

    # pledge_stats makes a row for every active branch and for every other org holding a pledge; the
    # totals of its members and the silent branches are over those rows, so the same set is kept here.
    member_pledges: dict[int, int] = {}
    paths: dict[int, str] = {}
    made = pledge_names.index("member_pledges") + 3
    for row in pledge_rows:
        member_pledges[row[0]] = member_pledges.get(row[0], 0) + row[made]
        paths[row[0]] = row[1]
    overdue = item_names.index("overdue") + 2
    figures = PledgeFigures(total=total)
    for row in item_rows:
        if row[overdue]:
            figures.overdue_by_branch[row[0]] = figures.overdue_by_branch.get(row[0], 0) + row[overdue]
    branches = Organization.objects.in_subtree(org).filter(kind=OrgKind.BRANCH, is_active=True)
    paths.update(branches.order_by().values_list("id", "path"))

    members: dict[str, int] = {}
    party = (
        OrgHeadcount.objects.filter(org__path__startswith=org.path)
        .annotate(n=F("probationary") + F("full"))
        .filter(n__gt=0)
        .values_list("org__path", "org__kind", "n")
    )
    for path, kind, n in party:
        board = _board_path(path, kind)
        members[board] = members.get(board, 0) + n

    for org_id, path in paths.items():
        n = members.get(path, 0)
        total.members += n
        if n and not member_pledges.get(org_id):
            figures.silent_ids.add(org_id)
    total.overdue = figures.overdue_items = sum(figures.overdue_by_branch.values())
    figures.silent_branches = len(figures.silent_ids)
    figures.categories = [r for r in categories if r.submitted or r.member_pledges or r.org_pledges]
    return figures
