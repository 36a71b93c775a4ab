"""Granting and revoking the roles that decide what a user may see and change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_create, record_delete

from .. import access
from ..models import Organization, OrgKind, Role, RoleAssignment
from .history import note_on_org

# Committees are run by their office staff; branches by their secretary or the acting 组织委员.
ROLES_FOR_KIND = {
    OrgKind.COMMITTEE: (Role.STAFF,),
    OrgKind.WORKING_COMMITTEE: (Role.STAFF,),
    OrgKind.GENERAL_BRANCH: (Role.STAFF,),
    OrgKind.BRANCH: (Role.SECRETARY, Role.ORGANIZER),
    OrgKind.GROUP: (),
}


def roles_for(org: Organization) -> tuple[str, ...]:
    return ROLES_FOR_KIND[OrgKind(org.kind)]


def _describe(assignment: RoleAssignment) -> str:
    return f"{assignment.user.display_name} · {assignment.get_role_display()}"


@transaction.atomic
def role_grant(*, org: Organization, user, role: str, by) -> RoleAssignment:
    """Give a user with a login on this org's roll a role over it."""
    if not access.can_manage_org(by, org):
        raise PermissionDenied
    if not org.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": org.name})
    if role not in roles_for(org):
        raise ValidationError({"role": _("A %(kind)s has no role of that kind.") % {"kind": org.get_kind_display()}})
    member = getattr(user, "member", None)
    if member is None or not member.org.path.startswith(org.path):
        raise ValidationError(_("Roles go to people on this organization's roll who have a login."))
    if RoleAssignment.objects.filter(user=user, org=org, role=role).exists():
        raise ValidationError(_("%(name)s already has this role.") % {"name": user.display_name})
    assignment = RoleAssignment.objects.create(user=user, org=org, role=role)
    access.forget_scope(user)
    record_create(assignment, actor=by)
    note_on_org(org, key="roles", label=_("Roles"), new=_describe(assignment), by=by)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by) -> None:
    if not access.can_manage_org(by, assignment.org):
        raise PermissionDenied
    if assignment.user_id == by.pk and not by.is_superuser:
        others = (
            RoleAssignment.objects.filter(user=by, role__in=access.MANAGING_ROLES, org__is_active=True)
            .exclude(pk=assignment.pk)
            .exists()
        )
        if not others:
            raise ValidationError(
                _("This is your last managing role; you would lose access to everything. Ask another manager.")
            )
    record_delete(assignment, actor=by)
    note_on_org(assignment.org, key="roles", label=_("Roles"), old=_describe(assignment), by=by)
    assignment.delete()
    access.forget_scope(assignment.user)
