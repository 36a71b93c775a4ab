from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user (intranets have no mail), shown in the header with a count."""

    class Kind(models.TextChoices):
        PLEDGE_RETURNED = "pledge_returned", _("Pledge returned")
        PLEDGE_APPROVED = "pledge_approved", _("Pledge approved")
        APPROVAL_WAITING = "approval_waiting", _("Approval waiting")
        ITEM_OVERDUE = "item_overdue", _("Pledge item overdue")
        ACTIVITY_DUE = "activity_due", _("Activity due")
        OTHER = "other", _("Other")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Reminders of the same thing are sent once: (kind, key) is unique per recipient while unread.
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.message
