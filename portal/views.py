from django.shortcuts import render

from branches import stats
from branches.access import scope_for
from branches.models import Organization
from campaigns.models import Campaign

HOME_CAMPAIGNS = 6


def home(request):
    """The user's scope at a glance: their subtrees with real counts, or their own record."""
    scope = scope_for(request.user)
    roots = Organization.objects.none()
    if scope.is_superuser:
        roots = Organization.objects.get_root_nodes()
    elif scope.read_paths:
        roots = Organization.objects.filter(path__in=scope.read_paths).order_by("path")
    summaries = [(org, stats.subtree_summary(org)) for org in roots[:12]]
    member = None
    if scope.member_id:
        from members.models import Member

        member = Member.objects.select_related("org").get(pk=scope.member_id)
    # Running campaigns over the user's scope, ending soonest first; phases in one query.
    campaigns = (
        Campaign.objects.visible_to(request.user)
        .running()
        .select_related("org")
        .prefetch_related("phases")
        .order_by("ends_on", "id")[:HOME_CAMPAIGNS]
    )
    return render(
        request,
        "portal/home.html",
        {"nav_active": "home", "summaries": summaries, "member": member, "campaigns": campaigns},
    )
