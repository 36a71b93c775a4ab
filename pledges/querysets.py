"""Reads on pledges, every one scoped through branches/access.py."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from branches import access


def _public_statuses():
    from .models import PUBLIC_STATUSES

    return PUBLIC_STATUSES


class PledgeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everything in the user's read scope, and a member's own pledges whatever their state."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        if scope.member_id:
            q |= Q(owner_member_id=scope.member_id)
        return self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def approvable_by(self, user):
        """Pledges the user may approve: a member's by a manager of its branch (never their own),
        an organization's by a manager of the org above it."""
        scope = access.scope_for(user)
        member_pledges = Q(owner_member__isnull=False)
        org_pledges = Q(owner_org__isnull=False)
        if scope.is_superuser:
            q = member_pledges | org_pledges
        else:
            below = Q(pk__in=[])
            for path in scope.manage_paths:
                below |= Q(org__path__startswith=path) & ~Q(org__path=path)
            q = (member_pledges & access.paths_q(scope.manage_paths, "org__path")) | (org_pledges & below)
        qs = self.filter(q)
        if scope.member_id:
            qs = qs.exclude(owner_member_id=scope.member_id)
        return qs

    def on_board(self, org, campaign):
        """What the org's 公示栏 shows: published pledges, and judged ones, of this org and campaign."""
        return self.filter(org=org, campaign=campaign, status__in=_public_statuses())

    def for_board_display(self):
        """Members first by name, then the org's own pledge; items prefetched in their order."""
        return (
            self.select_related("owner_member", "owner_org")
            .prefetch_related("items")
            .order_by("owner_member__isnull", "owner_member__name", "id")
        )

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)


class PledgeItemQuerySet(models.QuerySet):
    def overdue(self, today=None):
        """Past due, not done, while the pledge is published (being fulfilled)."""
        from .models import Status

        today = today or timezone.localdate()
        return self.filter(due_on__lt=today, done_on__isnull=True, pledge__status=Status.PUBLISHED)

    def visible_to(self, user):
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "pledge__org__path")
        if scope.member_id:
            q |= Q(pledge__owner_member_id=scope.member_id)
        return self.filter(q)


class BoardLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)
