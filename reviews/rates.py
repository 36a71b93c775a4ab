"""The rectification rate (整改率) of a subtree over a period, as the education bureau counted it.

Rate = items listed (挂牌) within the period that were struck off (销号) by the period's last day,
divided by the items listed within the period. Nothing listed gives no rate ("—"), never 0% or 100%.
Items still open past their deadline today are counted beside it as overdue.

The whole subtree and each child's subtree come from one grouped query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from branches.models import Organization

from .models import OPEN_STATUSES, Status


@dataclass
class RateRow:
    org: Organization | None
    label: str
    listed: int = 0
    struck_off: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.listed - self.struck_off

    @property
    def rate(self) -> float | None:
        return self.struck_off / self.listed if self.listed else None


@dataclass
class Rates:
    org: Organization
    starts_on: date
    ends_on: date
    total: RateRow
    rows: list[RateRow]


def _counts(starts_on: date, ends_on: date, today: date) -> dict:
    listed = Q(listed_on__gte=starts_on, listed_on__lte=ends_on)
    return {
        "listed": Count("id", filter=listed),
        "struck_off": Count("id", filter=listed & Q(status=Status.STRUCK_OFF, struck_off_on__lte=ends_on)),
        "overdue": Count("id", filter=listed & Q(status__in=OPEN_STATUSES, deadline__lt=today)),
    }


def rectification_rates(org: Organization, starts_on: date, ends_on: date, *, items, today: date) -> Rates:
    """``items`` is the user's visible RectificationItem queryset."""
    prefix_len = len(org.path) + Organization.steplen
    grouped = (
        items.in_subtree(org)
        .filter(listed_on__gte=starts_on, listed_on__lte=ends_on)
        .annotate(branch_path=Substr("org__path", 1, prefix_len))
        .order_by()
        .values("branch_path")
        .annotate(**_counts(starts_on, ends_on, today))
    )
    by_path = {g["branch_path"]: g for g in grouped}
    children = list(Organization.objects.children_of(org).filter(path__in=list(by_path)).order_by("path"))
    rows = []
    if org.path in by_path:
        g = by_path[org.path]
        label = _("%(org)s (own level)") % {"org": org.name}
        rows.append(RateRow(org, label, g["listed"], g["struck_off"], g["overdue"]))
    for child in children:
        g = by_path[child.path]
        rows.append(RateRow(child, child.name, g["listed"], g["struck_off"], g["overdue"]))
    total = RateRow(
        org,
        org.name,
        sum(g["listed"] for g in by_path.values()),
        sum(g["struck_off"] for g in by_path.values()),
        sum(g["overdue"] for g in by_path.values()),
    )
    return Rates(org=org, starts_on=starts_on, ends_on=ends_on, total=total, rows=rows)
