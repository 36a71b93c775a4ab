"""Writing, reviewing and fulfilling pledges: the member's, the secretary's and the committee's pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import get_member_for_user_or_404, get_org_for_user_or_404, scope_for
from campaigns.models import Campaign
from portal.paging import capped_count, keyset_page

from .. import services, workflow
from ..forms import MoveForm, PledgeFilterForm, PledgeForm, ProgressForm, item_formset, item_rows
from ..models import Pledge, PledgeItem, Status
from ..querysets import member_board_org_id
from .access import get_pledge_for_user_or_404, may_manage_any

PAGE_SIZE = 50
# The pledge list's order: by board org, then in the order the pledges were written.
LIST_KEY = ("org_id", "id")
# Each section of the approval queue shows the oldest rows only, linking to the pledge list (filtered,
# paged) for the rest: it is a to-do list, and every row rendered costs about 0.4 ms.
QUEUE_LIMIT = 20
# The queue's badges stop at "99+", as unread counts do: past that the number changes nothing for the
# reader, and each count then reads at most 100 rows.
QUEUE_COUNT_CAP = 99


def _list_rows(qs):
    return qs.with_progress().select_related("owner_member", "owner_org", "org", "campaign")


def pledge_list(request):
    """A manager's pledges, by campaign, state, category and org; members go to their own."""
    if not may_manage_any(request.user):
        if scope_for(request.user).member_id:
            return redirect("pledges:mine")
        raise Http404
    form = PledgeFilterForm(request.GET or None, campaigns=Campaign.objects.visible_to(request.user))
    qs = Pledge.objects.visible_to(request.user)
    chosen_org = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("org"):
            chosen_org = get_org_for_user_or_404(request.user, data["org"])
            qs = qs.in_subtree(chosen_org)
        for name in ("campaign", "status", "category"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("q"):
            qs = qs.owner_name_contains(data["q"])
        if data.get("overdue"):
            qs = qs.filter(pk__in=PledgeItem.objects.overdue().values("pledge_id"))
    # A keyset page on (board org, id), which the pledge_org_id_idx index walks in order: no OFFSET and no
    # count beyond portal.paging.COUNT_CAP (600,000 pledges at province scale). The board org of a pledge
    # never changes and tree moves keep org ids, so the order needs no maintained column. Progress is
    # annotated for the page's rows only: annotating first grouped every item of the scope.
    page_obj = keyset_page(
        qs, LIST_KEY, after=request.GET.get("after"), before=request.GET.get("before"), per_page=PAGE_SIZE
    )
    ids = [key[-1] for key in page_obj.keys]
    rows = {p.pk: p for p in _list_rows(Pledge.objects.filter(pk__in=ids))}
    page_obj.object_list = [rows[pk] for pk in ids if pk in rows]
    context = {"form": form, "page_obj": page_obj, "chosen_org": chosen_org, "nav_active": "pledges"}
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "pledge-rows":
        return render(request, "pledges/pledge_list.html#rows", context)
    return render(request, "pledges/pledge_list.html", context)


def my_pledges(request):
    """A member's own pledges, the campaigns still open to them, and the way to their branch's board."""
    scope = scope_for(request.user)
    if not scope.member_id:
        return redirect("pledges:pledge_list") if may_manage_any(request.user) else redirect("home")
    member = get_member_for_user_or_404(request.user, scope.member_id)
    pledges = list(_list_rows(Pledge.objects.visible_to(request.user).filter(owner_member=member)).order_by("-id"))
    board_org = member_board_org_id(member.pk)
    open_campaigns = (
        Campaign.objects.covering(member.org)
        .filter(ends_on__gte=timezone.localdate())
        .exclude(pk__in=[p.campaign_id for p in pledges])
    )
    return render(
        request,
        "pledges/my_pledges.html",
        {
            "member": member,
            "pledges": pledges,
            "open_campaigns": open_campaigns,
            "board_org_id": board_org,
            "nav_active": "pledges",
        },
    )


def _form_page(request, *, owner_member=None, owner_org=None):
    board_org = owner_org or services.board_org_for_member(owner_member)
    campaigns = Campaign.objects.covering(board_org).filter(ends_on__gte=timezone.localdate())
    taken = Pledge.objects.filter(owner_member=owner_member, owner_org=owner_org).values("campaign_id")
    campaigns = campaigns.exclude(pk__in=taken)
    initial = {"campaign": request.GET.get("campaign") or campaigns.first()}
    if owner_member is not None:
        initial.update(
            leadership_post_holder=services.holds_leadership_post(owner_member), service_phone=owner_member.phone
        )
    form = PledgeForm(request.POST or None, campaigns=campaigns, for_org=owner_org is not None, initial=initial)
    items = item_formset(request.POST or None, blank_rows=3)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        try:
            pledge = services.pledge_create(
                campaign=data["campaign"],
                owner_member=owner_member,
                owner_org=owner_org,
                data=data,
                items=item_rows(items),
                carriers=data["carriers"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The pledge has been saved. Submit it for approval when it is ready."))
            return redirect(pledge)
    return render(
        request,
        "pledges/pledge_form.html",
        {
            "form": form,
            "items": items,
            "owner_name": (owner_org or owner_member).name,
            "is_oral": owner_member is not None and scope_for(request.user).member_id != owner_member.pk,
            "no_campaign": not campaigns.exists(),
            "nav_active": "pledges",
        },
    )


@require_http_methods(["GET", "POST"])
def pledge_create(request):
    """A member writes their own pledge."""
    scope = scope_for(request.user)
    if not scope.member_id:
        raise Http404
    return _form_page(request, owner_member=get_member_for_user_or_404(request.user, scope.member_id))


@require_http_methods(["GET", "POST"])
def pledge_create_oral(request, member_pk):
    """The secretary records a member's oral pledge (elderly, frail or retired members)."""
    member = get_member_for_user_or_404(request.user, member_pk, manage=True)
    return _form_page(request, owner_member=member)


@require_http_methods(["GET", "POST"])
def pledge_create_org(request, org_pk):
    """An organization's own pledge, written by its managers."""
    return _form_page(request, owner_org=get_org_for_user_or_404(request.user, org_pk, manage=True))


def pledge_detail(request, pk, *, move_form=None, status=200):
    pledge = get_pledge_for_user_or_404(request.user, pk)
    today = timezone.localdate()
    items = list(pledge.items.all())
    for item in items:
        item.overdue = not item.is_done and item.due_on < today and pledge.status == Status.PUBLISHED
    updates = pledge.updates.select_related("item", "by").prefetch_related("photos")
    context = {
        "pledge": pledge,
        "items": items,
        "progress": round(sum(i.percent for i in items) / len(items)) if items else None,
        "transitions": list(pledge.transitions.select_related("by")),
        "updates": updates,
        "history": history_for(pledge)[:50],
        "moves": workflow.allowed_moves(request.user, pledge),
        "may_edit": workflow.may_edit(request.user, pledge),
        "may_progress": workflow.may_record_progress(request.user, pledge),
        "move_form": move_form or MoveForm(),
        "is_own": scope_for(request.user).member_id == pledge.owner_member_id and pledge.owner_member_id,
        "nav_active": "pledges",
    }
    return render(request, "pledges/pledge_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def pledge_edit(request, pk):
    pledge = get_pledge_for_user_or_404(request.user, pk)
    if not workflow.may_edit(request.user, pledge):
        raise PermissionDenied
    initial = {name: getattr(pledge, name) for name in services.pledging.EDITABLE_FIELDS}
    initial["carriers"] = list(pledge.carriers.all())
    form = PledgeForm(
        request.POST or None,
        campaigns=Campaign.objects.filter(pk=pledge.campaign_id),
        for_org=pledge.is_org_pledge,
        pledge=pledge,
        initial=initial,
    )
    items = item_formset(request.POST or None, pledge=pledge, blank_rows=1)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            services.pledge_update(
                pledge=pledge,
                data=form.cleaned_data,
                items=item_rows(items),
                carriers=form.cleaned_data["carriers"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(pledge)
    return render(
        request,
        "pledges/pledge_form.html",
        {
            "form": form,
            "items": items,
            "pledge": pledge,
            "owner_name": pledge.owner_name,
            "is_oral": pledge.is_oral,
            "nav_active": "pledges",
        },
    )


@require_POST
def pledge_move(request, pk, action):
    pledge = get_pledge_for_user_or_404(request.user, pk)
    if action not in workflow.MOVES:
        raise Http404
    form = MoveForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        services.MOVE_SERVICES[action](
            pledge, request.user, reason=data.get("reason", ""), outcome=data.get("outcome", "")
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        form.failed_action = action
        return pledge_detail(request, pk, move_form=form, status=400)
    done = {
        "propose": _("The items have been proposed."),
        "submit": _("The pledge has been submitted for approval."),
        "return": _("The pledge has been returned with your reason."),
        "approve": _("The pledge has been approved."),
        "publish": _("The pledge is now on the board."),
        "close": _("The judgement has been recorded."),
    }
    messages.success(request, done[action])
    if action in ("return", "approve") and request.POST.get("next") == "queue":
        return redirect("pledges:queue")
    return redirect(pledge)


@require_http_methods(["GET", "POST"])
def progress_add(request, pk):
    pledge = get_pledge_for_user_or_404(request.user, pk)
    if not workflow.may_record_progress(request.user, pledge):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, request.FILES or None, pledge=pledge)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                pledge=pledge,
                item=data["item"],
                on=data["on"],
                percent=data["percent"],
                text=data["text"],
                photos=data["photos"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The progress has been recorded."))
            return redirect(pledge)
    return render(request, "pledges/progress_form.html", {"form": form, "pledge": pledge, "nav_active": "pledges"})


def approval_queue(request):
    """What waits for this manager: pledges to approve, approved ones to publish, overdue items."""
    if not may_manage_any(request.user):
        raise Http404
    # Counted up to a cap and cut plain, each in the order of an index (pledge_queue_idx for the pledges,
    # pledge_item_open_due_idx for the overdue items); progress annotated for the rows shown only.
    approvable = Pledge.objects.approvable_by(request.user).order_by("submitted_at", "id")
    waiting = approvable.filter(status=Status.SUBMITTED)
    to_publish = approvable.filter(status=Status.APPROVED)

    def first_rows(qs):
        ids = list(qs.values_list("pk", flat=True)[:QUEUE_LIMIT])
        rows = {p.pk: p for p in _list_rows(Pledge.objects.filter(pk__in=ids))}
        return [rows[pk] for pk in ids]

    overdue = (
        PledgeItem.objects.overdue()
        .manageable_by(request.user)
        .select_related("pledge__owner_member", "pledge__owner_org", "pledge__org")
        .order_by("due_on", "id")
    )
    today = timezone.localdate()
    overdue_shown = list(overdue[:QUEUE_LIMIT])
    for item in overdue_shown:
        item.days_overdue = (today - item.due_on).days
    waiting_count, waiting_capped = capped_count(waiting, QUEUE_COUNT_CAP)
    to_publish_count, to_publish_capped = capped_count(to_publish, QUEUE_COUNT_CAP)
    overdue_count, overdue_capped = capped_count(overdue, QUEUE_COUNT_CAP)
    return render(
        request,
        "pledges/approval_queue.html",
        {
            "waiting": first_rows(waiting),
            "waiting_count": waiting_count,
            "waiting_capped": waiting_capped,
            "to_publish": first_rows(to_publish),
            "to_publish_count": to_publish_count,
            "to_publish_capped": to_publish_capped,
            "overdue": overdue_shown,
            "overdue_count": overdue_count,
            "overdue_capped": overdue_capped,
            "nav_active": "pledges",
        },
    )
