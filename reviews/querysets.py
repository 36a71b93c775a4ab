"""Reads on reviews and rectification items, every one scoped through branches/access.py."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from branches import access


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviews in the user's read scope (managers of the target's subtree, contact-point leaders),
        and the ones they gave or received themselves: the reviewer, the head, the member reviewed."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        if scope.member_id:
            m = scope.member_id
            q |= Q(reviewer_id=m) | Q(target_member_id=m) | Q(target_head_id=m)
        return self.filter(q)

    def given_by(self, user):
        """The reviews the user holds as reviewer: only they write and move them."""
        member_id = access.scope_for(user).member_id
        return self.filter(reviewer_id=member_id) if member_id else self.none()

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def done(self):
        from .models import DONE_STAGES

        return self.filter(stage__in=DONE_STAGES)


class RectificationItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Items of orgs in the user's read scope, the items a member is responsible for, and the
        items opened from the reviews a leader gave."""
        scope = access.scope_for(user)
        if scope.is_superuser:
            return self
        q = access.paths_q(scope.read_paths, "org__path")
        if scope.member_id:
            q |= Q(owner_member_id=scope.member_id) | Q(review__reviewer_id=scope.member_id)
        return self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def open(self):
        from .models import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """Past the deadline and not struck off."""
        return self.open().filter(deadline__lt=today or timezone.localdate())


def pledges_for_review(review):
    """The pledges shown beside a review (承诺履行情况 is part of what is reviewed): the org's own and its
    head's, or the member's, in the review's campaign (the latest ones without a campaign). Reached only
    through a review the user may see, so whoever may read the review reads what it judges; drafts stay
    with their authors."""
    from pledges.models import APPROVED_STATUSES, Pledge

    owners = Q(pk__in=[])
    if review.target_org_id:
        owners |= Q(owner_org_id=review.target_org_id)
        if review.target_head_id:
            owners |= Q(owner_member_id=review.target_head_id)
    else:
        owners |= Q(owner_member_id=review.target_member_id)
    qs = Pledge.objects.filter(owners, status__in=APPROVED_STATUSES)
    if review.campaign_id:
        qs = qs.filter(campaign_id=review.campaign_id)
    return (
        qs.with_progress()
        .select_related("owner_member", "owner_org", "campaign")
        .prefetch_related("items")
        .order_by("-campaign__starts_on", "owner_member_id", "id")[:4]
    )
