"""Single campaigns for a user: the same 404 for "not yours" and "does not exist"."""

from branches import access


def get_campaign_for_user_or_404(user, pk, *, manage: bool = False):
    """A campaign the user may see (run above or below their scope), or, with ``manage``, one run
    inside a subtree they manage. Its org, phases and carriers come with it."""
    from .models import Campaign

    qs = Campaign.objects.manageable_by(user) if manage else Campaign.objects.visible_to(user)
    return access.get_object_for_user_or_404(qs.select_related("org").prefetch_related("phases", "carriers"), pk)


def can_manage_campaign(user, campaign) -> bool:
    return access.scope_for(user).may_manage_path(campaign.org.path)
