"""Writes on the activity log and its rules: validated first, each leaving a history entry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import build_entries, diff, record_create, record_delete, record_update, snapshot
from branches import access
from portal.images import process_image
from reports.figures.cache import bump as bump_figures
from reports.figures.cache import bump_subtree as bump_figures_below

from .models import Activity, ActivityPhoto, Attendance, AttendanceStatus, ComplianceRule
from .querysets import staff_paths
from .roster import carriers_for, counts_toward, expected_members, kinds_for

PHOTO_MAX_SIDE = 1600  # enough to read a banner on a meeting photo
PHOTO_THUMBNAIL = (320, 240)
MAX_PHOTOS_PER_UPLOAD = 9
# What a create or edit form may set directly; attendance, carriers and photos have their own paths.
ACTIVITY_FIELDS = ("kind", "title", "held_on", "starts_at", "place", "minutes")
RULE_FIELDS = ("kind", "period", "minimum", "applies_to", "is_active")


def _check_may_manage(by, org) -> None:
    if org is None or not access.can_manage_org(by, org):
        raise PermissionDenied


def _person(name: str, roster) -> tuple[object, str]:
    """A typed host or recorder: linked to the roster member of that name when exactly one has it."""
    name = (name or "").strip()[:60]
    matches = [m for m in roster if m.name == name]
    return (matches[0] if len(matches) == 1 else None), name


def _validate(org, data: dict, statuses: dict[int, str], allowed_ids: set[int], carrier_ids) -> None:
    errors = {}
    if data["kind"] not in dict(kinds_for(org)):
        errors["kind"] = _("%(org)s cannot hold this kind of activity.") % {"org": org.name}
    held_on = data.get("held_on")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("Log an activity once it has been held: the date cannot be in the future.")
    elif held_on and org.founded_on and held_on < org.founded_on:
        errors["held_on"] = _("The date is before %(org)s was founded (%(date)s).") % {
            "org": org.name,
            "date": org.founded_on.isoformat(),
        }
    unknown = set(statuses) - allowed_ids
    if unknown:
        errors["__all__"] = _("Someone in the attendance is not on this activity's roster; reload the page.")
    elif AttendanceStatus.PRESENT not in statuses.values():
        errors["__all__"] = _("Mark at least one person as present.")
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        errors["__all__"] = _("Unknown attendance status.")
    allowed_carriers = set(carriers_for(org).values_list("pk", flat=True))
    if set(carrier_ids) - allowed_carriers:
        errors["carriers"] = _("Choose carriers of a campaign this organization takes part in.")
    if errors:
        raise ValidationError(errors)


def _process_photos(uploads) -> list:
    uploads = list(uploads or [])
    if len(uploads) > MAX_PHOTOS_PER_UPLOAD:
        raise ValidationError(
            {"photos": _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS_PER_UPLOAD}}, code="too_many"
        )
    processed = []
    for upload in uploads:
        try:
            processed.append(process_image(upload, max_side=PHOTO_MAX_SIDE, thumbnail_size=PHOTO_THUMBNAIL))
        except ValidationError as error:
            name = getattr(upload, "name", "")
            raise ValidationError({"photos": [f"{name}：{m}" for m in error.messages]}) from None
    return processed


def _store_photos(activity: Activity, processed, by) -> list[ActivityPhoto]:
    photos, stored = [], []
    storage = ActivityPhoto._meta.get_field("image").storage
    try:
        for item in processed:
            photo = ActivityPhoto(activity=activity, uploaded_by=by if by.is_authenticated else None)
            photo.image.save(item.image.name, item.image, save=False)
            photo.thumbnail.save(item.thumbnail.name, item.thumbnail, save=False)
            stored += [photo.image.name, photo.thumbnail.name]
            photo.save()
            photos.append(photo)
    except Exception:
        # Files are not transactional: a failed save must not leave them behind.
        for name in stored:
            storage.delete(name)
        raise
    return photos


def full_snapshot(activity: Activity) -> dict[str, dict[str, str]]:
    """The record's fields plus what hangs on it (attendance, carriers, photos), for the history."""
    data = snapshot(activity)
    rows = list(activity.attendances.select_related("member").order_by("member__name", "member_id"))
    by_status = {s: [r.member.name for r in rows if r.status == s] for s in AttendanceStatus.values}
    data["attendance"] = {
        "label": _("Attendance"),
        "value": _("expected %(expected)s, present %(present)s, on leave %(leave)s, absent %(absent)s")
        % {
            "expected": len(rows),
            "present": len(by_status[AttendanceStatus.PRESENT]),
            "leave": len(by_status[AttendanceStatus.LEAVE]),
            "absent": len(by_status[AttendanceStatus.ABSENT]),
        },
    }
    data["on_leave"] = {"label": _("On leave"), "value": "、".join(by_status[AttendanceStatus.LEAVE])}
    data["absent"] = {"label": _("Absent"), "value": "、".join(by_status[AttendanceStatus.ABSENT])}
    data["carriers"] = {
        "label": _("Carriers"),
        "value": "、".join(activity.carriers.order_by("name").values_list("name", flat=True)),
    }
    data["photos"] = {"label": _("Photos"), "value": str(activity.photos.count() or "")}
    return data


