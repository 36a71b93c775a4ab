"""片区 (areas of branches under a committee) and 联系点 (a leader linked to one or two branches)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import diff, record_create, record_delete, snapshot

from .. import access
from ..models import Area, ContactPoint, Organization, OrgKind
from .history import note_on_org, record_changes

AREA_OWNER_KINDS = (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)


def _area_state(area: Area, branches) -> dict:
    names = "、".join(b.name for b in sorted(branches, key=lambda b: b.path))
    return {**snapshot(area), "branches": {"label": _("branches"), "value": names}}


def _check_area(*, owner, name, leader, liaison, branches, area_pk=None) -> None:
    if owner.kind not in AREA_OWNER_KINDS:
        raise ValidationError(_("Only a party committee or working committee groups its branches into areas."))
    if Area.objects.filter(owner=owner, name=name).exclude(pk=area_pk).exists():
        raise ValidationError(
            {"name": _("%(owner)s already has an area named %(name)s.") % {"owner": owner, "name": name}}
        )
    for person in (leader, liaison):
        if person is not None and not person.org.path.startswith(owner.path):
            raise ValidationError(
                _("%(name)s is not on the roll of %(owner)s.") % {"name": person.name, "owner": owner}
            )
    for branch in branches:
        if branch.kind != OrgKind.BRANCH or not branch.is_active or not branch.path.startswith(owner.path):
            raise ValidationError(
                _("%(name)s is not an active branch of %(owner)s.") % {"name": branch, "owner": owner}
            )
    taken = (
        Area.branches.through.objects.filter(area__owner=owner, organization__in=[b.pk for b in branches])
        .exclude(area_id=area_pk)
        .select_related("area", "organization")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "branches": _("%(branch)s is already in the area %(area)s.")
                % {"branch": taken.organization.name, "area": taken.area.name}
            }
        )


@transaction.atomic
def area_create(*, owner: Organization, name: str, leader=None, liaison=None, branches=(), by) -> Area:
    if not access.can_manage_org(by, owner):
        raise PermissionDenied
    branches = list(branches)
    _check_area(owner=owner, name=name, leader=leader, liaison=liaison, branches=branches)
    area = Area.objects.create(owner=owner, name=name, leader=leader, liaison=liaison)
    area.branches.set(branches)
    record_changes(area, diff({}, _area_state(area, branches)), action=HistoryEntry.Action.CREATE, by=by)
    note_on_org(owner, key="areas", label=_("Areas"), new=name, by=by)
    return area


@transaction.atomic
def area_update(*, area: Area, name: str, leader=None, liaison=None, branches=(), by) -> Area:
    owner = area.owner
    if not access.can_manage_org(by, owner):
        raise PermissionDenied
    branches = list(branches)
    _check_area(owner=owner, name=name, leader=leader, liaison=liaison, branches=branches, area_pk=area.pk)
    before = _area_state(area, area.branches.all())
    area.name, area.leader, area.liaison = name, leader, liaison
    area.save()
    area.branches.set(branches)
    changes = diff(before, _area_state(area, branches))
    record_changes(area, changes, action=HistoryEntry.Action.UPDATE, by=by)
    if changes:
        summary = "；".join(f"{c['label']}：{c['old'] or '—'} → {c['new'] or '—'}" for c in changes.values())
        note_on_org(owner, key="areas", label=_("Areas"), old=before["name"]["value"], new=name, by=by, note=summary)
    return area


def _describe_link(point: ContactPoint) -> str:
    return f"{point.leader.name} → {point.branch.name}"


@transaction.atomic
def contact_point_add(*, leader, branch: Organization, since: date | None = None, by) -> ContactPoint:
    """Link a leader to a branch; a leader has at most ContactPoint.MAX_PER_LEADER of them."""
    if not (access.can_manage_org(by, branch) and access.can_manage_member(by, leader)):
        raise PermissionDenied
    if branch.kind != OrgKind.BRANCH or not branch.is_active:
        raise ValidationError({"branch": _("A contact point must be an active branch.")})
    if not leader.is_party_member:
        raise ValidationError(_("Only party members can be contact-point leaders."))
    links = list(ContactPoint.objects.filter(leader=leader).select_related("branch"))
    if any(link.branch_id == branch.pk for link in links):
        raise ValidationError(
            _("%(leader)s is already linked to %(branch)s.") % {"leader": leader.name, "branch": branch.name}
        )
    if len(links) >= ContactPoint.MAX_PER_LEADER:
        raise ValidationError(
            _("%(leader)s is already linked to %(n)s branches (%(branches)s); a leader has at most %(max)s.")
            % {
                "leader": leader.name,
                "n": len(links),
                "branches": "、".join(link.branch.name for link in links),
                "max": ContactPoint.MAX_PER_LEADER,
            }
        )
    point = ContactPoint.objects.create(leader=leader, branch=branch, since=since)
    record_create(point, actor=by)
    note_on_org(branch, key="contact_points", label=_("Contact points"), new=_describe_link(point), by=by)
    return point


@transaction.atomic
def contact_point_remove(*, contact_point: ContactPoint, by) -> None:
    if not access.can_manage_org(by, contact_point.branch):
        raise PermissionDenied
    record_delete(contact_point, actor=by)
    note_on_org(
        contact_point.branch, key="contact_points", label=_("Contact points"), old=_describe_link(contact_point), by=by
    )
    contact_point.delete()
