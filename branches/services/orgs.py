"""Creating, editing, moving and dissolving organizations."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import HistoryEntry
from audit.services import diff, record_create, record_update, snapshot
from members.models import Member

from .. import access
from ..models import ALLOWED_PARENT_KINDS, Organization, OrgKind
from .history import record_changes

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "code",
    "kind",
    "category",
    "is_joint",
    "is_temporary",
    "founded_on",
    "phone",
    "address",
)


def _kind_label(kind) -> str:
    return str(OrgKind(kind).label) if kind else _("top level")


def check_parent_kind(kind: str, parent_kind: str | None) -> None:
    allowed = ALLOWED_PARENT_KINDS[OrgKind(kind)]
    if parent_kind not in allowed:
        names = "、".join(_kind_label(k) for k in OrgKind if k in allowed)
        raise ValidationError(
            _("A %(kind)s cannot sit under a %(parent)s; it may only sit under: %(allowed)s.")
            % {"kind": _kind_label(kind), "parent": _kind_label(parent_kind), "allowed": names},
            code="kind",
        )


def _check_code_free(code: str, *, exclude_pk=None) -> None:
    clash = Organization.objects.filter(code__iexact=code.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"code": _("The org code %(code)s is already in use.") % {"code": code}})


def _check_manages(by, org) -> None:
    if not access.can_manage_org(by, org):
        raise PermissionDenied


def _is_own_scope_root(by, org) -> bool:
    scope = access.scope_for(by)
    return not scope.is_superuser and org.path in scope.manage_paths


def _parent_of(org) -> Organization | None:
    if org.depth <= 1:
        return None
    return Organization.objects.get(path=org.path[: (org.depth - 1) * Organization.steplen])


def _with_parent(state: dict, parent) -> dict:
    return {**state, "parent": {"label": _("parent organization"), "value": parent.name if parent else ""}}


@transaction.atomic
def org_create(*, parent: Organization | None, by, **fields) -> Organization:
    """A new org under ``parent`` (None: a new top-level tree, superusers only)."""
    if parent is None:
        if not getattr(by, "is_superuser", False):
            raise PermissionDenied
    else:
        _check_manages(by, parent)
        if not parent.is_active:
            raise ValidationError(
                _("%(name)s has been dissolved; no new organization can be set up under it.") % {"name": parent.name}
            )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"org_create got unexpected fields: {sorted(unknown)}")
    org = Organization(**fields)
    check_parent_kind(org.kind, parent.kind if parent else None)
    _check_code_free(org.code)
    org.full_clean(exclude=["path", "depth", "numchild"], validate_unique=False)
    org = (
        Organization.objects.add_child(parent, instance=org) if parent else Organization.objects.add_root(instance=org)
    )
    record_create(org, actor=by)
    return org


@transaction.atomic
def org_update(*, org: Organization, by, **fields) -> Organization:
    """Rename or correct an org; a change of kind must still fit its parent and its children."""
    _check_manages(by, org)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"org_update got unexpected fields: {sorted(unknown)}")
    before = snapshot(org)
    old_kind = org.kind
    for name, value in fields.items():
        setattr(org, name, value)
    if org.kind != old_kind:
        parent = _parent_of(org)
        check_parent_kind(org.kind, parent.kind if parent else None)
        child_kinds = set(Organization.objects.children_of(org).values_list("kind", flat=True))
        for child_kind in child_kinds:
            if org.kind not in ALLOWED_PARENT_KINDS[OrgKind(child_kind)]:
                raise ValidationError(
                    {
                        "kind": _("It has a %(child)s below it, which cannot sit under a %(kind)s.")
                        % {"child": _kind_label(child_kind), "kind": _kind_label(org.kind)}
                    }
                )
    _check_code_free(org.code, exclude_pk=org.pk)
    org.full_clean(exclude=["path", "depth", "numchild"], validate_unique=False)
    org.save()
    record_update(org, before, actor=by)
    return org


@transaction.atomic
def org_move(*, org: Organization, target: Organization, by) -> Organization:
    """Move ``org`` with its whole subtree under ``target``."""
    _check_manages(by, org)
    if _is_own_scope_root(by, org):
        raise ValidationError(
            _("%(name)s is the top of your own scope; ask the organization above it to move it.") % {"name": org.name}
        )
    if not access.can_manage_org(by, target):
        raise ValidationError(_("You can only move an organization under one you manage."))
    if target.path.startswith(org.path):
        raise ValidationError(_("An organization cannot be moved into itself or under one of its own subordinates."))
    if not target.is_active:
        raise ValidationError(_("%(name)s has been dissolved.") % {"name": target.name})
    check_parent_kind(org.kind, target.kind)
    old_parent = _parent_of(org)
    if old_parent is not None and old_parent.pk == target.pk:
        raise ValidationError(_("%(name)s is already under %(target)s.") % {"name": org.name, "target": target.name})
    before = _with_parent(snapshot(org), old_parent)
    Organization.objects.move(org, target, "last-child")
    org.refresh_from_db()
    record_changes(org, diff(before, _with_parent(snapshot(org), target)), action=HistoryEntry.Action.UPDATE, by=by)
    return org


def dissolve_blockers(org: Organization) -> tuple[int, int]:
    """(active child orgs, members on its roll): what must be moved away before it can be dissolved."""
    children = Organization.objects.children_of(org).active().count()
    members = Member.objects.filter(org=org).count()
    return children, members


@transaction.atomic
def org_dissolve(*, org: Organization, on: date, by) -> Organization:
    """Mark an org dissolved (撤销); refused while anything still hangs on it."""
    _check_manages(by, org)
    if not org.is_active:
        raise ValidationError(_("%(name)s has already been dissolved.") % {"name": org.name})
    if _is_own_scope_root(by, org):
        raise ValidationError(
            _("%(name)s is the top of your own scope; ask the organization above it to dissolve it.")
            % {"name": org.name}
        )
    children, members = dissolve_blockers(org)
    if children or members:
        raise ValidationError(
            _(
                "%(name)s still has %(children)s active subordinate organizations and %(members)s people on its "
                "roll. Move or dissolve them first."
            )
            % {"name": org.name, "children": children, "members": members}
        )
    if org.founded_on and on < org.founded_on:
        raise ValidationError(_("The dissolution date cannot be before the founding date."))
    before = snapshot(org)
    org.is_active = False
    org.dissolved_on = on
    org.save(update_fields=["is_active", "dissolved_on", "updated_at"])
    record_update(org, before, actor=by)
    return org