def _write_history(activity, action, changes, by, note="") -> None:
    if changes or action != HistoryEntry.Action.UPDATE:
        # Every activity write passes here; the branch it counts for is its org or the org above.
        bump_figures(activity.org)
        HistoryEntry.objects.bulk_create(
            build_entries([(activity, action, changes)], actor=by, source=HistoryEntry.Source.FORM, note=note)
        )


def _apply(activity: Activity, data: dict, roster) -> None:
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    activity.host, activity.host_name = _person(data.get("host", ""), roster)
    activity.recorder, activity.recorder_name = _person(data.get("recorder", ""), roster)


@transaction.atomic
def activity_create(*, org, data: dict, statuses: dict[int, str], photos=(), by) -> Activity:
    """Log an activity: everyone on its roster is expected; ``statuses`` says who came."""
    _check_may_manage(by, org)
    roster = list(expected_members(org, data["kind"]))
    carrier_ids = [c.pk for c in data.get("carriers", [])]
    _validate(org, data, statuses, {m.pk for m in roster}, carrier_ids)
    processed = _process_photos(photos)
    activity = Activity(org=org, branch=counts_toward(org), created_by=by if by.is_authenticated else None)
    _apply(activity, data, roster)
    activity.save()
    Attendance.objects.bulk_create(
        Attendance(activity=activity, member_id=pk, status=status) for pk, status in statuses.items()
    )
    activity.carriers.set(carrier_ids)
    _store_photos(activity, processed, by)
    _write_history(activity, HistoryEntry.Action.CREATE, diff({}, full_snapshot(activity)), by)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: dict, statuses: dict[int, str], by) -> Activity:
    """Change the record and the statuses of those already expected (the roster is fixed when
    the activity is logged, so a later newcomer is not counted as absent)."""
    _check_may_manage(by, activity.org)
    activity = Activity.objects.select_for_update().select_related("org").get(pk=activity.pk)
    existing = dict(activity.attendances.values_list("member_id", "status"))
    carrier_ids = [c.pk for c in data.get("carriers", [])]
    _validate(activity.org, data, statuses, set(existing), carrier_ids)
    before = full_snapshot(activity)
    roster = list(expected_members(activity.org, data["kind"])) + [
        a.member for a in activity.attendances.select_related("member")
    ]
    _apply(activity, data, roster)
    activity.save()
    changed = [
        Attendance(activity=activity, member_id=pk, status=status)
        for pk, status in statuses.items()
        if existing.get(pk) != status
    ]
    for row in changed:
        Attendance.objects.filter(activity=activity, member_id=row.member_id).update(status=row.status)
    activity.carriers.set(carrier_ids)
    _write_history(activity, HistoryEntry.Action.UPDATE, diff(before, full_snapshot(activity)), by)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by) -> None:
    _check_may_manage(by, activity.org)
    names = [n for photo in activity.photos.all() for n in (photo.image.name, photo.thumbnail.name)]
    storage = ActivityPhoto._meta.get_field("image").storage
    record_delete(activity, actor=by)
    activity.delete()
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def activity_add_photos(*, activity: Activity, uploads, by) -> list[ActivityPhoto]:
    _check_may_manage(by, activity.org)
    processed = _process_photos(uploads)
    if not processed:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    before = full_snapshot(activity)
    photos = _store_photos(activity, processed, by)
    _write_history(activity, HistoryEntry.Action.UPDATE, diff(before, full_snapshot(activity)), by)
    return photos


@transaction.atomic
def activity_remove_photo(*, photo: ActivityPhoto, by) -> None:
    activity = photo.activity
    _check_may_manage(by, activity.org)
    before = full_snapshot(activity)
    names = [photo.image.name, photo.thumbnail.name]
    storage = photo.image.storage
    photo.delete()
    _write_history(
        activity, HistoryEntry.Action.UPDATE, diff(before, full_snapshot(activity)), by, note=_("Photo removed")
    )
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


# ---- rules -----------------------------------------------------------------------------------


def _check_may_set_rules(by, owner) -> None:
    if getattr(by, "is_superuser", False):
        return
    if owner is None or not any(owner.path.startswith(p) for p in staff_paths(by)):
        raise PermissionDenied


def _validate_rule(data: dict, *, owner, exclude_pk=None) -> None:
    taken = ComplianceRule.objects.filter(owner=owner, kind=data["kind"])
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"kind": _("This organization already has a rule for this kind; change that one.")})
    if data["minimum"] > 31:
        raise ValidationError({"minimum": _("At most 31 a period.")})


@transaction.atomic
def rule_create(*, owner, data: dict, by) -> ComplianceRule:
    _check_may_set_rules(by, owner)
    _validate_rule(data, owner=owner)
    rule = ComplianceRule(owner=owner, **{name: data[name] for name in RULE_FIELDS if name in data})
    rule.save()
    record_create(rule, actor=by)
    bump_figures_below(rule.owner)  # a rule reaches every branch below its owner
    return rule


@transaction.atomic
def rule_update(*, rule: ComplianceRule, data: dict, by) -> ComplianceRule:
    _check_may_set_rules(by, rule.owner)
    _validate_rule(data, owner=rule.owner, exclude_pk=rule.pk)
    before = snapshot(rule)
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.save()
    record_update(rule, before, actor=by)
    bump_figures_below(rule.owner)
    return rule
