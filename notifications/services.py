"""Sending in-app notifications. Callers pass users; nothing here knows about pledges or activities."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipients: Iterable, kind: str, message: str, url: str = "", key: str = "") -> int:
    """Send to each recipient (users without an account are skipped); with a ``key``, a recipient
    who still has an unread notification of the same kind and key is not sent another."""
    users = {u.pk: u for u in recipients if u is not None}
    if key:
        already = set(
            Notification.objects.filter(recipient_id__in=users, kind=kind, key=key, read_at__isnull=True).values_list(
                "recipient_id", flat=True
            )
        )
        users = {pk: u for pk, u in users.items() if pk not in already}
    Notification.objects.bulk_create(
        Notification(recipient=u, kind=kind, message=message[:300], url=url, key=key) for u in users.values()
    )
    return len(users)


@transaction.atomic
def notification_open(*, notification: Notification) -> str:
    """Mark read and give the link to follow."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification.url or "/"


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
