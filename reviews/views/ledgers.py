"""Coverage of the reviews and the rectification rate: numbers for a subtree, a chart and its table."""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ..coverage import coverage, member_rows
from ..models import RectificationItem, Review
from ..rates import rectification_rates
from .access import campaigns_for, chosen_campaign, chosen_org

PAGE_SIZE = 50


def _pct(value):
    return None if value is None else round(value * 100, 1)


def review_coverage(request):
    org = chosen_org(request, required=True)
    campaigns = campaigns_for(request.user, org)
    campaign = chosen_campaign(request, campaigns)
    reviews = Review.objects.visible_to(request.user)
    table = coverage(org, campaign, reviews=reviews)
    rows = table.rows.where(counted=True)  # read in SQL for the page shown only
    if request.GET.get("missing"):
        rows = rows.where(reviewed=False)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    chart = {
        "names": {"orgs": _("Organizations reviewed"), "members": _("Members reviewed")},
        "labels": [g.org.short_name or g.org.name for g in table.groups],
        "orgs": [_pct(g.org_rate) for g in table.groups],
        "members": [_pct(g.member_rate) for g in table.groups],
        "org_counts": [[g.orgs_reviewed, g.orgs] for g in table.groups],
        "member_counts": [[g.members_reviewed, g.members] for g in table.groups],
    }
    return render(
        request,
        "reviews/coverage.html",
        {
            "org": org,
            "campaign": campaign,
            "campaigns": campaigns,
            "coverage": table,
            "page_obj": page_obj,
            "members": member_rows(org, campaign, reviews=reviews),
            "chart_data": chart,
            "nav_active": "reviews",
        },
    )


def period_from_request(request, today: date) -> tuple[date, date]:
    """The period asked for; by default this year up to today."""
    starts_on = parse_date(request.GET.get("date_from") or "") or date(today.year, 1, 1)
    ends_on = parse_date(request.GET.get("date_to") or "") or today
    if ends_on < starts_on:
        starts_on, ends_on = ends_on, starts_on
    return starts_on, ends_on


def rectification_rate(request):
    org = chosen_org(request, required=True)
    today = timezone.localdate()
    try:
        starts_on, ends_on = period_from_request(request, today)
    except ValueError:
        raise Http404 from None
    rates = rectification_rates(
        org, starts_on, ends_on, items=RectificationItem.objects.visible_to(request.user), today=today
    )
    chart = {
        "names": {"rate": _("Rectification rate"), "listed": _("Listed"), "struck": _("Struck off")},
        "labels": [r.label for r in rates.rows],
        "rate": [_pct(r.rate) for r in rates.rows],
        "listed": [r.listed for r in rates.rows],
        "struck": [r.struck_off for r in rates.rows],
    }
    return render(
        request,
        "reviews/rate.html",
        {"org": org, "rates": rates, "chart_data": chart, "today": today, "nav_active": "reviews"},
    )
