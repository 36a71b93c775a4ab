"""Campaign pages: the list, one campaign with its timeline, and the forms that change them."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import scope_for
from branches.views.common import add_service_error, is_htmx

from . import services
from .access import can_manage_campaign, get_campaign_for_user_or_404
from .forms import (
    CampaignFilterForm,
    CampaignForm,
    CarrierForm,
    PhaseForm,
    PhaseFormSet,
    default_campaign_initial,
    phase_initial,
)
from .models import Campaign

PAGE_SIZE = 20
NAV = "campaigns"


def campaign_list(request):
    today = timezone.localdate()
    visible = Campaign.objects.visible_to(request.user)
    filters = CampaignFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    qs = visible.in_status(status, today).select_related("org").prefetch_related("phases").in_list_order(today)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "campaigns": page_obj.object_list,
        "status": status,
        "counts": visible.status_counts(today),
        "can_create": scope.is_superuser or bool(scope.manage_paths),
        "today": today,
    }
    return render(request, "campaigns/campaign_list.html", context)


def campaign_detail(request, pk):
    campaign = get_campaign_for_user_or_404(request.user, pk)
    today = timezone.localdate()
    context = {
        "nav_active": NAV,
        "campaign": campaign,
        "phases": list(campaign.phases.all()),
        "current_phase": campaign.current_phase(today),
        "carriers": list(campaign.carriers.all()),
        "can_manage": can_manage_campaign(request.user, campaign),
        "history": history_for(campaign)[:50],
        "today": today,
    }
    return render(request, "campaigns/campaign_detail.html", context)


def _period_from(data, fallback: dict) -> tuple:
    starts_on = parse_date(data.get("starts_on") or "") or fallback["starts_on"]
    ends_on = parse_date(data.get("ends_on") or "") or fallback["ends_on"]
    return starts_on, ends_on


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    initial = default_campaign_initial()
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "GET" and request.GET.get("org"):
        # Preselecting an org the user cannot run a campaign for is the same "not found" as elsewhere.
        org = (
            form.fields["org"].queryset.filter(pk=request.GET["org"]).first() if request.GET["org"].isdigit() else None
        )
        if org is None:
            raise Http404
        form.initial["org"] = org
    if not form.fields["org"].queryset.exists():
        raise Http404
    if request.method == "GET":
        starts_on, ends_on = _period_from(request.GET, initial)
        phases = PhaseFormSet(prefix="phases", initial=phase_initial(starts_on, ends_on))
        if is_htmx(request):
            # The period changed: the phases are split again over the new dates.
            return render(request, "campaigns/campaign_form.html#phases", {"phases": phases})
        return render(request, "campaigns/campaign_form.html", {"form": form, "phases": phases, "nav_active": NAV})
    phases = PhaseFormSet(request.POST, prefix="phases")
    phase_errors = []
    if form.is_valid() and phases.is_valid():
        plans = [
            services.PhasePlan(**{k: f.cleaned_data[k] for k in ("kind", "name", "starts_on", "ends_on")})
            for f in phases.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            campaign = services.campaign_create(
                org=form.cleaned_data["org"],
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                description=form.cleaned_data["description"],
                phases=plans,
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_error(form, error)
            else:
                # The phase checks name the phase; they are shown above the phases, not the campaign.
                phase_errors = error.messages
        else:
            messages.success(request, _("The campaign %(name)s has been set up.") % {"name": campaign.name})
            return redirect(campaign)
    context = {"form": form, "phases": phases, "phase_errors": phase_errors, "nav_active": NAV}
    return render(request, "campaigns/campaign_form.html", context)


@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    initial = {f: getattr(campaign, f) for f in ("name", "starts_on", "ends_on", "description")}
    form = CampaignForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes to %(name)s have been saved.") % {"name": campaign.name})
            return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign, "nav_active": NAV})


def _phase_page(request, campaign, form, phase=None):
    title = _("Edit the phase %(name)s") % {"name": phase.name} if phase else _("Add a phase")
    context = {"form": form, "campaign": campaign, "phase": phase, "page_title": title, "nav_active": NAV}
    return render(request, "campaigns/phase_form.html", context)


@require_http_methods(["GET", "POST"])
def phase_add(request, pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    phases = list(campaign.phases.all())
    # A new phase most often follows the last one; the user adjusts the dates.
    start = min(phases[-1].ends_on + timedelta(days=1), campaign.ends_on) if phases else campaign.starts_on
    form = PhaseForm(request.POST or None, initial={"kind": "other", "starts_on": start, "ends_on": campaign.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            phase = services.phase_add(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The phase %(name)s has been added.") % {"name": phase.name})
            return redirect(campaign)
    return _phase_page(request, campaign, form)


@require_http_methods(["GET", "POST"])
def phase_edit(request, pk, phase_pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    phase = get_object_or_404(campaign.phases.all(), pk=phase_pk)
    initial = {f: getattr(phase, f) for f in ("kind", "name", "starts_on", "ends_on")}
    form = PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(phase=phase, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The phase %(name)s has been saved.") % {"name": phase.name})
            return redirect(campaign)
    return _phase_page(request, campaign, form, phase)


@require_POST
def phase_remove(request, pk, phase_pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    phase = get_object_or_404(campaign.phases.all(), pk=phase_pk)
    services.phase_remove(phase=phase, by=request.user)
    messages.success(request, _("The phase %(name)s has been removed.") % {"name": phase.name})
    return redirect(campaign)


def _carrier_page(request, campaign, form, carrier=None):
    title = _("Edit the carrier %(name)s") % {"name": carrier.name} if carrier else _("Add a carrier")
    context = {"form": form, "campaign": campaign, "carrier": carrier, "page_title": title, "nav_active": NAV}
    return render(request, "campaigns/carrier_form.html", context)


@require_http_methods(["GET", "POST"])
def carrier_add(request, pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    form = CarrierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            carrier = services.carrier_add(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The carrier %(name)s has been added.") % {"name": carrier.name})
            return redirect(campaign)
    return _carrier_page(request, campaign, form)


@require_http_methods(["GET", "POST"])
def carrier_edit(request, pk, carrier_pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    carrier = get_object_or_404(campaign.carriers.all(), pk=carrier_pk)
    form = CarrierForm(request.POST or None, initial={"name": carrier.name, "description": carrier.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.carrier_update(carrier=carrier, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The carrier %(name)s has been saved.") % {"name": carrier.name})
            return redirect(campaign)
    return _carrier_page(request, campaign, form, carrier)


@require_POST
def carrier_remove(request, pk, carrier_pk):
    campaign = get_campaign_for_user_or_404(request.user, pk, manage=True)
    carrier = get_object_or_404(campaign.carriers.all(), pk=carrier_pk)
    try:
        services.carrier_remove(carrier=carrier, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The carrier %(name)s has been removed.") % {"name": carrier.name})
    return redirect(campaign)
