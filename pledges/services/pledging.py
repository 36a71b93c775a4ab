"""Writing a pledge and moving it through its steps; every move checks workflow.py first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import build_entries, diff, snapshot
from branches import access
from branches.models import LeadershipPost, OrgKind
from campaigns.models import Campaign
from notifications.models import Notification
from notifications.services import notify
from reports.figures.cache import PLEDGES
from reports.figures.cache import bump as bump_figures

from .. import tally, workflow
from ..models import MEMBER_CATEGORIES, ORG_CATEGORIES, Outcome, Pledge, PledgeItem, PledgeTransition, Status
from . import recipients

# What the pledge form may set; status, owner and dates only change through the moves.
EDITABLE_FIELDS = ("category", "needs_notes", "leadership_post_holder", "show_phone", "service_phone")
MAX_ITEMS = 10


def board_org_for_member(member):
    """A member of a 党小组 appears on the board of the branch the group belongs to."""
    org = member.org
    if org.kind == OrgKind.GROUP and org.depth > 1:
        return org.get_parent()
    return org


def holds_leadership_post(member) -> bool:
    return LeadershipPost.objects.filter(member=member, ended_on__isnull=True).exists()


def items_text(pledge) -> str:
    """The items as one readable line per item, so the history shows what changed in them."""
    return "\n".join(
        f"{n}. {i.content}（{i.target}，{i.due_on.isoformat()}，{i.percent}%）"
        for n, i in enumerate(pledge.items.order_by("position", "id"), start=1)
    )


def pledge_snapshot(pledge) -> dict:
    data = snapshot(pledge)
    # The steps list shows when each move happened, in local time; the history needs no UTC copy of it.
    for name in ("submitted_at", "approved_at", "published_at", "closed_at"):
        data.pop(name, None)
    data["pledge_items"] = {"label": str(_("Pledge items")), "value": items_text(pledge)}
    data["carriers"] = {"label": str(_("Carriers")), "value": "、".join(c.name for c in pledge.carriers.all())}
    return data


def record(pledge, before: dict | None, *, by, note: str = "", source=HistoryEntry.Source.FORM) -> None:
    """A history row on the pledge, with the changed fields and items (or only a note)."""
    action = HistoryEntry.Action.CREATE if before is None else HistoryEntry.Action.UPDATE
    changes = diff(before or {}, pledge_snapshot(pledge))
    if before is not None and not changes and not note:
        return
    bump_figures(pledge.org, subject=PLEDGES)  # every pledge write passes here: the dashboards over it
    for entry in build_entries([(pledge, action, changes)], actor=by, source=source, note=note):
        entry.save()


def _check_campaign(campaign: Campaign, org) -> None:
    if not Campaign.objects.covering(org).filter(pk=campaign.pk).exists():
        raise ValidationError({"campaign": _("This campaign does not cover the organization.")})


def _check_category(category: str, *, for_org: bool) -> None:
    allowed = ORG_CATEGORIES if for_org else MEMBER_CATEGORIES
    if category not in allowed:
        raise ValidationError({"category": _("Choose one of the categories for this kind of pledge.")})


def _clean_items(items: list[dict], campaign: Campaign) -> list[dict]:
    errors, cleaned = [], []
    for item in items:
        content, target = (item.get("content") or "").strip(), (item.get("target") or "").strip()
        due_on = item.get("due_on")
        if not (content or target or due_on):
            continue  # an empty row of the form
        if not content or not target or not due_on:
            errors.append(_("Every item needs what is pledged, a concrete target and a due date."))
        elif not campaign.starts_on <= due_on <= campaign.ends_on:
            errors.append(
                _("The due date %(date)s lies outside the campaign (%(start)s to %(end)s).")
                % {"date": due_on.isoformat(), "start": campaign.starts_on, "end": campaign.ends_on}
            )
        cleaned.append({**item, "content": content, "target": target})
    if len(cleaned) > MAX_ITEMS:
        errors.append(_("At most %(n)s items.") % {"n": MAX_ITEMS})
    if errors:
        raise ValidationError({"items": sorted(set(errors), key=errors.index)})
    return cleaned


def _check_phone(data: dict) -> None:
    if data.get("show_phone") and not (data.get("service_phone") or "").strip():
        raise ValidationError({"service_phone": _("Give the phone to show, or do not show one.")})


def _write_items(pledge: Pledge, items: list[dict]) -> None:
    """Keep the items whose ids come back (progress stays), add new ones, drop the rest."""
    existing = {i.pk: i for i in pledge.items.all()}
    keep = []
    with tally.deferred():  # the board's figures recounted once for all the items
        for position, item in enumerate(items):
            row = existing.get(item.get("id")) or PledgeItem(pledge=pledge)
            row.content, row.target, row.due_on = item["content"], item["target"], item["due_on"]
            row.position = position
            row.save()
            keep.append(row.pk)
        pledge.items.exclude(pk__in=keep).delete()


def _transition(pledge, *, action, from_status, by, reason="") -> PledgeTransition:
    return PledgeTransition.objects.create(
        pledge=pledge, action=action, from_status=from_status, to_status=pledge.status, by=by, reason=reason
    )


@transaction.atomic
def pledge_create(
    *, campaign, data: dict, items: list[dict], by, owner_member=None, owner_org=None, carriers=()
) -> Pledge:
    """A new pledge: collecting needs while it has no items, a draft once it has."""
    if (owner_member is None) == (owner_org is None):
        raise ValueError("a pledge has exactly one owner")
    scope = access.scope_for(by)
    if owner_org is not None:
        org, is_oral = owner_org, False
        if not scope.may_manage_path(org.path):
            raise PermissionDenied
    else:
        org = board_org_for_member(owner_member)
        is_self = scope.member_id == owner_member.pk
        # Someone else may only write a member's pledge as an oral pledge they recorded.
        is_oral = not is_self
        if not is_self and not scope.may_manage_path(org.path):
            raise PermissionDenied
    _check_campaign(campaign, org)
    _check_category(data.get("category", ""), for_org=owner_org is not None)
    _check_phone(data)
    items = _clean_items(items, campaign)
    if Pledge.objects.filter(campaign=campaign, owner_member=owner_member, owner_org=owner_org).exists():
        raise ValidationError(_("There is already a pledge for this campaign; open it to change it."))
    values = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    if owner_member is not None and "leadership_post_holder" not in data:
        values["leadership_post_holder"] = holds_leadership_post(owner_member)
    pledge = Pledge.objects.create(
        campaign=campaign,
        owner_member=owner_member,
        owner_org=owner_org,
        org=org,
        is_oral=is_oral,
        entered_by=by if is_oral else None,
        status=Status.DRAFT if items else Status.NEEDS,
        **values,
    )
    _write_items(pledge, items)
    pledge.carriers.set(_carriers_of(campaign, carriers))
    _transition(pledge, action="create", from_status="", by=by)
    record(pledge, None, by=by)
    return pledge


def _carriers_of(campaign, carriers):
    return [c for c in carriers if c.campaign_id == campaign.pk]


@transaction.atomic
def pledge_update(*, pledge: Pledge, data: dict, items: list[dict], by, carriers=None) -> Pledge:
    """Change a pledge that is still being written or was returned; adding items proposes them."""
    pledge = _locked(pledge)
    if not workflow.may_edit(by, pledge):
        raise PermissionDenied
    _check_category(data.get("category", pledge.category), for_org=pledge.is_org_pledge)
    _check_phone({"show_phone": pledge.show_phone, "service_phone": pledge.service_phone, **data})
    items = _clean_items(items, pledge.campaign)
    if not items and pledge.status != Status.NEEDS:
        raise ValidationError({"items": [_("A proposed pledge keeps at least one item.")]})
    before = pledge_snapshot(pledge)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(pledge, name, data[name])
    pledge.save()
    _write_items(pledge, items)
    if carriers is not None:
        pledge.carriers.set(_carriers_of(pledge.campaign, carriers))
    record(pledge, before, by=by)
    if pledge.status == Status.NEEDS and items:
        _move(pledge, "propose", by=by)
    return pledge


def _locked(pledge: Pledge) -> Pledge:
    """The row, locked: two people approving or returning at once cannot both succeed."""
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("org", "owner_member", "owner_member__user", "owner_org", "campaign", "entered_by")
        .get(pk=pledge.pk)
    )


def _move(pledge: Pledge, action: str, *, by, reason: str = "", outcome: str = "") -> Pledge:
    if not workflow.may(by, pledge, action):
        raise PermissionDenied
    move = workflow.MOVES[action]
    reason = (reason or "").strip()
    if action in ("propose", "submit") and not pledge.items.exists():
        raise ValidationError(_("Add at least one item with a target and a due date first."))
    if action == "submit" and not pledge.needs_notes.strip():
        raise ValidationError(_("Write down the needs collected in the visits (调研走访) before submitting."))
    if move.needs_reason and not reason:
        if action == "close":
            raise ValidationError({"reason": _("Write the judgement of how the pledge was kept.")})
        raise ValidationError({"reason": _("Say what should be changed, so the pledge can be revised.")})
    if action == "close" and outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose whether the pledge was kept.")})
    before = pledge_snapshot(pledge)
    from_status = pledge.status
    now = timezone.now()
    pledge.status = move.target
    stamp = {"submit": "submitted_at", "approve": "approved_at", "publish": "published_at", "close": "closed_at"}
    if action in stamp:
        setattr(pledge, stamp[action], now)
    if action == "close":
        pledge.outcome, pledge.judge_comment = outcome, reason
    pledge.save()
    _transition(pledge, action=action, from_status=from_status, by=by, reason=reason)
    record(pledge, before, by=by, note=str(move.label) + (f"：{reason}" if reason else ""))
    _tell(pledge, action, reason=reason)
    return pledge


def _tell(pledge: Pledge, action: str, *, reason: str) -> None:
    url = pledge.get_absolute_url()
    name = pledge.owner_name
    if action == "submit":
        notify(
            recipients=recipients.approvers(pledge),
            kind=Notification.Kind.APPROVAL_WAITING,
            message=_("%(name)s's pledge is waiting for your approval.") % {"name": name},
            url=url,
            key=f"pledge:{pledge.pk}:submitted",
        )
    elif action == "return":
        notify(
            recipients=recipients.authors(pledge),
            kind=Notification.Kind.PLEDGE_RETURNED,
            message=_("%(name)s's pledge was returned: %(reason)s") % {"name": name, "reason": reason},
            url=url,
        )
    elif action == "approve":
        notify(
            recipients=recipients.authors(pledge),
            kind=Notification.Kind.PLEDGE_APPROVED,
            message=_("%(name)s's pledge was approved.") % {"name": name},
            url=url,
        )


def pledge_propose(*, pledge: Pledge, by) -> Pledge:
    with transaction.atomic():
        return _move(_locked(pledge), "propose", by=by)


def pledge_submit(*, pledge: Pledge, by) -> Pledge:
    with transaction.atomic():
        return _move(_locked(pledge), "submit", by=by)


def pledge_return(*, pledge: Pledge, reason: str, by) -> Pledge:
    with transaction.atomic():
        return _move(_locked(pledge), "return", by=by, reason=reason)


def pledge_approve(*, pledge: Pledge, by) -> Pledge:
    with transaction.atomic():
        return _move(_locked(pledge), "approve", by=by)


def pledge_publish(*, pledge: Pledge, by) -> Pledge:
    with transaction.atomic():
        return _move(_locked(pledge), "publish", by=by)


def pledge_close(*, pledge: Pledge, outcome: str, comment: str, by) -> Pledge:
    with transaction.atomic():
        return _move(_locked(pledge), "close", by=by, reason=comment, outcome=outcome)


MOVE_SERVICES = {
    "propose": lambda pledge, by, **_kw: pledge_propose(pledge=pledge, by=by),
    "submit": lambda pledge, by, **_kw: pledge_submit(pledge=pledge, by=by),
    "return": lambda pledge, by, reason="", **_kw: pledge_return(pledge=pledge, reason=reason, by=by),
    "approve": lambda pledge, by, **_kw: pledge_approve(pledge=pledge, by=by),
    "publish": lambda pledge, by, **_kw: pledge_publish(pledge=pledge, by=by),
    "close": lambda pledge, by, reason="", outcome="", **_kw: pledge_close(
        pledge=pledge, outcome=outcome, comment=reason, by=by
    ),
}
