"""Writes on the roster. Every change is validated first and leaves a history entry."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_create, record_update, snapshot
from branches import access

from . import idcard
from .models import PARTY_MEMBER_STAGES, STAGE_ORDER, Member, PiiAccess, Stage, StageStep
from .photos import process_photo
from .pipeline import next_stage

# What a create or edit form may set directly; stage moves go through the pipeline services.
EDITABLE_FIELDS = (
    "org",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "joined_on",
    "confirmed_on",
    "work_unit",
    "party_post",
    "phone",
    "is_mobile",
    "is_retired",
    "is_frail",
    "is_unemployed",
)


def record_pii_access(user, action: str, *, member: Member | None = None, count: int = 1, detail: str = "") -> None:
    """Log one look at unmasked ID numbers or phones: a member page, an edit form, an export."""
    PiiAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "get_username", lambda: "")()[:150],
        action=action,
        member=member,
        count=count,
        detail=detail[:200],
    )


def _check_may_manage_org(by, org) -> None:
    if org is None or not access.can_manage_org(by, org):
        raise PermissionDenied


def _derive_from_id(data: dict) -> dict:
    """Fill birth date and gender from the ID number; a contradicting value is an error."""
    try:
        info = idcard.parse(data["id_number"])
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    data = {**data, "id_number": info.number}
    errors = {}
    if not data.get("birth_date"):
        data["birth_date"] = info.birth_date
    elif data["birth_date"] != info.birth_date:
        errors["birth_date"] = _("The birth date does not match the ID number, which gives %(date)s.") % {
            "date": info.birth_date.isoformat()
        }
    if not data.get("gender"):
        data["gender"] = info.gender
    elif data["gender"] != info.gender:
        errors["gender"] = _("The gender does not match the ID number, which gives %(gender)s.") % {
            "gender": _("male") if info.gender == "male" else _("female")
        }
    if errors:
        raise ValidationError(errors)
    return data


def _check_dates(*, stage: str, joined_on, confirmed_on) -> None:
    today = timezone.localdate()
    errors = {}
    for name, value in (("joined_on", joined_on), ("confirmed_on", confirmed_on)):
        if value and value > today:
            errors[name] = _("The date cannot be in the future.")
    if joined_on and confirmed_on and confirmed_on < joined_on:
        errors["confirmed_on"] = _("A member is confirmed after joining, not before.")
    if confirmed_on and stage != Stage.FULL:
        errors["confirmed_on"] = _("Only a full member has a confirmation date.")
    if joined_on and STAGE_ORDER.index(stage) < STAGE_ORDER.index(Stage.PROBATIONARY):
        errors["joined_on"] = _("Only a party member has a joining date.")
    if errors:
        raise ValidationError(errors)


def _check_id_free(number: str, *, exclude_pk=None) -> None:
    taken = Member.objects.filter(id_number=number)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"id_number": _("A member with this ID number is already on a roster.")})


def _save_or_explain(member: Member, **kwargs) -> None:
    try:
        with transaction.atomic():
            member.save(**kwargs)
    except IntegrityError:
        # Two people saving the same ID number at once: the unique constraint decides.
        raise ValidationError({"id_number": _("A member with this ID number is already on a roster.")}) from None


@transaction.atomic
def member_create(*, data: dict, by) -> Member:
    """Add someone to a roster at any stage (rosters start with people who joined long ago)."""
    _check_may_manage_org(by, data.get("org"))
    data = _derive_from_id(data)
    stage = data.get("stage") or Stage.FULL
    stage_on = data.get("stage_on")
    if stage_on and stage_on > timezone.localdate():
        raise ValidationError({"stage_on": _("The date cannot be in the future.")})
    # The date of reaching the current stage doubles as the joining or confirmation date.
    if stage == Stage.PROBATIONARY and stage_on and not data.get("joined_on"):
        data["joined_on"] = stage_on
    if stage == Stage.FULL and stage_on and not data.get("confirmed_on"):
        data["confirmed_on"] = stage_on
    _check_dates(stage=stage, joined_on=data.get("joined_on"), confirmed_on=data.get("confirmed_on"))
    _check_id_free(data["id_number"])
    member = Member(stage=stage, **{name: data[name] for name in EDITABLE_FIELDS if name in data})
    _save_or_explain(member)
    _record_known_steps(member, stage_on=stage_on)
    record_create(member, actor=by)
    return member


def _record_known_steps(member: Member, *, stage_on: date | None) -> None:
    """Steps whose dates the roster holds; someone entering the pipeline enters it today.

    A party member added without a joining date gets no invented one: the timeline shows the
    step undated until someone fills it in.
    """
    _sync_step_dates(member)
    if member.stage not in PARTY_MEMBER_STAGES:
        StageStep.objects.create(member=member, stage=member.stage, on=stage_on or timezone.localdate())


@transaction.atomic
def member_update(*, member: Member, data: dict, by) -> Member:
    """Change roster fields; a move to another org must stay inside the editor's scope too."""
    if not access.can_manage_member(by, member):
        raise PermissionDenied
    _check_may_manage_org(by, data.get("org", member.org))
    data = _derive_from_id({"id_number": member.id_number, **data})
    _check_dates(
        stage=member.stage,
        joined_on=data.get("joined_on", member.joined_on),
        confirmed_on=data.get("confirmed_on", member.confirmed_on),
    )
    _check_id_free(data["id_number"], exclude_pk=member.pk)
    before = snapshot(member)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(member, name, data[name])
    _save_or_explain(member)
    _sync_step_dates(member)
    record_update(member, before, actor=by)
    return member


