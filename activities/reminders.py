"""Reminders to branch secretaries: a rule's period ends within a few days and its minimum is not met."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organization, Role, RoleAssignment
from notifications.models import Notification
from notifications.services import notify

from .compliance import OPEN, subtree_compliance
from .periods import year_window

# Reminders start this many days before a period's last day.
LEAD_DAYS = 7


def send_due_reminders(*, today: date, lead_days: int = LEAD_DAYS) -> int:
    """Notify the secretaries (and acting organizers) of every branch whose current period of a
    rule ends within ``lead_days`` and is not yet met. Safe to run more than once a day: each
    reminder has a key per branch, kind and period, and notify() skips one still unread."""
    # Every open period that can end soon lies within the current year.
    window = year_window(today.year)
    horizon = today + timedelta(days=lead_days)
    due = []
    for root in Organization.objects.filter(depth=1, is_active=True):
        for result in subtree_compliance(root, window, today=today):
            for row in result.rows:
                for cell in row.cells:
                    if cell.state == OPEN and cell.period.contains(today) and cell.period.end <= horizon:
                        due.append((result.branch, row.rule, cell))
    if not due:
        return 0
    branch_ids = {branch.pk for branch, _rule, _cell in due}
    recipients: dict[int, list] = {}
    for assignment in RoleAssignment.objects.filter(
        org_id__in=branch_ids, role__in=[Role.SECRETARY, Role.ORGANIZER], user__is_active=True
    ).select_related("user"):
        recipients.setdefault(assignment.org_id, []).append(assignment.user)
    sent = 0
    for branch, rule, cell in due:
        users = recipients.get(branch.pk)
        if not users:
            continue
        days_left = (cell.period.end - today).days
        message = _(
            "%(branch)s: %(kind)s held %(count)s of %(minimum)s times in %(period)s, which ends in %(days)s days."
        ) % {
            "branch": branch.name,
            "kind": rule.get_kind_display(),
            "count": cell.count,
            "minimum": cell.minimum,
            "period": cell.period.label,
            "days": days_left,
        }
        url = reverse("activities:activity_create") + f"?org={branch.pk}&kind={rule.kind}"
        sent += notify(
            recipients=users,
            kind=Notification.Kind.ACTIVITY_DUE,
            message=message,
            url=url,
            key=f"activity-due:{branch.pk}:{rule.kind}:{cell.period.key}",
        )
    return sent
