"""The reviews pages' share of the access rule: single objects 404 when not yours."""

from django.http import Http404

from branches.access import get_object_for_user_or_404, get_org_for_user_or_404, scope_for
from branches.models import Organization
from campaigns.models import Campaign

from ..models import Attachment, RectificationItem, Review


def get_review_for_user_or_404(user, pk):
    qs = Review.objects.visible_to(user).select_related(
        "org", "target_org", "target_head", "target_member__org", "reviewer__org", "campaign__org", "created_by"
    )
    return get_object_for_user_or_404(qs, pk)


def get_item_for_user_or_404(user, pk):
    qs = RectificationItem.objects.visible_to(user).select_related(
        "org", "owner_member__user", "review__reviewer__user", "review__org", "campaign", "listed_by", "confirmed_by"
    )
    return get_object_for_user_or_404(qs, pk)


def get_attachment_for_user_or_404(user, pk):
    items = RectificationItem.objects.visible_to(user)
    return get_object_for_user_or_404(Attachment.objects.filter(evidence__item__in=items), pk)


def chosen_org(request, *, required: bool = False):
    """The org asked for (in the user's read scope, else 404), or the user's top org when required."""
    if request.GET.get("org"):
        return get_org_for_user_or_404(request.user, request.GET["org"])
    if not required:
        return None
    scope = scope_for(request.user)
    if scope.is_superuser:
        org = Organization.objects.filter(depth=1).order_by("path").first()
    else:
        org = Organization.objects.filter(path__in=scope.read_paths).order_by("path").first()
    if org is None:
        raise Http404
    return org


def campaigns_for(user, org=None):
    """Campaigns the user sees; with an org, those covering it or run inside it."""
    qs = Campaign.objects.visible_to(user)
    if org is not None:
        qs = qs.filter(pk__in=Campaign.objects.covering(org).values("pk")) | qs.filter(org__path__startswith=org.path)
    return qs.distinct().select_related("org").order_by("-starts_on", "id")


def chosen_campaign(request, campaigns):
    """The campaign asked for, "all", or the running one by default (None = all campaigns)."""
    wanted = request.GET.get("campaign")
    if wanted == "all" or (wanted == "" and "campaign" in request.GET):
        return None
    if wanted:
        return get_object_for_user_or_404(campaigns, wanted)
    return campaigns.running().first() or campaigns.first()