def _sync_step_dates(member: Member) -> None:
    """An edited joining or confirmation date is the date of that pipeline step."""
    for stage, on in ((Stage.PROBATIONARY, member.joined_on), (Stage.FULL, member.confirmed_on)):
        if on and STAGE_ORDER.index(stage) <= STAGE_ORDER.index(member.stage):
            StageStep.objects.update_or_create(member=member, stage=stage, defaults={"on": on})


@transaction.atomic
def member_advance_stage(*, member: Member, on: date, by, note: str = "") -> Member:
    """Move one step forward in the pipeline, dated; joining and confirmation dates follow."""
    if not access.can_manage_member(by, member):
        raise PermissionDenied
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    target = next_stage(member.stage)
    if target is None:
        raise ValidationError(_("%(name)s is already a full member.") % {"name": member.name})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    last = member.stage_steps.filter(stage=member.stage).first()
    if last and on < last.on:
        raise ValidationError(
            {"on": _("The date cannot be before the previous step (%(date)s).") % {"date": last.on.isoformat()}}
        )
    before = snapshot(member)
    member.stage = target
    if target == Stage.PROBATIONARY and not member.joined_on:
        member.joined_on = on
    if target == Stage.FULL and not member.confirmed_on:
        member.confirmed_on = on
    member.save()
    StageStep.objects.update_or_create(member=member, stage=target, defaults={"on": on, "note": note[:200]})
    record_update(member, before, actor=by, note=_("Pipeline step: %(stage)s") % {"stage": Stage(target).label})
    return member


@transaction.atomic
def member_correct_stage(*, member: Member, stage: str, on: date, by, note: str = "") -> Member:
    """Managers' correction of a wrongly recorded stage: any stage, later steps are removed."""
    if not access.can_manage_member(by, member):
        raise PermissionDenied
    member = Member.objects.select_for_update().select_related("org").get(pk=member.pk)
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the stage is corrected.")})
    before = snapshot(member)
    position = STAGE_ORDER.index(stage)
    member.stage = stage
    if position < STAGE_ORDER.index(Stage.PROBATIONARY):
        member.joined_on = None
    elif stage == Stage.PROBATIONARY and not member.joined_on:
        member.joined_on = on
    if stage != Stage.FULL:
        member.confirmed_on = None
    elif not member.confirmed_on:
        member.confirmed_on = on
    member.save()
    member.stage_steps.filter(stage__in=STAGE_ORDER[position + 1 :]).delete()
    StageStep.objects.update_or_create(member=member, stage=stage, defaults={"on": on, "note": note[:200]})
    record_update(member, before, actor=by, note=_("Stage corrected: %(why)s") % {"why": note.strip()[:150]})
    return member


@transaction.atomic
def member_set_photo(*, member: Member, upload, by) -> Member:
    """Replace the photo; the old files go only once the new ones are committed."""
    if not access.can_manage_member(by, member):
        raise PermissionDenied
    processed = process_photo(upload)  # raises before anything is written
    before = snapshot(member)
    old = [f.name for f in (member.photo, member.photo_thumbnail) if f]
    member.photo.save(processed.photo.name, processed.photo, save=False)
    member.photo_thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    stored = [member.photo.name, member.photo_thumbnail.name]
    storage = member.photo.storage
    # A failed commit would leave the new files orphaned, a successful one the old files.
    transaction.on_commit(lambda: [storage.delete(name) for name in old])
    try:
        member.save(update_fields=["photo", "photo_thumbnail", "updated_at"])
        record_update(member, before, actor=by, note=_("Photo replaced") if old else _("Photo added"))
    except Exception:
        for name in stored:
            storage.delete(name)
        raise
    return member
