"""Writing the rectification ledger: listing an item (from any source), progress with evidence,
asking for the strike-off, and the superior's confirmation or return. Other apps (mass evaluation,
inspections) list their findings through ``rectification_list``."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_create, record_update, snapshot
from branches import access
from branches.models import Organization
from notifications.models import Notification
from notifications.services import notify
from pledges.services.recipients import nearest_managers
from reports.figures.cache import bump as bump_figures

from .. import rectification_flow as flow
from ..models import Attachment, Evidence, RectificationItem, RectificationTransition, Source, Status
from ..uploads import check_uploads


def _may_list(by, org: Organization, review) -> bool:
    scope = access.scope_for(by)
    if review is not None and scope.member_id and review.reviewer_id == scope.member_id:
        return True
    return scope.may_manage_path(org.path)


def owners(item: RectificationItem) -> list:
    """Who works on the item: the responsible person (with a login) and the org's nearest managers."""
    users = nearest_managers(item.org.path)
    if item.owner_member_id and item.owner_member.user_id and item.owner_member.user not in users:
        users.append(item.owner_member.user)
    return users


def verifiers(item: RectificationItem) -> list:
    """Who confirms: the reviewer whose review found it, and the managers above the org."""
    users = []
    if item.review_id and item.review.reviewer.user_id:
        users.append(item.review.reviewer.user)
    parent = item.org.path[: -Organization.steplen]
    for user in nearest_managers(parent or None):
        if user not in users:
            users.append(user)
    return [u for u in users if u.pk != item.requested_by_id]


@transaction.atomic
def rectification_list(
    *,
    org: Organization,
    problem: str,
    owner_member,
    deadline: date,
    source: str,
    by,
    measures: str = "",
    review=None,
    shortcoming=None,
    campaign=None,
    listed_on: date | None = None,
) -> RectificationItem:
    """List (挂牌) a problem on an org's ledger with its owner and deadline.

    Allowed to managers of the org or any org above it, and to the leader whose review found it.
    """
    if not _may_list(by, org, review):
        raise PermissionDenied
    listed_on = listed_on or timezone.localdate()
    errors = {}
    if not (problem or "").strip():
        errors["problem"] = _("Describe the problem.")
    if source not in Source.values:
        errors["source"] = _("Choose where the problem was found.")
    if deadline is None or deadline < listed_on:
        errors["deadline"] = _("The deadline cannot be before the day the item is listed.")
    if owner_member is not None and not owner_member.org.path.startswith(org.path):
        from branches.models import LeadershipPost

        heads_it = LeadershipPost.objects.filter(org=org, member=owner_member, ended_on__isnull=True).exists()
        if not heads_it:
            errors["owner_member"] = _("The responsible person must belong to the responsible organization.")
    if errors:
        raise ValidationError(errors)
    item = RectificationItem.objects.create(
        org=org,
        owner_member=owner_member,
        problem=problem.strip(),
        measures=(measures or "").strip(),
        deadline=deadline,
        source=source,
        review=review,
        shortcoming=shortcoming,
        campaign=campaign,
        listed_on=listed_on,
        listed_by=by,
    )
    RectificationTransition.objects.create(item=item, action="list", to_status=Status.LISTED, by=by)
    record_create(item, actor=by)
    bump_figures(item.org)
    notify(
        recipients=owners(item),
        kind=Notification.Kind.OTHER,
        message=_("A problem was listed for rectification at %(org)s by %(date)s: %(problem)s")
        % {"org": org.name, "date": deadline.isoformat(), "problem": item.problem},
        url=item.get_absolute_url(),
    )
    return item


def _lock(item: RectificationItem) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("org", "owner_member__user", "review__reviewer__user")
        .get(pk=item.pk)
    )


def _move(item: RectificationItem, action: str, *, by, note: str = "") -> RectificationItem:
    if not flow.may(by, item, action):
        raise PermissionDenied
    move = flow.MOVES[action]
    before = snapshot(item)
    from_status = item.status
    item.status = move.target
    if action == "request":
        item.requested_at, item.requested_by = timezone.now(), by
    elif action == "confirm":
        item.struck_off_on, item.confirmed_by = timezone.localdate(), by
    elif action == "return":
        item.return_reason = note[:300]
    item.save()
    if from_status != item.status:
        RectificationTransition.objects.create(
            item=item, action=action, from_status=from_status, to_status=item.status, by=by, note=note[:300]
        )
        record_update(item, before, actor=by, note=str(move.label) + (f"：{note}" if note else ""))
        bump_figures(item.org)
    return item


@transaction.atomic
def rectification_report(*, item: RectificationItem, text: str, files=(), by) -> Evidence:
    """Progress with evidence (text, photos, documents); the first report starts the rectification."""
    item = _lock(item)
    if not flow.may(by, item, "report"):
        raise PermissionDenied
    if not (text or "").strip():
        raise ValidationError({"text": _("Describe what has been done.")})
    checked = check_uploads(files)
    evidence = Evidence.objects.create(item=item, text=text.strip(), by=by)
    for f in checked:
        attachment = Attachment(evidence=evidence, kind=f.kind, name=f.name, size=f.content.size)
        attachment.file.save(f.content.name, f.content, save=False)
        if f.thumbnail is not None:
            attachment.thumbnail.save(f.thumbnail.name, f.thumbnail, save=False)
        attachment.save()
    _move(item, "report", by=by)
    return evidence


@transaction.atomic
def rectification_request(*, item: RectificationItem, by) -> RectificationItem:
    """申请销号: only with at least one progress report to check."""
    item = _lock(item)
    if flow.may(by, item, "request") and not item.evidence.exists():
        raise ValidationError(_("Report what has been done, with evidence, before asking for the strike-off."))
    item = _move(item, "request", by=by)
    notify(
        recipients=verifiers(item),
        kind=Notification.Kind.OTHER,
        message=_("%(org)s asks to strike off: %(problem)s") % {"org": item.org.name, "problem": item.problem[:80]},
        url=item.get_absolute_url(),
        key=f"rectification:{item.pk}:requested",
    )
    return item


@transaction.atomic
def rectification_confirm(*, item: RectificationItem, by) -> RectificationItem:
    item = _move(_lock(item), "confirm", by=by)
    notify(
        recipients=owners(item),
        kind=Notification.Kind.OTHER,
        message=_("Struck off: %(problem)s") % {"problem": item.problem[:100]},
        url=item.get_absolute_url(),
    )
    return item


@transaction.atomic
def rectification_return(*, item: RectificationItem, reason: str, by) -> RectificationItem:
    item = _lock(item)
    if flow.may(by, item, "return") and not (reason or "").strip():
        raise ValidationError({"reason": _("Say what is still missing, so the rectification can go on.")})
    item = _move(item, "return", by=by, note=(reason or "").strip())
    notify(
        recipients=owners(item),
        kind=Notification.Kind.OTHER,
        message=_("The strike-off was returned: %(reason)s") % {"reason": reason.strip()},
        url=item.get_absolute_url(),
    )
    return item
