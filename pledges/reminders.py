"""Overdue reminders: each overdue item is told once (notify's key) to its author and the branch's managers.

Run daily (cron or a systemd timer: ``manage.py pledge_reminders``); running it twice sends nothing new
while the first reminder is unread.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notify

from .models import PledgeItem
from .services import recipients


def send_overdue_reminders(*, today=None) -> int:
    today = today or timezone.localdate()
    items = (
        PledgeItem.objects.overdue(today)
        .select_related("pledge__org", "pledge__owner_member__user", "pledge__owner_org", "pledge__entered_by")
        .order_by("pledge_id", "position")
    )
    managers_by_path: dict[str, list] = {}
    sent = 0
    for item in items.iterator(chunk_size=500):
        pledge = item.pledge
        path = pledge.org.path
        if path not in managers_by_path:
            managers_by_path[path] = recipients.nearest_managers(path)
        users = {u.pk: u for u in [*recipients.authors(pledge), *managers_by_path[path]]}
        sent += notify(
            recipients=users.values(),
            kind=Notification.Kind.ITEM_OVERDUE,
            message=_("%(name)s's pledge item “%(item)s” was due on %(date)s and is not done.")
            % {"name": pledge.owner_name, "item": item.content[:60], "date": item.due_on.isoformat()},
            url=pledge.get_absolute_url(),
            key=f"pledge-item:{item.pk}:overdue",
        )
    return sent
