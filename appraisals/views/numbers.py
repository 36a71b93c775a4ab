"""Staff's grade distribution of a subtree (chart, table, XLSX) and the published honour roll."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from branches.access import get_org_for_user_or_404, scope_for
from branches.models import Organization

from ..exports import distribution_workbook
from ..models import AppraisalRound, Candidate, Grade, SelectionRound, Title
from ..stats import grade_distribution, honour_rows

HONOURS_PAGE = 60


def _distribution_scope(request):
    """(org, year): the org asked for (one the user reads) or their top one; the year asked for or the
    latest with an appraisal in it."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.read_paths):
        raise Http404
    if request.GET.get("org"):
        org = get_org_for_user_or_404(request.user, request.GET["org"])
    else:
        roots = (
            Organization.objects.all() if scope.is_superuser else Organization.objects.filter(path__in=scope.read_paths)
        )
        org = roots.order_by("depth", "path").first()
        if org is None:
            raise Http404
    year = request.GET.get("year", "")
    if year.isdigit():
        year = int(year)
    else:
        latest = AppraisalRound.objects.in_subtree(org).order_by("-year").values_list("year", flat=True).first()
        year = latest or timezone.localdate().year
    return org, year


def _chart_data(dist) -> dict:
    grades = [str(label) for _value, label in Grade.choices]
    return {
        "grades": grades,
        "total": [{"name": label, "value": n} for label, n in zip(grades, dist.total.counts, strict=True)],
        "branches": {
            "labels": [r.label for r in dist.rows],
            "series": [[r.counts[i] for r in dist.rows] for i in range(len(grades))],
        },
    }


def distribution(request):
    org, year = _distribution_scope(request)
    dist = grade_distribution(org, year)
    years = sorted(
        set(AppraisalRound.objects.in_subtree(org).order_by().values_list("year", flat=True).distinct()) | {year},
        reverse=True,
    )
    context = {
        "nav_active": "appraisals",
        "org": org,
        "year": year,
        "years": years,
        "dist": dist,
        "grades": Grade.choices,
        "total_rows": list(zip(Grade.choices, dist.total.counts, strict=True)),
        "chart_data": _chart_data(dist),
    }
    return render(request, "appraisals/distribution.html", context)


def distribution_export(request):
    org, year = _distribution_scope(request)
    content = distribution_workbook(grade_distribution(org, year))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="appraisal-{org.code}-{year}.xlsx"'
    return response


def honour_roll(request):
    """荣誉榜: everyone honoured in the rounds the user may see published, by year and title."""
    scope = scope_for(request.user)
    if scope.is_empty:
        raise Http404
    published = SelectionRound.objects.published_to(request.user)
    owners = Organization.objects.filter(pk__in=published.values("owner_id")).order_by("path")
    honours = Candidate.objects.honoured().filter(round__in=published.values("pk"))
    owner = None
    if request.GET.get("org"):
        owner = next((o for o in owners if str(o.pk) == request.GET["org"]), None)
        if owner is None:
            raise Http404
        honours = honours.filter(round__owner__path__startswith=owner.path)
    years = sorted(set(honours.order_by().values_list("round__year", flat=True).distinct()), reverse=True)
    year = request.GET.get("year", "")
    if year.isdigit():
        honours = honours.filter(round__year=int(year))
    title = request.GET.get("title", "")
    if title in Title.values:
        honours = honours.filter(round__title=title)
    counts = dict(honours.order_by().values_list("round__title").annotate(n=Count("id")))
    listed = honours.select_related("round__owner", "member", "unit").order_by(
        "-round__year", "round__owner__path", "round_id", "honoured_on", "id"
    )
    page_obj = Paginator(listed, HONOURS_PAGE).get_page(request.GET.get("page"))
    context = {
        "nav_active": "exemplars",
        "page_obj": page_obj,
        "honours": page_obj.object_list,
        "owners": owners,
        "owner": owner,
        "years": years,
        "year": year,
        "title": title,
        "titles": Title.choices,
        "count_rows": [r for r in honour_rows(counts) if r[2]],
        "total": sum(counts.values()),
        "manages": scope.is_superuser or bool(scope.read_paths),
    }
    return render(request, "appraisals/honour_roll.html", context)
