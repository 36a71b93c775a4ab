"""Results as they come in: numbers, charts and tables, comments (with hiding), XLSX export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..exports import results_xlsx
from ..models import Rating, Response, RoundState
from ..services import rounds as round_services
from ..stats import round_results
from .access import get_response_for_user_or_404, get_round_for_user_or_404

COMMENTS_PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_names():
    return {
        "rate": _("Satisfaction rate"),
        "responses": _("Responses"),
        "ratings": [str(label) for label in Rating.labels],
    }


def _context(request, round_):
    results = round_results(round_)
    manages = round_.__class__.objects.manageable_by(request.user).filter(pk=round_.pk).exists()
    comments = Response.objects.filter(round=round_).with_comment().select_related("target_org", "hidden_by")
    show = request.GET.get("comments", "")
    if show == "hidden":
        comments = comments.filter(comment_hidden=True)
    elif not manages:
        comments = comments.filter(comment_hidden=False)
    comments = comments.order_by("-created_on", "target_org__path", "pk")
    return {
        "round": round_,
        "results": results,
        "manages": manages,
        "comments": Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page")),
        "show": show,
        "is_open": round_.state() == RoundState.OPEN,
        "updated_at": timezone.localtime(),
        "chart_data": results.chart_data(chart_names()),
        "nav_active": "evaluations",
    }


def round_results_page(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk)
    context = _context(request, round_)
    if request.headers.get("HX-Request"):
        return render(request, "evaluations/results.html#live", context)
    return render(request, "evaluations/results.html", context)


def round_export(request, pk):
    round_ = get_round_for_user_or_404(request.user, pk)
    data = results_xlsx(round_, round_results(round_))
    response = HttpResponse(data, content_type=XLSX)
    filename = f"{round_.title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@require_POST
def comment_hide(request, pk, response_pk):
    response = get_response_for_user_or_404(request.user, pk, response_pk)
    hidden = request.POST.get("hidden") == "1"
    try:
        round_services.comment_set_hidden(response=response, hidden=hidden, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The comment is hidden.") if hidden else _("The comment is shown again."))
    return redirect(reverse("evaluations:results", args=[response.round_id]) + "#comments")
