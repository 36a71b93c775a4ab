"""Pledge numbers of a subtree, as the progress reports state them: who pledged, how many were approved,
how many kept, what is overdue. Each table is one grouped query, never a loop over branches."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from branches.models import Organization, OrgKind
from members.models import Member

from .models import (
    APPROVED_STATUSES,
    MEMBER_CATEGORIES,
    ORG_CATEGORIES,
    PUBLIC_STATUSES,
    SUBMITTED_STATUSES,
    Category,
    Outcome,
    Pledge,
    PledgeItem,
    Status,
)

OVERDUE_SHOWN = 100


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Row:
    """One branch (or one category): counts and the rates computed from them."""

    key: object
    label: str
    members: int = 0  # party members on the roster (branch rows only)
    member_pledges: int = 0  # members' pledges made in public (published or judged)
    org_pledges: int = 0
    submitted: int = 0
    approved: int = 0
    closed: int = 0
    kept: int = 0
    partly: int = 0
    not_kept: int = 0
    items: int = 0  # items of public pledges
    items_done: int = 0
    overdue: int = 0

    @property
    def participation(self) -> float | None:
        return _ratio(self.member_pledges, self.members)

    @property
    def approval_rate(self) -> float | None:
        return _ratio(self.approved, self.submitted)

    @property
    def kept_rate(self) -> float | None:
        return _ratio(self.kept, self.closed)

    @property
    def items_done_rate(self) -> float | None:
        return _ratio(self.items_done, self.items)

    def add(self, other: Row) -> None:
        for name in (
            "members",
            "member_pledges",
            "org_pledges",
            "submitted",
            "approved",
            "closed",
            "kept",
            "partly",
            "not_kept",
            "items",
            "items_done",
            "overdue",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


PLEDGE_COUNTS = {
    "member_pledges": Count("id", filter=Q(owner_member__isnull=False, status__in=PUBLIC_STATUSES)),
    "org_pledges": Count("id", filter=Q(owner_org__isnull=False, status__in=PUBLIC_STATUSES)),
    "submitted": Count("id", filter=Q(status__in=SUBMITTED_STATUSES)),
    "approved": Count("id", filter=Q(status__in=APPROVED_STATUSES)),
    "closed": Count("id", filter=Q(status=Status.CLOSED)),
    "kept": Count("id", filter=Q(outcome=Outcome.KEPT)),
    "partly": Count("id", filter=Q(outcome=Outcome.PARTLY)),
    "not_kept": Count("id", filter=Q(outcome=Outcome.NOT_KEPT)),
}


def item_counts(today) -> dict:
    """Items of the pledges counted (callers keep to public ones); "overdue" as PledgeItemQuerySet.overdue
    has it: past due on ``today``, not done, the pledge being fulfilled."""
    return {
        "items": Count("id"),
        "items_done": Count("id", filter=Q(done_on__isnull=False)),
        "overdue": Count("id", filter=Q(due_on__lt=today, done_on__isnull=True, pledge__status=Status.PUBLISHED)),
    }


@dataclass
class PledgeStats:
    org: Organization
    campaign: object
    branches: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(None, ""))
    silent_branches: int = 0  # branches with party members and no public pledge: 发展不平衡
    overdue_items: list = field(default_factory=list)
    overdue_count: int = 0


def _board_path(path: str, kind: str) -> str:
    """Members of a 党小组 count in the branch above it, as their pledges do."""
    return path[: -Organization.steplen] if kind == OrgKind.GROUP and len(path) > Organization.steplen else path


def pledge_stats(org: Organization, campaign=None, *, today=None) -> PledgeStats:
    today = today or timezone.localdate()
    pledges = Pledge.objects.in_subtree(org)
    items = PledgeItem.objects.filter(pledge__org__path__startswith=org.path, pledge__status__in=PUBLIC_STATUSES)
    if campaign is not None:
        pledges = pledges.filter(campaign=campaign)
        items = items.filter(pledge__campaign=campaign)

    by_org = {r.pop("org_id"): r for r in pledges.order_by().values("org_id").annotate(**PLEDGE_COUNTS)}
    items_by_org = {
        r.pop("pledge__org_id"): r for r in items.order_by().values("pledge__org_id").annotate(**item_counts(today))
    }
    members_by_path: dict[str, int] = {}
    for path, kind, n in (
        Member.objects.party_members()
        .in_subtree(org)
        .order_by()
        .values_list("org__path", "org__kind")
        .annotate(n=Count("id"))
    ):
        board = _board_path(path, kind)
        members_by_path[board] = members_by_path.get(board, 0) + n

    orgs = (
        Organization.objects.in_subtree(org)
        .filter(Q(kind=OrgKind.BRANCH, is_active=True) | Q(pk__in=list(by_org)))
        .only("id", "name", "short_name", "path", "kind")
        .order_by("path")
    )
    stats = PledgeStats(org=org, campaign=campaign, total=Row(None, str(org)))
    for o in orgs:
        row = Row(o.pk, o.short_name or o.name, members=members_by_path.get(o.path, 0))
        for source in (by_org.get(o.pk, {}), items_by_org.get(o.pk, {})):
            for name, value in source.items():
                setattr(row, name, value)
        stats.branches.append(row)
        stats.total.add(row)
    stats.silent_branches = sum(1 for r in stats.branches if r.members and not r.member_pledges)

    by_category = {r.pop("category"): r for r in pledges.order_by().values("category").annotate(**PLEDGE_COUNTS)}
    items_by_category = {
        r.pop("pledge__category"): r for r in items.order_by().values("pledge__category").annotate(**item_counts(today))
    }
    for category in (*MEMBER_CATEGORIES, *ORG_CATEGORIES):
        row = Row(category, str(Category(category).label))
        for source in (by_category.get(category, {}), items_by_category.get(category, {})):
            for name, value in source.items():
                setattr(row, name, value)
        stats.categories.append(row)

    overdue = PledgeItem.objects.overdue(today).filter(pledge__org__path__startswith=org.path)
    if campaign is not None:
        overdue = overdue.filter(pledge__campaign=campaign)
    stats.overdue_count = overdue.count()
    stats.overdue_items = list(
        overdue.select_related("pledge__owner_member", "pledge__owner_org", "pledge__org").order_by("due_on", "id")[
            :OVERDUE_SHOWN
        ]
    )
    return stats


def overdue_rows(org: Organization, campaign=None, *, today=None):
    """Every overdue item of the subtree, for the export (streamed)."""
    today = today or timezone.localdate()
    qs = PledgeItem.objects.overdue(today).filter(pledge__org__path__startswith=org.path)
    if campaign is not None:
        qs = qs.filter(pledge__campaign=campaign)
    return qs.select_related("pledge__owner_member", "pledge__owner_org", "pledge__org").order_by("due_on", "id")
