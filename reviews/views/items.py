"""The rectification ledger (整改台账): the list, one item with its evidence, and its moves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import get_org_for_user_or_404, scope_for
from branches.models import LeadershipPost, Organization, OrgKind
from members.models import Member

from .. import rectification_flow as flow
from .. import services
from ..exports import item_ledger_workbook
from ..forms import EvidenceForm, ItemFilterForm, ItemForm, ReturnForm
from ..models import RectificationItem
from ..rates import rectification_rates
from .access import campaigns_for, get_attachment_for_user_or_404, get_item_for_user_or_404
from .ledgers import period_from_request

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    form = ItemFilterForm(request.GET or None)
    qs = RectificationItem.objects.visible_to(request.user)
    org = None
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        if data.get("org"):
            org = get_org_for_user_or_404(request.user, data["org"])
            qs = qs.in_subtree(org)
        for name in ("status", "source"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("q"):
            qs = qs.filter(problem__icontains=data["q"])
        if data.get("overdue"):
            qs = qs.overdue(today)
        if data.get("date_from"):
            qs = qs.filter(listed_on__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(listed_on__lte=data["date_to"])
    elif request.GET.get("org"):
        raise Http404
    qs = qs.select_related("org", "owner_member", "review").order_by("status", "deadline", "id")
    return form, qs, org


def _ordered(qs, today):
    """Open items first, the overdue ones on top, struck-off ones last."""
    from django.db.models import Case, IntegerField, Value, When

    from ..models import Status

    rank = Case(
        When(status=Status.STRUCK_OFF, then=Value(2)),
        When(deadline__lt=today, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank, evidence_count=Count("evidence")).order_by("rank", "deadline", "id")


def item_list(request):
    form, qs, org = _filtered(request)
    today = timezone.localdate()
    summary = qs.order_by().aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status="struck_off")),
        overdue=Count("id", filter=~Q(status="struck_off") & Q(deadline__lt=today)),
        struck=Count("id", filter=Q(status="struck_off")),
    )
    page_obj = Paginator(_ordered(qs, today), PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    context = {
        "form": form,
        "page_obj": page_obj,
        "chosen_org": org,
        "summary": summary,
        "rate": summary["struck"] / summary["total"] if summary["total"] else None,
        "today": today,
        "may_list": scope.is_superuser or bool(scope.manage_paths),
        "nav_active": "reviews",
    }
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "item-rows":
        return render(request, "reviews/item_list.html#rows", context)
    return render(request, "reviews/item_list.html", context)


def item_export(request):
    form, qs, org = _filtered(request)
    rates = None
    if org is not None:
        today = timezone.localdate()
        starts_on, ends_on = period_from_request(request, today)
        rates = rectification_rates(
            org, starts_on, ends_on, items=RectificationItem.objects.visible_to(request.user), today=today
        )
    content = item_ledger_workbook(qs, rates)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="rectification-{org.code if org else "all"}-{stamp}.xlsx"'
    return response


def _owner_choices(org):
    """The org's members and its 党小组's, and whoever heads it."""
    heads = LeadershipPost.objects.filter(org=org, ended_on__isnull=True).values("member_id")
    groups = Q(org__path__startswith=org.path, org__kind=OrgKind.GROUP, org__depth=org.depth + 1)
    return Member.objects.filter(Q(org=org) | groups | Q(pk__in=heads)).select_related("org").order_by("name", "id")


@require_http_methods(["GET", "POST"])
def item_create(request):
    """List a problem found in an inspection or a mass evaluation, or entered directly."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.manage_paths):
        raise Http404
    manageable = Organization.objects.manageable_by(request.user).active().exclude(kind=OrgKind.GROUP)
    org = get_org_for_user_or_404(request.user, request.GET["org"], manage=True) if request.GET.get("org") else None
    form = None
    if org is not None:
        form = ItemForm(
            request.POST or None,
            members=Member.objects.manageable_by(request.user) & _owner_choices(org),
            campaigns=campaigns_for(request.user, org),
            initial={"deadline": services.default_deadline()},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                item = services.rectification_list(
                    org=org,
                    problem=data["problem"],
                    owner_member=data.get("owner_member"),
                    deadline=data["deadline"],
                    source=data["source"],
                    measures=data["measures"],
                    campaign=data.get("campaign"),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("The problem has been listed for rectification."))
                return redirect(item)
    return render(
        request,
        "reviews/item_form.html",
        {"org": org, "orgs": manageable.order_by("path")[:500], "form": form, "nav_active": "reviews"},
    )


def item_detail(request, pk):
    item = get_item_for_user_or_404(request.user, pk)
    evidence = item.evidence.select_related("by").prefetch_related("attachments")
    return render(
        request,
        "reviews/item_detail.html",
        {
            "item": item,
            "evidence": evidence,
            "transitions": item.transitions.select_related("by"),
            "moves": flow.allowed_moves(request.user, item),
            "may_report": flow.may(request.user, item, "report"),
            "evidence_form": EvidenceForm(),
            "return_form": ReturnForm(),
            "today": timezone.localdate(),
            "history": history_for(item)[:30],
            "nav_active": "reviews",
        },
    )


@require_POST
def item_report(request, pk):
    item = get_item_for_user_or_404(request.user, pk)
    if not flow.may(request.user, item, "report"):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectification_report(
                item=item, text=form.cleaned_data["text"], files=form.cleaned_data["files"], by=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The rectification progress has been recorded."))
            return redirect(item)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(item)


MOVE_SERVICES = {
    "request": lambda item, by, reason: services.rectification_request(item=item, by=by),
    "confirm": lambda item, by, reason: services.rectification_confirm(item=item, by=by),
    "return": lambda item, by, reason: services.rectification_return(item=item, reason=reason, by=by),
}
MOVE_MESSAGES = {
    "request": gettext_lazy("The strike-off has been requested; the superior will check it."),
    "confirm": gettext_lazy("The item has been struck off."),
    "return": gettext_lazy("The item has been returned for further rectification."),
}


@require_POST
def item_move(request, pk, action):
    item = get_item_for_user_or_404(request.user, pk)
    if action not in MOVE_SERVICES or not flow.may(request.user, item, action):
        raise Http404
    try:
        MOVE_SERVICES[action](item, request.user, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(MOVE_MESSAGES[action]))
    return redirect(item)


def attachment_download(request, pk):
    """Evidence files go through the access rule, never straight from MEDIA_URL."""
    attachment = get_attachment_for_user_or_404(request.user, pk)
    field = attachment.thumbnail if request.GET.get("size") == "thumb" and attachment.thumbnail else attachment.file
    inline = attachment.kind == attachment.Kind.PHOTO
    return FileResponse(field.open("rb"), as_attachment=not inline, filename=attachment.name)
