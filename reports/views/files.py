"""Files of a report: requested here, rendered by the task worker, polled by htmx, kept for download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..models import RenderedFile
from ..querysets import get_file_for_user_or_404, get_report_for_user_or_404

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@require_POST
def file_request(request, pk):
    """Any reader of the report may have a file made of it: reading is what the file is for."""
    report = get_report_for_user_or_404(request.user, pk)
    version = None
    if request.POST.get("version"):
        version = (
            report.versions.filter(number=request.POST["version"]).first()
            if request.POST["version"].isdigit()
            else None
        )
        if version is None:
            raise Http404
    try:
        rendered = services.file_request(
            report=report, version=version, format=request.POST.get("format", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    return redirect(rendered)


def file_detail(request, pk):
    rendered = get_file_for_user_or_404(request.user, pk)
    return render(request, "reports/file_detail.html", {"rendered": rendered, "nav_active": "reports"})


def file_progress(request, pk):
    rendered = get_file_for_user_or_404(request.user, pk)
    if not rendered.is_running:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = rendered.get_absolute_url()
        return response
    return render(request, "reports/file_detail.html#progress", {"rendered": rendered})


def file_download(request, pk):
    rendered = get_file_for_user_or_404(request.user, pk)
    if rendered.status != RenderedFile.Status.DONE or not rendered.file:
        messages.info(request, _("The file is not ready yet."))
        return redirect(rendered)
    return FileResponse(
        rendered.file.open("rb"),
        as_attachment=True,
        filename=rendered.filename,
        content_type=CONTENT_TYPES[rendered.format],
    )
