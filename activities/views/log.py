"""The log: list, export, one activity, logging and editing it, photos, and a member's own record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from branches.access import can_manage_org, get_object_for_user_or_404, get_org_for_user_or_404, scope_for
from branches.models import Organization, OrgKind
from campaigns.models import Carrier

from .. import services
from ..exports import activities_xlsx
from ..filters import filter_activities
from ..forms import ATTENDANCE_PREFIX, ActivityForm, PhotoUploadForm
from ..models import Activity, ActivityKind, ActivityPhoto, Attendance, AttendanceStatus
from ..roster import expected_members, kinds_for
from .common import is_htmx, may_manage_any, may_read_orgs, require_reader

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_activity_for_user_or_404(user, pk, *, manage: bool = False):
    qs = Activity.objects.manageable_by(user) if manage else Activity.objects.visible_to(user)
    return get_object_for_user_or_404(qs.select_related("org", "branch"), pk)


def _page_rows(page):
    """The page's activities again, now with counts and carriers: counting attendance for every
    matching activity just to page through them would cost far more than these 30 rows."""
    ids = [a.pk for a in page.object_list]
    rows = (
        Activity.objects.filter(pk__in=ids)
        .with_counts()
        .select_related("org")
        .prefetch_related(Prefetch("carriers", queryset=Carrier.objects.order_by("name")))
        .order_by("-held_on", "-id")
    )
    return list(rows)


def activity_list(request):
    if not may_read_orgs(request.user):
        if scope_for(request.user).member_id:
            return redirect("activities:mine")
        raise Http404
    form, qs = filter_activities(request.user, request.GET)
    page = Paginator(qs.only("id").order_by("-held_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "activities": _page_rows(page),
        "chosen_org": form.org,
        "may_log": may_manage_any(request.user),
        "nav_active": "activities",
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "activity-rows":
        return render(request, "activities/activity_list.html#rows", context)
    return render(request, "activities/activity_list.html", context)


def activity_export(request):
    require_reader(request.user)
    _form, qs = filter_activities(request.user, request.GET)
    title = _("Activities")
    data = activities_xlsx(qs, title=title)
    response = HttpResponse(data, content_type=XLSX)
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def activity_detail(request, pk):
    activity = get_activity_for_user_or_404(request.user, pk)
    attendances = list(activity.attendances.select_related("member").order_by("member__name", "member_id"))
    groups = {status: [a for a in attendances if a.status == status] for status in AttendanceStatus.values}
    expected = len(attendances)
    manages = can_manage_org(request.user, activity.org)
    context = {
        "activity": activity,
        "attendances": attendances,
        "present": groups[AttendanceStatus.PRESENT],
        "on_leave": groups[AttendanceStatus.LEAVE],
        "absent": groups[AttendanceStatus.ABSENT],
        "expected": expected,
        "rate": len(groups[AttendanceStatus.PRESENT]) / expected if expected else None,
        "carriers": activity.carriers.select_related("campaign").order_by("name"),
        "photos": activity.photos.all(),
        "manages": manages,
        "photo_form": PhotoUploadForm() if manages else None,
        "history": history_for(activity)[:50] if manages else [],
        "nav_active": "activities",
    }
    return render(request, "activities/activity_detail.html", context)


def _managed_branch(user):
    """A secretary of one branch logs for that branch without searching for it."""
    scope = scope_for(user)
    if len(scope.manage_paths) == 1:
        return Organization.objects.filter(path=scope.manage_paths[0], is_active=True).first()
    return None


def _statuses_from(query) -> dict[int, str]:
    statuses = {}
    for key, value in query.items():
        if key.startswith(ATTENDANCE_PREFIX) and key[len(ATTENDANCE_PREFIX) :].isdigit():
            statuses[int(key[len(ATTENDANCE_PREFIX) :])] = value
    return statuses


@require_http_methods(["GET", "POST"])
def activity_create(request):
    if not may_manage_any(request.user):
        raise Http404
    org_pk = request.POST.get("org") or request.GET.get("org")
    if org_pk:
        org = get_org_for_user_or_404(request.user, org_pk, manage=True)
    else:
        org = None if request.GET.get("pick") else _managed_branch(request.user)
    if org is None or not org.is_active or org.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
        if org is not None:
            messages.info(request, _("Choose the branch or party group that held the activity."))
        return render(request, "activities/activity_pick_org.html", {"nav_active": "activities"})
    kinds = dict(kinds_for(org))
    kind = request.POST.get("kind") or request.GET.get("kind") or next(iter(kinds))
    if kind not in kinds:
        kind = next(iter(kinds))
    roster = expected_members(org, kind)
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, org=org, roster=roster)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.activity_create(
                    org=org, data=data, statuses=data["statuses"], photos=data.get("photos", []), by=request.user
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The activity has been logged."))
                return redirect(activity)
    else:
        form = ActivityForm(org=org, roster=roster, statuses=_statuses_from(request.GET), initial={"kind": kind})
    context = {"form": form, "org": org, "kind": kind, "nav_active": "activities"}
    if is_htmx(request) and request.headers.get("HX-Target") == "attendance":
        return render(request, "activities/activity_form.html#attendance", context)
    return render(request, "activities/activity_form.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = get_activity_for_user_or_404(request.user, pk, manage=True)
    rows = list(activity.attendances.select_related("member").order_by("member__name", "member_id"))
    roster = [row.member for row in rows]
    statuses = {row.member_id: row.status for row in rows}
    initial = {
        "kind": activity.kind,
        "held_on": activity.held_on,
        "starts_at": activity.starts_at,
        "title": activity.title,
        "place": activity.place,
        "host": activity.host_name,
        "recorder": activity.recorder_name,
        "minutes": activity.minutes,
        "carriers": list(activity.carriers.values_list("pk", flat=True)),
    }
    form = ActivityForm(
        request.POST or None,
        org=activity.org,
        roster=roster,
        statuses=statuses,
        initial=initial,
        with_photos=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity, data=form.cleaned_data, statuses=form.cleaned_data["statuses"], by=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(activity)
    context = {"form": form, "org": activity.org, "activity": activity, "nav_active": "activities"}
    return render(request, "activities/activity_form.html", context)


@require_POST
def activity_delete(request, pk):
    activity = get_activity_for_user_or_404(request.user, pk, manage=True)
    services.activity_delete(activity=activity, by=request.user)
    messages.success(request, _("The activity has been deleted."))
    return redirect("activities:activity_list")


@require_POST
def photo_add(request, pk):
    activity = get_activity_for_user_or_404(request.user, pk, manage=True)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos = services.activity_add_photos(
                activity=activity, uploads=form.cleaned_data["photos"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s photos added.") % {"n": len(photos)})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(activity)


@require_POST
def photo_delete(request, pk, photo_pk):
    activity = get_activity_for_user_or_404(request.user, pk, manage=True)
    photo = get_object_for_user_or_404(ActivityPhoto.objects.filter(activity=activity), photo_pk)
    services.activity_remove_photo(photo=photo, by=request.user)
    messages.success(request, _("The photo has been removed."))
    return redirect(activity)


def my_activities(request):
    """A member's own attendance: the activities they were expected at and how often they came."""
    scope = scope_for(request.user)
    if not scope.member_id:
        raise Http404
    rows = Attendance.objects.filter(member_id=scope.member_id)
    summary = rows.rate_summary()
    expected = summary["expected"]
    page = Paginator(
        rows.select_related("activity", "activity__org").order_by("-activity__held_on", "-activity_id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    by_kind = {}
    for kind, status, n in rows.values_list("activity__kind", "status").annotate(n=Count("id")).order_by():
        by_kind.setdefault(kind, {"label": ActivityKind(kind).label, "expected": 0, "present": 0})
        by_kind[kind]["expected"] += n
        if status == AttendanceStatus.PRESENT:
            by_kind[kind]["present"] += n
    for item in by_kind.values():
        item["rate"] = item["present"] / item["expected"] if item["expected"] else None
    context = {
        "summary": summary,
        "rate": summary["present"] / expected if expected else None,
        "leave_rate": summary["leave"] / expected if expected else None,
        "page_obj": page,
        "by_kind": sorted(by_kind.values(), key=lambda item: -item["expected"]),
        "nav_active": "activities",
    }
    return render(request, "activities/my_activities.html", context)
