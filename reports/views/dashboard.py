"""The dashboard: the figures of an org the user may read, for a period and optionally a campaign,
as charts (each with its table and its numbers on hover) that lead to the lists behind them."""

from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from branches.access import get_org_for_user_or_404, scope_for
from branches.models import Organization
from campaigns.access import get_campaign_for_user_or_404
from campaigns.models import Campaign

from .. import drafting, figures, phrasing
from ..figures import cache as figure_cache
from ..forms import DashboardForm, org_choices
from .common import require_reader

LAGGING_SHOWN = 50


def _default_org(user):
    scope = scope_for(user)
    orgs = Organization.objects.visible_to(user).active()
    if scope.is_superuser:
        return orgs.filter(depth=1).order_by("path").first()
    return orgs.filter(path__in=scope.read_paths).order_by("path").first()


def _url(name: str, **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _charts(fig, org, campaign) -> dict:
    """Data for each chart: labels, values and the link behind each value."""
    o, a = fig.orgs, fig.activities
    camp = campaign.pk if campaign else ""
    charts = {
        "kinds": {
            "labels": [label for _, label, _n in o.kind_rows()],
            "values": [n for _, _l, n in o.kind_rows()],
            "links": [org.get_absolute_url() for _ in o.kind_rows()],
        },
        "categories": {
            "labels": [label for _, label, _n, _b in o.category_rows()],
            "values": [n for _, _l, n, _b in o.category_rows()],
            "links": [_url("members:member_list", org=org.pk, category=c) for c, *_ in o.category_rows()],
        },
        "stages": {
            "labels": [label for _, label, _n in o.stage_rows()],
            "values": [n for _, _l, n in o.stage_rows()],
            "links": [_url("members:member_list", org=org.pk, stage=s) for s, *_ in o.stage_rows()],
        },
        "months": {
            "labels": [phrasing.month_label(m) for m, *_ in a.month_rows()],
            "values": [n for _, n, _t in a.month_rows()],
            "three": [t for *_, t in a.month_rows()],
            "links": [
                _url(
                    "activities:activity_list",
                    org=org.pk,
                    start=max(m, fig.start).isoformat(),
                    end=min(_month_end(m), fig.end).isoformat(),
                )
                for m, *_ in a.month_rows()
            ],
        },
        "compliance": {
            "labels": [k.label for k in a.kinds],
            "met": [k.met for k in a.kinds],
            "short": [k.short for k in a.kinds],
            "links": [_url("activities:compliance", org=org.pk) for _ in a.kinds],
        },
    }
    if fig.pledges is not None:
        t = fig.pledges.total
        charts["pledges"] = {
            "labels": ["提交审核", "审核确定", "公开承诺", "承诺事项", "已践诺事项", "逾期事项"],
            "values": [t.submitted, t.approved, fig.pledges.made, t.items, t.items_done, fig.pledges.overdue_items],
            "links": [
                _url("pledges:pledge_list", org=org.pk, campaign=camp),
                _url("pledges:pledge_list", org=org.pk, campaign=camp, status="approved"),
                _url("pledges:pledge_list", org=org.pk, campaign=camp, status="published"),
                _url("pledges:pledge_list", org=org.pk, campaign=camp, status="published"),
                _url("pledges:pledge_list", org=org.pk, campaign=camp, status="closed"),
                _url("pledges:pledge_list", org=org.pk, campaign=camp, overdue="on"),
            ],
        }
    g = fig.appraisals.grades
    charts["grades"] = {
        "labels": ["优秀", "合格", "基本合格", "不合格"],
        "values": [g.excellent, g.qualified, g.basic, g.unqualified],
        "links": [_url("appraisals:distribution", org=org.pk, year=fig.appraisals.year)] * 4,
    }
    ev = fig.evaluations.overall
    charts["satisfaction"] = {
        "labels": ["满意", "基本满意", "不满意", "不了解"],
        "values": ev.counts(),
        "links": [_url("evaluations:round_list")] * 4,
    }
    return charts


CHART_TITLES = {
    "kinds": (_("Organizations by kind"), "bi-diagram-3"),
    "categories": (_("Organizations by category"), "bi-pie-chart"),
    "stages": (_("People by stage"), "bi-people"),
    "months": (_("Activities per month"), "bi-calendar-check"),
    "compliance": (_("三会一课 compliance"), "bi-check2-square"),
    "pledges": (_("Pledges made, approved and kept"), "bi-megaphone"),
    "satisfaction": (_("Mass evaluation"), "bi-emoji-smile"),
    "grades": (_("Appraisal grades"), "bi-award"),
}


def _tables(charts: dict) -> list[dict]:
    """Each chart's numbers as table rows (the table view), every value with the link behind it."""
    out = []
    for key, data in charts.items():
        if key == "months":
            head = ["月份", "活动次数", "其中“三会一课”"]
            rows = [
                (label, [v, t], link)
                for label, v, t, link in zip(data["labels"], data["values"], data["three"], data["links"], strict=True)
            ]
        elif key == "compliance":
            head = ["类型", "已落实支部", "未落实支部"]
            rows = [
                (label, [m, s], link)
                for label, m, s, link in zip(data["labels"], data["met"], data["short"], data["links"], strict=True)
            ]
        else:
            head = ["项目", "数量"]
            rows = [
                (label, [v], link) for label, v, link in zip(data["labels"], data["values"], data["links"], strict=True)
            ]
        title, icon = CHART_TITLES[key]
        out.append(
            {
                "key": key,
                "title": title,
                "icon": icon,
                "head": head,
                "rows": rows,
                "empty": not any(any(v for v in r[1]) for r in rows),
            }
        )
    return out


def _month_end(month):
    from activities.periods import month_end

    return month_end(month)


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


def _lagging_row(row) -> dict:
    # An org found only by its rectification items (id "path:…") has no calendar to link to.
    url = reverse("activities:calendar", args=[row.id]) if isinstance(row.id, int) else ""
    return {"name": row.name, "url": url, "labels": row.labels}


def _shown(org, campaign, start, end, today) -> dict:
    """What the page shows of the figures, small enough to keep (figures/cache.py)."""
    reused = []

    def pledges(org, campaign, *, today):
        part = figure_cache.kept(
            figure_cache.pledges_key(org, campaign, today),
            lambda: {"figures": figures.pledge_figures(org, campaign, today=today)},
        )
        reused.append(part["as_of"])
        return part["figures"]

    fig = figures.compute(org, campaign, start, end, today=today, pledges=pledges)
    charts = _charts(fig, org, campaign)
    shown = {
        "stat": {
            "committees": fig.orgs.committees,
            "branches": fig.orgs.branches,
            "members": fig.orgs.members,
            "activities": fig.activities.total,
            "reviews_held": fig.reviews.held,
            "honoured": fig.appraisals.honoured,
        },
        "participation": "".join(drafting.participation(fig)),
        "charts": charts,
        "lagging": [_lagging_row(row) for row in fig.lagging[:LAGGING_SHOWN]],
        "lagging_total": len(fig.lagging),
        "rates": {
            "compliance": phrasing.rate(fig.activities.compliance_rate),
            "items": phrasing.rate(fig.pledges.total.items_done_rate) if fig.pledges else "—",
            "rectification": phrasing.rate(fig.reviews.rectification.rate) if fig.reviews.rectification else "—",
            "satisfaction": phrasing.rate(fig.evaluations.overall.rate),
            "coverage": phrasing.rate(fig.reviews.coverage.org_rate) if fig.reviews.coverage else "—",
        },
    }
    # The numbers, charts and tables are drawn once here and kept drawn: a visit then renders only
    # the page around them.
    context = {**shown, "org": org, "campaign": campaign, "start": start, "end": end, "chart_tables": _tables(charts)}
    shown["figures_html"] = render_to_string("reports/dashboard_figures.html", context)
    if reused:
        shown["as_of"] = min(reused)  # the page is as old as its oldest part
    return shown


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
        shown = figure_cache.kept(
            figure_cache.key(org, campaign, start, end, today), lambda: _shown(org, campaign, start, end, today)
        )
        context.update(shown, figures_html=mark_safe(shown["figures_html"]))  # drawn by _shown from the figures
    return render(request, "reports/dashboard.html", context)


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
        figure_cache.forget(figure_cache.key(org, campaign, start, end, today))
        if campaign is not None:
            figure_cache.forget(figure_cache.pledges_key(org, campaign, min(end, today)))
        query.update(start=start.isoformat(), end=end.isoformat())
    return redirect(f"{reverse('reports:dashboard')}?{urlencode(query)}")
