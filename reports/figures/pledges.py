"""Pledges of the subtree in the campaign, as pledges/stats.py counts them (made, approved, kept)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pledges.stats import PledgeStats, Row, pledge_stats


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


def pledge_figures(org, campaign, *, today: date) -> PledgeFigures:
    stats: PledgeStats = pledge_stats(org, campaign, today=today)
    return PledgeFigures(
        total=stats.total,
        categories=[r for r in stats.categories if r.submitted or r.member_pledges or r.org_pledges],
        silent_branches=stats.silent_branches,
        overdue_items=stats.overdue_count,
        overdue_by_branch={r.key: r.overdue for r in stats.branches if r.overdue},
        silent_ids={r.key for r in stats.branches if r.members and not r.member_pledges},
    )
