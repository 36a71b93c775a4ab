"""Report pages: list, create, preview, edit (save a version), compare versions, redraft, finalize."""

import difflib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import can_manage_org, get_org_for_user_or_404, scope_for
from branches.models import Organization
from campaigns.access import get_campaign_for_user_or_404
from campaigns.models import Campaign

from .. import services
from ..content import narrative
from ..forms import ReportCreateForm, ReportEditForm
from ..models import RenderedFile, Report
from ..outputs import document_for
from ..querysets import get_report_for_user_or_404
from .common import require_manager, require_reader

PAGE_SIZE = 30


def _latest(report):
    return report.versions.order_by("-number").first()


def report_list(request):
    require_reader(request.user)
    reports = Report.objects.visible_to(request.user).select_related("org", "campaign", "created_by")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    context = {"page_obj": page, "can_create": scope.is_superuser or bool(scope.manage_paths), "nav_active": "reports"}
    return render(request, "reports/report_list.html", context)


def _initial(request):
    today = timezone.localdate()
    initial = {"template": "progress", "period_end": today}
    if request.GET.get("org"):
        initial["org"] = get_org_for_user_or_404(request.user, request.GET["org"], manage=True)
    else:
        # The top of the user's own scope, which is what committee staff report on.
        scope = scope_for(request.user)
        orgs = Organization.objects.manageable_by(request.user).active()
        top = orgs.filter(depth=1) if scope.is_superuser else orgs.filter(path__in=scope.manage_paths)
        org = top.order_by("path").first()
        if org is not None:
            initial["org"] = org
    if request.GET.get("campaign"):
        campaign = get_campaign_for_user_or_404(request.user, request.GET["campaign"])
        initial["campaign"] = campaign
        initial["period_start"] = campaign.starts_on
        initial["period_end"] = min(campaign.ends_on, today)
    elif "org" in initial:
        campaign = Campaign.objects.visible_to(request.user).covering(initial["org"]).running(today).first()
        if campaign is not None:
            initial.update(campaign=campaign, period_start=campaign.starts_on)
    return initial


def report_create(request):
    require_manager(request.user)
    if request.method == "POST":
        form = ReportCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_create(
                    org=data["org"],
                    campaign=data["campaign"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    template=data["template"],
                    baseline=form.baseline,
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The report was drafted from the data. Read it, edit the text, save."))
                return redirect(report)
    else:
        form = ReportCreateForm(initial=_initial(request), user=request.user)
    return render(request, "reports/report_form.html", {"form": form, "nav_active": "reports"})


def report_detail(request, pk):
    report = get_report_for_user_or_404(request.user, pk)
    versions = list(report.versions.select_related("created_by").order_by("-number"))
    version = versions[0]
    if request.GET.get("version"):
        version = next((v for v in versions if str(v.number) == request.GET["version"]), None)
        if version is None:
            raise Http404
    files = RenderedFile.objects.filter(report=report).select_related("version")[:20]
    context = {
        "report": report,
        "version": version,
        "versions": versions,
        "doc": document_for(report, version),
        "files": files,
        "formats": RenderedFile.Format.choices,
        "can_manage": can_manage_org(request.user, report.org),
        "nav_active": "reports",
    }
    return render(request, "reports/report_detail.html", context)


def report_edit(request, pk):
    report = get_report_for_user_or_404(request.user, pk, manage=True)
    if report.is_final:
        messages.info(request, _("The report is final and can no longer be changed."))
        return redirect(report)
    latest = _latest(report)
    sections = latest.content["sections"]
    if request.method == "POST":
        form = ReportEditForm(request.POST, sections=sections)
        if form.is_valid():
            try:
                version = services.report_save_version(
                    report=report,
                    texts=form.texts(),
                    title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
                return redirect(report)
    else:
        form = ReportEditForm(initial={"title": latest.content.get("title", report.title)}, sections=sections)
    context = {"report": report, "version": latest, "form": form, "nav_active": "reports"}
    return render(request, "reports/report_edit.html", context)


def _version(report, number):
    version = report.versions.filter(number=number).first() if str(number).isdigit() else None
    if version is None:
        raise Http404
    return version


def report_compare(request, pk):
    """Two versions side by side, the changed words marked (difflib over the narrative)."""
    report = get_report_for_user_or_404(request.user, pk)
    versions = list(report.versions.order_by("-number").values_list("number", flat=True))
    if len(versions) < 2:
        messages.info(request, _("There is only one version yet."))
        return redirect(report)
    new = _version(report, request.GET.get("b") or versions[0])
    old = _version(report, request.GET.get("a") or next((n for n in versions if n < new.number), versions[-1]))
    left, right = narrative(old.content).splitlines(), narrative(new.content).splitlines()
    rows = _side_by_side(left, right)
    context = {
        "report": report,
        "old": old,
        "new": new,
        "rows": rows,
        "changed": sum(1 for r in rows if r["kind"] != "same"),
        "versions": versions,
        "nav_active": "reports",
    }
    return render(request, "reports/report_compare.html", context)


def _marked(a: str, b: str):
    """Character-level marks inside a changed line: lists of (text, changed) for each side."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if a[i1:i2]:
            left.append((a[i1:i2], op != "equal"))
        if b[j1:j2]:
            right.append((b[j1:j2], op != "equal"))
    return left, right


def _side_by_side(left: list[str], right: list[str]) -> list[dict]:
    rows = []
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [{"kind": "same", "left": [(t, False)], "right": [(t, False)]} for t in left[i1:i2]]
            continue
        olds, news = left[i1:i2], right[j1:j2]
        for index in range(max(len(olds), len(news))):
            a = olds[index] if index < len(olds) else None
            b = news[index] if index < len(news) else None
            if a is not None and b is not None:
                marked_a, marked_b = _marked(a, b)
                rows.append({"kind": "changed", "left": marked_a, "right": marked_b})
            elif a is not None:
                rows.append({"kind": "removed", "left": [(a, True)], "right": []})
            else:
                rows.append({"kind": "added", "left": [], "right": [(b, True)]})
    return rows


@require_POST
def report_redraft(request, pk):
    report = get_report_for_user_or_404(request.user, pk, manage=True)
    try:
        version = services.report_redraft(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Drafted again from today's data as version %(n)s.") % {"n": version.number})
    return redirect(report)


@require_POST
def report_finalize(request, pk):
    report = get_report_for_user_or_404(request.user, pk, manage=True)
    try:
        services.report_finalize(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is final: locked, signed and dated."))
    return redirect(report)
