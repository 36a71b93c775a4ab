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


def pledge_figures(org, campaign, *, today: date) -> PledgeFigures:
    pledges = Pledge.objects.in_subtree(org)
    items = PledgeItem.objects.filter(pledge__org__path__startswith=org.path, pledge__status__in=PUBLIC_STATUSES)
    if campaign is not None:
        pledges = pledges.filter(campaign=campaign)
        items = items.filter(pledge__campaign=campaign)

    total = Row(None, str(org))
    by_category = {c: Row(c, str(Category(c).label)) for c in (*MEMBER_CATEGORIES, *ORG_CATEGORIES)}
    # pledge_stats makes a row for every active branch and for every other org holding a pledge; the
    # totals of its members and the silent branches are over those rows, so the same set is kept here.
    rows: dict[int, list] = {}  # org id -> [path, member pledges, overdue items]
    grouped = pledges.order_by().values_list("org_id", "org__path", "category").annotate(**PLEDGE_COUNTS)
    for org_id, path, category, *counts in grouped:
        values = dict(zip(PLEDGE_COUNTS, counts, strict=True))
        _add(total, values)
        if category in by_category:
            _add(by_category[category], values)
        row = rows.setdefault(org_id, [path, 0, 0])
        row[1] += values["member_pledges"]
    counts = item_counts(today)
    for org_id, category, *numbers in (
        items.order_by().values_list("pledge__org_id", "pledge__category").annotate(**counts)
    ):
        values = dict(zip(counts, numbers, strict=True))
        _add(total, values)
        if category in by_category:
            _add(by_category[category], values)
        rows[org_id][2] += values["overdue"]  # an item's pledge is one of the pledges above
    branches = Organization.objects.in_subtree(org).filter(kind=OrgKind.BRANCH, is_active=True)
    for org_id, path in branches.order_by().values_list("id", "path"):
        rows.setdefault(org_id, [path, 0, 0])

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

    figures = PledgeFigures(total=total)
    for org_id, (path, member_pledges, overdue) in rows.items():
        n = members.get(path, 0)
        total.members += n
        if n and not member_pledges:
            figures.silent_ids.add(org_id)
        if overdue:
            figures.overdue_by_branch[org_id] = overdue
    total.overdue = figures.overdue_items = sum(figures.overdue_by_branch.values())
    figures.silent_branches = len(figures.silent_ids)
    figures.categories = [r for r in by_category.values() if r.submitted or r.member_pledges or r.org_pledges]
    return figures


def _add(row: Row, values: dict) -> None:
    for name, n in values.items():
        setattr(row, name, getattr(row, name) + n)
