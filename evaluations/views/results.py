"""Results as they come in: numbers, charts and tables, comments (with hiding), XLSX export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import get_object_for_user_or_404, scope_for
from branches.models import Organization

from ..exports import results_xlsx
from ..forms import RectifyResultForm
from ..models import Rating, RectificationLink, Response, RoundState
from ..services import rectify_result
from ..services import rounds as round_services
from ..services.rectifying import existing_item, proposal
from ..stats import SORTS, CountedPaginator, round_results
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
    sort = request.GET.get("sort", "tree")
    low_only = request.GET.get("low") == "1"
    query = request.GET.get("q", "").strip()[:50]
    results = round_results(round_, query=query, sort=sort, low_only=low_only, page=request.GET.get("opage"))
    manages = round_.__class__.objects.manageable_by(request.user).filter(pk=round_.pk).exists()
    comments = Response.objects.filter(round=round_).with_comment().select_related("target_org", "hidden_by")
    show = request.GET.get("comments", "")
    # The count from the tallies and the few hidden ones, not COUNT(*) over a province's comments.
    hidden = comments.filter(comment_hidden=True)
    if show == "hidden":
        comments, count = hidden, hidden.count()
    elif not manages:
        comments, count = comments.filter(comment_hidden=False), results.comments - hidden.count()
    else:
        count = results.comments
    # Newest day first, a day's comments together by org: the order of eval_response_comments_idx.
    comments = comments.order_by("-created_on", "target_org_id", "pk")
    # The rectification button: on a row below the threshold, to those who manage that org.
    scope = scope_for(request.user)
    flagged = [r for r in results.orgs if r.needs_rectification]
    listed = dict(
        RectificationLink.objects.filter(round=round_, target__in=[r.key for r in flagged]).values_list(
            "target_id", "item_id"
        )
    )
    for row in results.orgs:
        row.may_rectify = row.needs_rectification and scope.may_manage_path(row.path)
        row.item_id = listed.get(row.key)
    return {
        "round": round_,
        "results": results,
        "manages": manages,
        "comments": CountedPaginator(comments, COMMENTS_PER_PAGE, count=count).get_page(request.GET.get("page")),
        "show": show,
        "sort": sort if sort in SORTS else "tree",
        "sorts": sort_choices(),
        "low_only": low_only,
        "query": query,
        "is_open": round_.state() == RoundState.OPEN,
        "updated_at": timezone.localtime(),
        "chart_data": results.chart_data(chart_names()),
        "nav_active": "evaluations",
    }


def sort_choices():
    return [
        ("tree", _("In tree order")),
        ("rate", _("Lowest satisfaction first")),
        ("-rate", _("Highest satisfaction first")),
        ("responses", _("Most responses first")),
    ]


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


def result_rectify(request, pk, org_pk):
    """Confirm, then list an org's low result on its rectification ledger; once per round and org."""
    round_ = get_round_for_user_or_404(request.user, pk)
    orgs = Organization.objects.manageable_by(request.user).filter(evaluated_in=round_)
    org = get_object_for_user_or_404(orgs, org_pk)
    back = reverse("evaluations:results", args=[round_.pk])
    item = existing_item(round_, org)
    if item is not None:
        messages.info(request, _("This result is already on the rectification ledger."))
        return redirect(item.get_absolute_url())
    filled = proposal(round_, org)
    if filled is None:
        messages.error(request, _("%(org)s is not below the threshold in this round.") % {"org": org.name})
        return redirect(back)
    form = RectifyResultForm(
        request.POST or None, initial={"problem": filled["problem"], "deadline": filled["deadline"]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            item, created = rectify_result(
                round=round_,
                org=org,
                by=request.user,
                problem=form.cleaned_data["problem"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            if created:
                messages.success(request, _("Listed on the rectification ledger of %(org)s.") % {"org": org.name})
            else:
                messages.info(request, _("This result is already on the rectification ledger."))
            return redirect(item.get_absolute_url())
    context = {"round": round_, "org": org, "form": form, "row": filled["row"], "owner": filled["owner"]}
    return render(request, "evaluations/result_rectify.html", {**context, "nav_active": "evaluations"})
