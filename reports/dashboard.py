"""What the dashboard shows of an org's figures, and where it comes from: kept figures, counted now,
or, for a big subtree (a 党委 of hundreds of orgs, a province), the last figures while the task worker
counts newer ones.

A province's figures take half a second to count (14,000 branches' 三会一课 alone), a big 党委's most
of a page's 100 ms, and every write below them outdates them; counting them in the request would make
a visit after any write slow. So past ``settings.DASHBOARD_BACKGROUND_FROM`` orgs a visit that finds
its figures outdated gets the last ones, with their time and a note that newer ones are being
counted, and the worker counts them (``recount_dashboard``); the page asks every few seconds and then
offers them. A smaller
subtree is counted in the request, as is every subtree whose last figures are older than
``figure_cache.LATEST_TIMEOUT`` (the worker may be down) and every press of "Count again".
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.functions import Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from campaigns.models import Campaign

from . import drafting, figures, phrasing
from .figures import cache as figure_cache
from .forms import default_period

LAGGING_SHOWN = 50


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


def _lagging_row(row) -> dict:
    # An org found only by its rectification items (id "path:…") has no calendar to link to.
    url = reverse("activities:calendar", args=[row.id]) if isinstance(row.id, int) else ""
    return {"name": row.name, "url": url, "labels": row.labels}


def shown(org, campaign, start, end, today) -> dict:
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
        "subtree_orgs": 1 + sum(fig.orgs.by_kind.values()),  # how big: whether to count it in the worker
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


def _enqueue(org, campaign, start, end, today) -> None:
    from .tasks import recount_dashboard

    recount_dashboard.enqueue(
        org.pk,
        campaign.pk if campaign else None,
        start.isoformat(),
        end.isoformat(),
        today.isoformat(),
        translation.get_language(),
    )


def kept_or_counted(org, campaign, start, end, today) -> dict:
    """The figures the page shows: kept ones if still current, else counted now, or (a big subtree with
    recent enough last figures) those, marked ``updating``, while the worker counts."""
    key = figure_cache.key(org, campaign, start, end, today)

    def recount_later(last: dict) -> bool:
        if last.get("subtree_orgs", 0) <= settings.DASHBOARD_BACKGROUND_FROM:
            return False
        figure_cache.queue_once(key, lambda: _enqueue(org, campaign, start, end, today))
        return True

    return figure_cache.kept(
        key,
        lambda: shown(org, campaign, start, end, today),
        latest=figure_cache.latest_key(org, campaign, start, end, today),
        recount_later=recount_later,
    )


def recount(org, campaign, start, end, today) -> dict:
    """Count the figures now and keep them (the worker's task, and the "Count again" button)."""
    return figure_cache.keep(
        figure_cache.key(org, campaign, start, end, today),
        shown(org, campaign, start, end, today),
        latest=figure_cache.latest_key(org, campaign, start, end, today),
    )


def big_orgs(from_size: int):
    """The active orgs whose subtree holds more than ``from_size`` orgs, one grouped count per tree level."""
    big_paths = []
    step = Organization.steplen
    deepest = Organization.objects.aggregate(d=Max("depth"))["d"] or 0
    for depth in range(1, deepest):
        sizes = (
            Organization.objects.filter(depth__gte=depth)
            .order_by()
            .annotate(prefix=Substr("path", 1, depth * step))
            .values("prefix")
            .annotate(n=Count("id"))
            .filter(n__gt=from_size)
            .values_list("prefix", flat=True)
        )
        big_paths.extend(sizes)
    return Organization.objects.filter(path__in=big_paths, is_active=True).order_by("path")


def recount_first_views(today) -> list:
    """Count the figures a first visit to each big org's dashboard shows (its running campaign, the
    default period), so that the visit finds them (``manage.py recount_dashboards``, from a timer)."""
    done = []
    with translation.override(settings.LANGUAGE_CODE):
        for org in big_orgs(settings.DASHBOARD_BACKGROUND_FROM):
            campaign = Campaign.objects.covering(org).running(today).first()
            start, end = default_period(campaign, today)
            recount(org, campaign, start, end, today)
            done.append(org)
    return done
