"""Committee staff's numbers for their subtree: participation, approval, fulfilment, overdue; and XLSX."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import get_object_for_user_or_404, get_org_for_user_or_404, scope_for
from branches.models import Organization
from campaigns.models import Campaign

from ..exports import stats_workbook
from ..stats import pledge_stats
from .access import may_manage_any


def _chosen(request):
    """(org, campaign, campaigns): the org asked for or the user's top org; a campaign of it or all."""
    if not may_manage_any(request.user):
        raise Http404
    if request.GET.get("org"):
        org = get_org_for_user_or_404(request.user, request.GET["org"])
    else:
        scope = scope_for(request.user)
        roots = Organization.objects.filter(path__in=scope.manage_paths) if not scope.is_superuser else None
        org = (roots if roots is not None else Organization.objects.filter(depth=1)).order_by("path").first()
        if org is None:
            raise Http404
    # The org's own campaigns, those above it that cover it, and those run inside its subtree.
    campaigns = Campaign.objects.visible_to(request.user).filter(
        pk__in=Campaign.objects.covering(org).values("pk")
    ) | Campaign.objects.visible_to(request.user).filter(org__path__startswith=org.path)
    campaigns = campaigns.distinct().select_related("org")
    campaign = None
    wanted = request.GET.get("campaign")
    if wanted == "all":
        campaign = None
    elif wanted:
        campaign = get_object_for_user_or_404(campaigns, wanted)
    else:
        campaign = campaigns.running().first() or campaigns.first()
    return org, campaign, campaigns


def _chart_data(stats) -> dict:
    """What the charts draw; the tables on the page show the same numbers."""

    def pct(value):
        return None if value is None else round(value * 100, 1)

    # The chart draws the organizations that have pledges; the table below lists every one.
    branches = [r for r in stats.branches if r.submitted or r.member_pledges or r.org_pledges]
    return {
        "names": {
            "participation": _("Participation"),
            "approval": _("Approval rate"),
            "kept": _("Kept rate"),
        },
        "categories": {
            "labels": [r.label for r in stats.categories],
            "approval": [pct(r.approval_rate) for r in stats.categories],
            "kept": [pct(r.kept_rate) for r in stats.categories],
            "pledges": [r.member_pledges + r.org_pledges for r in stats.categories],
        },
        "branches": {
            "labels": [r.label for r in branches],
            "participation": [pct(r.participation) for r in branches],
            "approval": [pct(r.approval_rate) for r in branches],
            "kept": [pct(r.kept_rate) for r in branches],
        },
    }


def pledge_statistics(request):
    org, campaign, campaigns = _chosen(request)
    stats = pledge_stats(org, campaign)
    return render(
        request,
        "pledges/stats.html",
        {
            "stats": stats,
            "org": org,
            "campaign": campaign,
            "campaigns": campaigns,
            "chart_data": _chart_data(stats),
            "today": timezone.localdate(),
            "nav_active": "pledges",
        },
    )


def pledge_statistics_export(request):
    org, campaign, _campaigns = _chosen(request)
    content = stats_workbook(pledge_stats(org, campaign))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="pledges-{org.code}-{stamp}.xlsx"'
    return response
