"""The dashboard: the figures of an org the user may read, for a period and optionally a campaign,
as charts (each with its table and its numbers on hover) that lead to the lists behind them."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from branches.access import get_org_for_user_or_404, scope_for
from branches.models import Organization
from campaigns.access import get_campaign_for_user_or_404
from campaigns.models import Campaign

from .. import dashboard as dashboard_figures
from ..figures import cache as figure_cache
from ..forms import DashboardForm, org_choices
from .common import require_reader


def _default_org(user):
    scope = scope_for(user)
    orgs = Organization.objects.visible_to(user).active()
    if scope.is_superuser:
        return orgs.filter(depth=1).order_by("path").first()
    return orgs.filter(path__in=scope.read_paths).order_by("path").first()


def _nearby(user, org):
    """The orgs the picker offers: the way up to the top of the user's scope, the org's siblings and
    children. The whole tree would be 15,000 options in a province; deeper orgs are a pick away."""
    step = Organization.steplen
    parent = org.path[:-step]
    near = (
        Q(path__in=[org.path[:n] for n in range(step, len(org.path) + 1, step)])
        | Q(path__startswith=org.path, depth=org.depth + 1)
        | Q(path__startswith=parent, depth=org.depth)
    )
    scope = scope_for(user)
    near |= Q(depth=1) if scope.is_superuser else Q(path__in=scope.read_paths)
    return org_choices(Organization.objects.visible_to(user)).filter(near)


def dashboard(request):
    user = request.user
    require_reader(user)
    org = get_org_for_user_or_404(user, request.GET["org"]) if request.GET.get("org") else _default_org(user)
    campaign = None
    if request.GET.get("campaign"):
        campaign = get_campaign_for_user_or_404(user, request.GET["campaign"])
    elif "campaign" not in request.GET and org is not None:
        # First visit: the campaign running over the org, as the home page shows it.
        campaign = Campaign.objects.visible_to(user).covering(org).running().first()
    form = DashboardForm(request.GET or None, user=user, initial={"org": org, "campaign": campaign})
    if org is not None:
        form.fields["org"].queryset = _nearby(user, org)
    start, end = form.period(campaign)
    form.initial.update(start=start, end=end)
    context = {"form": form, "org": org, "campaign": campaign, "start": start, "end": end, "nav_active": "dashboard"}
    if org is not None:
        today = timezone.localdate()
        if request.headers.get("HX-Trigger") == "dashboard-updating":
            return _updating(request, figure_cache.key(org, campaign, start, end, today))
        shown = dashboard_figures.kept_or_counted(org, campaign, start, end, today)
        context.update(shown, figures_html=mark_safe(shown["figures_html"]))  # drawn by shown() from the figures
    return render(request, "reports/dashboard.html", context)


def _updating(request, entry_key: str) -> HttpResponse:
    """The answer to the page's question, every few seconds, whether the newer figures are counted:
    nothing while they are awaited (204, ask again); once they are, a link that shows them (the page
    is not reloaded under its reader); if nobody counts them, a note, and the asking stops (286)."""
    state = figure_cache.state(entry_key)
    if state == "queued":
        return HttpResponse(status=204)
    response = render(request, "reports/dashboard_updating.html", {"state": state})
    if state is None:
        response.status_code = 286
    return response


def _date(value):
    try:
        return parse_date(value or "")
    except ValueError:  # well formed but no such day
        return None


@require_POST
def dashboard_refresh(request, org):
    """Count the figures of the page again now rather than when the kept ones expire."""
    user = request.user
    require_reader(user)
    org = get_org_for_user_or_404(user, org)
    campaign = None
    if request.POST.get("campaign"):
        campaign = get_campaign_for_user_or_404(user, request.POST["campaign"])
    start, end = _date(request.POST.get("start")), _date(request.POST.get("end"))
    query = {"org": org.pk, "campaign": campaign.pk if campaign else ""}
    if start and end:
        today = timezone.localdate()
        if campaign is not None:
            figure_cache.forget(figure_cache.pledges_key(org, campaign, min(end, today)))
        dashboard_figures.recount(org, campaign, start, end, today)  # now, however big the subtree
        query.update(start=start.isoformat(), end=end.isoformat())
    return redirect(f"{reverse('reports:dashboard')}?{urlencode(query)}")
