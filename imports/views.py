from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import get_object_for_user_or_404, get_org_for_user_or_404, scope_for
from branches.models import Organization
from branches.resources import OrganizationResource
from members.filters import filter_members
from members.models import PiiAccess
from members.resources import MemberResource
from members.services import record_pii_access

from . import engine, services
from .exports import column_notes, resource_rows, write_xlsx
from .forms import ConfirmForm, UploadForm
from .models import ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_PAGE = 100
ORG_CHOICES_LIMIT = 20


def _require_manager(user):
    scope = scope_for(user)
    if not (scope.is_superuser or scope.manage_paths):
        raise Http404


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _org_choices(user, query: str):
    scope = scope_for(user)
    orgs = Organization.objects.manageable_by(user).active()
    if query:
        orgs = orgs.search(query)
    elif not scope.is_superuser:
        # Before a search: the top of each subtree the user manages.
        orgs = orgs.filter(path__in=scope.manage_paths)
    else:
        orgs = orgs.filter(depth=1)
    return list(orgs.order_by("path")[:ORG_CHOICES_LIMIT])


def start(request):
    _require_manager(request.user)
    user = request.user
    chosen = None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                batch = services.batch_upload(
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    target_org=form.org,
                    by=user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                services.batch_start_preview(batch=batch)
                return redirect(batch)
        chosen = form.org
    else:
        form = UploadForm(user=user)
        if request.GET.get("org"):
            chosen = get_org_for_user_or_404(user, request.GET["org"], manage=True)
            form.initial["target_org"] = chosen.pk
    recent = ImportBatch.objects.visible_to(user).select_related("target_org", "uploaded_by").defer("report")[:8]
    context = {
        "form": form,
        "chosen": chosen,
        "org_choices": _org_choices(user, ""),
        "recent": recent,
        "nav_active": "imports",
    }
    return render(request, "imports/start.html", context)


def org_choices(request):
    _require_manager(request.user)
    query = request.GET.get("q", "").strip()[:60]
    context = {"org_choices": _org_choices(request.user, query), "query": query}
    return render(request, "imports/start.html#org_choices", context)


def _batch(request, pk, *, with_report=False):
    queryset = ImportBatch.objects.visible_to(request.user).select_related("target_org", "uploaded_by")
    if not with_report:
        queryset = queryset.defer("report")
    return get_object_for_user_or_404(queryset, pk)


def batch_detail(request, pk):
    _require_manager(request.user)
    batch = _batch(request, pk, with_report=True)
    show = request.GET.get("show", "")
    rows = batch.report
    if show in engine.STATUSES:
        rows = [r for r in rows if r["status"] == show]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": batch,
        "page_obj": page,
        "show": show,
        "statuses": [(s, batch.counts.get(s, 0)) for s in engine.STATUSES],
        "rows_done": services.live_rows_done(batch),
        "background": services.runs_in_background(batch),
        "nav_active": "imports",
    }
    return render(request, "imports/batch.html", context)


def batch_progress(request, pk):
    _require_manager(request.user)
    batch = _batch(request, pk)
    if not batch.is_running:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = batch.get_absolute_url()
        return response
    context = {"batch": batch, "rows_done": services.live_rows_done(batch)}
    return render(request, "imports/batch.html#progress", context)


@require_POST
def batch_confirm(request, pk):
    _require_manager(request.user)
    batch = _batch(request, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.batch_confirm(batch=batch, skip_errors=form.cleaned_data.get("skip_errors", False), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(batch)


@require_POST
def batch_cancel(request, pk):
    _require_manager(request.user)
    batch = _batch(request, pk)
    try:
        services.batch_cancel(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(batch)
    messages.info(
        request, _("The import of “%(name)s” was cancelled; nothing was written.") % {"name": batch.original_name}
    )
    return redirect("imports:start")


def blank_template(request, kind):
    _require_manager(request.user)
    if kind == ImportBatch.Kind.ROSTER:
        columns, title = MemberResource.COLUMNS, _("Member roster")
    elif kind == ImportBatch.Kind.ORGS:
        columns, title = OrganizationResource.COLUMNS, _("Organizations")
    else:
        raise Http404
    data = write_xlsx(columns, [], title=title, notes=column_notes(columns))
    return _xlsx_response(data, _("%(title)s template.xlsx") % {"title": title})


def export_members(request):
    _require_manager(request.user)
    _form, members = filter_members(request.user, request.GET)
    members = members.select_related("org").order_by("org__path", "name", "id")
    resource = MemberResource(by=request.user)
    title = _("Member roster")
    shown = 0

    def counted(rows):
        nonlocal shown
        for row in rows:
            shown += 1
            yield row

    data = write_xlsx(MemberResource.COLUMNS, counted(resource_rows(resource, members)), title=title)
    # Full ID numbers and phones leave the system: logged (个人信息保护法).
    record_pii_access(request.user, PiiAccess.Action.EXPORT, count=shown, detail=request.GET.urlencode())
    return _xlsx_response(data, f"{title}-{timezone.localdate():%Y%m%d}.xlsx")


def export_orgs(request):
    top = get_org_for_user_or_404(request.user, request.GET.get("org"))
    orgs = Organization.objects.in_subtree(top).order_by("path")
    resource = OrganizationResource(by=request.user)
    resource.codes_by_path = dict(orgs.values_list("path", "code"))
    data = write_xlsx(OrganizationResource.COLUMNS, resource_rows(resource, orgs), title=_("Organizations"))
    return _xlsx_response(data, f"{top.name}-{timezone.localdate():%Y%m%d}.xlsx")
