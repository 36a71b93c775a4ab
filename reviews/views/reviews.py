"""The review ledger (点评台帐) and one review through its stages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import get_object_for_user_or_404, get_org_for_user_or_404

from .. import review_flow, services
from ..coverage import coverage
from ..exports import review_ledger_workbook
from ..forms import AnnounceForm, RectifyForm, ReviewFilterForm, ReviewPlanForm, ReviewRecordForm
from ..models import Review, Stage
from ..permissions import leadership_for, reviewable_members, reviewable_orgs
from ..querysets import pledges_for_review
from .access import campaigns_for, get_review_for_user_or_404

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    """(form, queryset, org): the ledger's filters applied to the user's visible reviews."""
    campaigns = campaigns_for(request.user)
    form = ReviewFilterForm(request.GET or None, campaigns=campaigns)
    qs = Review.objects.visible_to(request.user)
    org = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("org"):
            org = get_org_for_user_or_404(request.user, data["org"])
            qs = qs.in_subtree(org)
        for name in ("campaign", "method", "stage"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("date_from"):
            qs = qs.filter(held_on__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(held_on__lte=data["date_to"])
    elif request.GET.get("org"):
        raise Http404
    qs = qs.select_related("org", "target_org", "target_head", "target_member", "reviewer", "campaign").annotate(
        shortcoming_count=Count("shortcomings", distinct=True),
        item_count=Count("rectification_items", distinct=True),
    )
    return form, qs.order_by("-held_on", "-id"), org


def review_list(request):
    form, qs, org = _filtered(request)
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "chosen_org": org,
        "may_review": leadership_for(request.user).may_review_anyone,
        "nav_active": "reviews",
    }
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "review-rows":
        return render(request, "reviews/review_list.html#rows", context)
    return render(request, "reviews/review_list.html", context)


def review_export(request):
    form, qs, org = _filtered(request)
    table = None
    if org is not None:
        # With an org chosen, the workbook also says who has and has not been reviewed.
        campaign = form.cleaned_data.get("campaign") if form.is_valid() else None
        table = coverage(org, campaign, reviews=Review.objects.visible_to(request.user))
    content = review_ledger_workbook(qs, table)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    code = org.code if org else "all"
    response["Content-Disposition"] = f'attachment; filename="reviews-{code}-{stamp}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def review_create(request):
    """Plan a review; ?org= or ?member= preselects the target (refused off the line of subordination)."""
    lead = leadership_for(request.user)
    if not lead.may_review_anyone:
        raise Http404
    orgs, members = reviewable_orgs(request.user), reviewable_members(request.user)
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("org"):
        initial["target_org"] = get_object_for_user_or_404(orgs, request.GET["org"])
    if request.GET.get("member"):
        initial["target_member"] = get_object_for_user_or_404(members, request.GET["member"])
    target = initial.get("target_org") or initial.get("target_member")
    campaigns = campaigns_for(request.user)
    # The campaign running over the target (or over anything the user sees) is the likely one.
    covering = campaigns_for(request.user, getattr(target, "org", target)) if target else campaigns
    initial["campaign"] = covering.running().first()
    form = ReviewPlanForm(request.POST or None, orgs=orgs, members=members, campaigns=campaigns, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_plan(
                target=data["target"],
                method=data["method"],
                held_on=data["held_on"],
                campaign=data.get("campaign"),
                place=data["place"],
                preparation=data["preparation"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not review this target."))
        else:
            messages.success(request, _("The review has been planned. Record it once it has been held."))
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form, "nav_active": "reviews", "review": None})


@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    review = get_review_for_user_or_404(request.user, pk)
    if not review_flow.may_edit_plan(request.user, review):
        raise Http404
    campaigns = campaigns_for(request.user, review.org)
    initial = {f: getattr(review, f) for f in ("campaign", "method", "held_on", "place", "preparation")}
    form = ReviewPlanForm(
        request.POST or None, orgs=None, members=None, campaigns=campaigns, initial=initial, with_target=False
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update_plan(review=review, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form, "review": review, "nav_active": "reviews"})


@require_http_methods(["GET", "POST"])
def review_record(request, pk):
    review = get_review_for_user_or_404(request.user, pk)
    if not review_flow.may_edit_content(request.user, review):
        raise Http404
    initial = {
        "held_on": min(review.held_on, timezone.localdate()),
        "duty_report": review.duty_report,
        "achievements": review.achievements,
        "shortcomings": "\n".join(s.text for s in review.shortcomings.all()),
        "direction": review.direction,
        "record": review.record,
        "recorder": review.recorder,
    }
    form = ReviewRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_record(
                review=review,
                held_on=data["held_on"],
                duty_report=data["duty_report"],
                record=data["record"],
                recorder=data["recorder"],
                achievements=data["achievements"],
                shortcomings=form.shortcoming_lines(),
                direction=data["direction"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect(review)
    return render(request, "reviews/review_record.html", {"form": form, "review": review, "nav_active": "reviews"})


def review_detail(request, pk):
    review = get_review_for_user_or_404(request.user, pk)
    shortcomings = list(review.shortcomings.select_related("rectification_item"))
    may_rectify = review_flow.may_rectify(request.user, review)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "shortcomings": shortcomings,
            "pledges": list(pledges_for_review(review)),
            "items": review.rectification_items.select_related("org", "owner_member").order_by("deadline", "id"),
            "may_edit_plan": review_flow.may_edit_plan(request.user, review),
            "may_record": review_flow.may_edit_content(request.user, review),
            "may_announce": review_flow.may(request.user, review, "announce"),
            "announce_move": review_flow.MOVES["announce"],
            "may_rectify": may_rectify,
            "rectify_form": RectifyForm(initial={"deadline": services.default_deadline()}) if may_rectify else None,
            "announce_form": AnnounceForm(),
            "history": history_for(review)[:30],
            "today": timezone.localdate(),
            "stages": Stage,
            "nav_active": "reviews",
        },
    )


@require_POST
def review_announce(request, pk):
    review = get_review_for_user_or_404(request.user, pk)
    if not review_flow.may(request.user, review, "announce"):
        raise Http404
    form = AnnounceForm(request.POST)
    if form.is_valid():
        try:
            services.review_announce(review=review, announcement=form.cleaned_data["announcement"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The review opinions have been announced."))
    else:
        messages.error(request, _("Write what is announced and to whom."))
    return redirect(review)


@require_POST
def shortcoming_rectify(request, pk, shortcoming_pk):
    """One step from a shortcoming to a rectification item on the reviewed org and its head."""
    review = get_review_for_user_or_404(request.user, pk)
    shortcoming = get_object_for_user_or_404(review.shortcomings.all(), shortcoming_pk)
    if not review_flow.may_rectify(request.user, review):
        raise Http404
    form = RectifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a deadline."))
        return redirect(review)
    try:
        item = services.review_rectify(shortcoming=shortcoming, deadline=form.cleaned_data["deadline"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(review)
    messages.success(request, _("Listed for rectification: %(problem)s") % {"problem": item.problem})
    return redirect(review)
