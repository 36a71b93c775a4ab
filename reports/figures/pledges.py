"""Pledges of the subtree in the campaign: made, approved, kept, items done and overdue, with the same
definitions as pledges/stats.py, but only what a report needs, read from the kept tallies.

``pledge_stats`` counts the pledges and items and lists the first overdue items (a sort over every
overdue item of the province); a report needs neither. Here the sums of the kept PledgeTally rows
(pledges/tally.py, at most a few per org): per category — the totals are their sums — and per org —
the per-branch overdue and silent sets. The tallies count overdue as of today; a report of an earlier
period subtracts the items that turned overdue since its day, read through the open-items index. With
the party members per org from the kept headcounts and the active branches, a fixed handful of
queries, whatever the size. tests/test_figures_sql.py holds this equal to ``pledge_stats`` and to a
count made row by row in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Sum

from branches.models import Organization, OrgKind
from config.db_router import read_alias
from members.models import OrgHeadcount
from pledges import tally
from pledges.models import MEMBER_CATEGORIES, ORG_CATEGORIES, Category, PledgeTally
from pledges.stats import Row
from portal.raw_rows import fetch_tuples

from .subtree import org_filter


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


def _board_path(path: str, kind: str) -> str:
    """Members of a 党小组 count in the branch above it, as their pledges do (pledges/stats.py)."""
    step = Organization.steplen
    return path[:-step] if kind == OrgKind.GROUP and len(path) > step else path


def _fell_due(subtree: dict, campaign, start: date, end: date) -> dict[tuple[int, str], int]:
    """(org id, category) -> items of the subtree's published pledges that turn overdue from ``start`` to ``end``."""
    items = tally.fell_due(start, end).filter(**{f"pledge__{name}": value for name, value in subtree.items()})
    if campaign is not None:
        items = items.filter(pledge__campaign=campaign)
    grouped = items.order_by().values_list("pledge__org_id", "pledge__category").annotate(n=Count("id"))
    return {(org_id, category): n for org_id, category, n in grouped}


def _tallied(org, campaign, today: date) -> tuple[dict[str, dict[str, int]], dict[int, list]]:
    """From the kept tallies: counts per category, and per org [path, members' pledges, overdue items]."""
    subtree = org_filter(org)
    while True:
        alias, counted_before = tally.brought_to(today, read_alias())
        tallies = PledgeTally.objects.using(alias).filter(**subtree)
        if campaign is not None:
            tallies = tallies.filter(campaign=campaign)
        by_category = {
            category: dict(zip(tally.COUNTS, counts, strict=True))
            for category, *counts in tallies.order_by()
            .values_list("category")
            .annotate(**{name: Sum(name) for name in tally.COUNTS})
        }
        per_org = (
            tallies.order_by()
            .values_list("org_id", "org__path")
            .annotate(member_pledges=Sum("member_pledges"), overdue=Sum("overdue"))
        )
        by_org = {
            org_id: [path, member_pledges, overdue] for org_id, path, member_pledges, overdue in fetch_tuples(per_org)
        }
        # The rows just read count overdue as of that date unless a roll forward came in between (at
        # midnight, by another request): then read them again.
        if tally.stored_date(alias) == counted_before:
            break
    if counted_before != today:
        # A report of an earlier period (or of a day to come): the counts as of the report's day.
        sign = 1 if today > counted_before else -1
        window = _fell_due(subtree, campaign, min(today, counted_before), max(today, counted_before))
        for (org_id, category), n in window.items():
            by_category[category]["overdue"] += sign * n
            by_org[org_id][2] += sign * n
    return by_category, by_org


def pledge_figures(org, campaign, *, today: date) -> PledgeFigures:
    by_category, by_org = _tallied(org, campaign, today)
    total = Row(None, str(org))
    categories = [Row(c, str(Category(c).label)) for c in (*MEMBER_CATEGORIES, *ORG_CATEGORIES)]
    for row in categories:
        for name, n in by_category.get(row.key, {}).items():
            setattr(row, name, n)
            setattr(total, name, getattr(total, name) + n)

    # pledge_stats makes a row for every active branch and for every other org holding a pledge; the
    # totals of its members and the silent branches are over those rows, so the same set is kept here.
    figures = PledgeFigures(total=total)
    paths = {org_id: path for org_id, (path, _, _) in by_org.items()}
    for org_id, (_, _, overdue) in by_org.items():
        if overdue:
            figures.overdue_by_branch[org_id] = overdue
    branches = Organization.objects.in_subtree(org).filter(kind=OrgKind.BRANCH, is_active=True)
    paths.update(branches.order_by().values_list("id", "path"))

    members: dict[str, int] = {}
    party = (
        OrgHeadcount.objects.filter(org__path__startswith=org.path)
        .annotate(n=F("probationary") + F("full"))
        .filter(n__gt=0)
        .values_list("org__path", "org__kind", "n")
    )
    for path, kind, n in fetch_tuples(party):
        board = _board_path(path, kind)
        members[board] = members.get(board, 0) + n

    for org_id, path in paths.items():
        n = members.get(path, 0)
        total.members += n
        if n and not (by_org.get(org_id) or (None, 0))[1]:
            figures.silent_ids.add(org_id)
    total.overdue = figures.overdue_items = sum(figures.overdue_by_branch.values())
    figures.silent_branches = len(figures.silent_ids)
    figures.categories = [r for r in categories if r.submitted or r.member_pledges or r.org_pledges]
    return figures
