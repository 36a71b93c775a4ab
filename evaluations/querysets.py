"""Reads on evaluation rounds, scoped through branches/access.py: a round belongs to the org that runs it."""

from django.db import models
from django.utils import timezone

from branches import access


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = access.org_filter(user, field="owner__path")
        return self if q is None else self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="owner__path", manage=True)
        return self if q is None else self.filter(q)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def in_state(self, state: str, now=None):
        now = now or timezone.now()
        if state == "open":
            return self.open_now(now)
        if state == "upcoming":
            return self.filter(opens_at__gt=now)
        if state == "closed":
            return self.filter(closes_at__lte=now)
        return self


class SlipBatchQuerySet(models.QuerySet):
    def manageable_by(self, user):
        q = access.org_filter(user, field="round__owner__path", manage=True)
        return self if q is None else self.filter(q)


class ResponseQuerySet(models.QuerySet):
    def manageable_by(self, user):
        q = access.org_filter(user, field="round__owner__path", manage=True)
        return self if q is None else self.filter(q)

    def with_comment(self):
        return self.exclude(comment="")
