"""三会一课 compliance: a subtree's branches falling short, and one branch's calendar."""

import calendar
from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from branches.access import get_org_for_user_or_404, scope_for
from branches.models import Organization, OrgKind

from ..compliance import branch_compliance, shortfalls, subtree_compliance, summarize
from ..models import Activity
from ..periods import add_months, month_end, month_start, recent_window, window_choices, window_from, year_window
from .common import SHORT_KIND, require_reader

SHORT_PAGE_SIZE = 50
WEEKDAYS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]


def month_label(month: date) -> str:
    return pgettext("calendar", "%(month)s mo.") % {"month": month.month}


def _default_org(user):
    scope = scope_for(user)
    if scope.is_superuser:
        return Organization.objects.filter(depth=1).order_by("path").first()
    if scope.read_paths:
        return Organization.objects.filter(path=scope.read_paths[0]).first()
    return None


def compliance(request):
    require_reader(request.user)
    today = timezone.localdate()
    org_pk = request.GET.get("org")
    org = get_org_for_user_or_404(request.user, org_pk) if org_pk else _default_org(request.user)
    if org is None:
        raise Http404
    window = window_from(request.GET.get("range"), today)
    results = subtree_compliance(org, window, today=today)
    sort = request.GET.get("sort", "misses")
    short = shortfalls(results, sort)
    checked = [r for r in results if r.rows]
    kinds = summarize(results)
    page = Paginator(short, SHORT_PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    roots = Organization.objects.filter(path__in=scope.read_paths).order_by("path") if scope.read_paths else []
    context = {
        "org": org,
        "window": window,
        "window_choices": window_choices(today),
        "sort": sort,
        "page_obj": page,
        "branches_total": len(results),
        "checked": len(checked),
        "met_all": sum(1 for r in checked if not r.missed_count),
        "short_count": len(short),
        "share_short": len(short) / len(checked) if checked else None,
        "kinds": kinds,
        "chart": {
            "labels": [str(k.label) for k in kinds],
            "short": [k.short for k in kinds],
            "met": [k.met for k in kinds],
        },
        "roots": roots if len(roots) > 1 else [],
        "nav_active": "activities",
    }
    return render(request, "activities/compliance.html", context)


def calendar_home(request):
    """A secretary's calendar is their branch's; anyone else starts from the subtree view."""
    require_reader(request.user)
    scope = scope_for(request.user)
    if len(scope.read_paths) == 1:
        org = Organization.objects.filter(path=scope.read_paths[0], kind=OrgKind.BRANCH).first()
        if org is not None:
            return redirect("activities:calendar", org_pk=org.pk)
    return redirect("activities:compliance")


def _month(value: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = date(year, month, 1)
    except (TypeError, ValueError):
        return month_start(today)
    return min(chosen, month_start(today)) if chosen.year >= 2000 else month_start(today)


def branch_calendar(request, org_pk):
    org = get_org_for_user_or_404(request.user, org_pk)
    if org.kind == OrgKind.GROUP:
        parent = Organization.objects.filter(path=org.path[: -org.steplen]).first()
        if parent is not None:
            return redirect("activities:calendar", org_pk=parent.pk)
    if org.kind != OrgKind.BRANCH:
        raise Http404
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    range_value = request.GET.get("range")
    window = window_from(range_value, today)
    if not window.start <= month <= window.end:
        window = recent_window(today) if recent_window(today).start <= month else year_window(month.year)
    result = branch_compliance(org, window, today=today)
    activities = list(
        Activity.objects.visible_to(request.user)
        .filter(branch=org, held_on__range=(month, month_end(month)))
        .with_counts()
        .select_related("org")
        .order_by("held_on", "starts_at", "id")
    )
    by_day: dict[date, list] = {}
    for activity in activities:
        activity.short_kind = SHORT_KIND.get(activity.kind, activity.get_kind_display())
        by_day.setdefault(activity.held_on, []).append(activity)
    weeks = [
        [{"day": d, "in_month": d.month == month.month, "activities": by_day.get(d, [])} for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    months = window.months
    strip = [
        {
            "month": m,
            "label": month_label(m),
            "state": result.month_state(m) or "none",
            "total": result.month_total(m),
        }
        for m in months
    ]
    matrix = [
        {
            "rule": row.rule,
            "cells": [{"cell": cell, "span": sum(1 for m in cell.period.months if m in months)} for cell in row.cells],
        }
        for row in result.rows
    ]
    context = {
        "org": org,
        "month": month,
        "previous": add_months(month, -1),
        "next": add_months(month, 1) if add_months(month, 1) <= today else None,
        "weeks": weeks,
        "activities": activities,
        "window": window,
        "window_choices": window_choices(today),
        "strip": strip,
        "matrix": matrix,
        "months": [(m, month_label(m)) for m in months],
        "month_heading": _("%(year)s-%(month)s") % {"year": month.year, "month": month.month},
        "result": result,
        "today": today,
        "weekdays": WEEKDAYS,
        "may_log": scope_for(request.user).may_manage_path(org.path),
        "nav_active": "activities",
    }
    return render(request, "activities/calendar.html", context)
