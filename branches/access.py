"""The access rule, in one place.

A user may see and change the union of the org subtrees their role assignments give them
(committee staff, secretary, acting organizer). A contact-point leader may also read the
branches they are linked to. A member always sees their own record. Superusers see everything.

Every scoped QuerySet's ``visible_to``/``manageable_by`` and every ``get_*_for_user_or_404``
call lands here, so "not yours" and "does not exist" give the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BigIntegerField, CharField, Q, Value
from django.db.models.functions import Cast
from django.http import Http404

MANAGING_ROLES = ("staff", "secretary", "organizer")


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    manage_paths: tuple[str, ...] = ()
    read_paths: tuple[str, ...] = ()
    member_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.is_superuser or self.read_paths or self.member_id)

    def may_manage_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.manage_paths)

    def may_read_path(self, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.read_paths)


def _minimal(paths) -> tuple[str, ...]:
    """Drop paths that lie inside another one, so each subtree is filtered once."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return tuple(result)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_xianfeng_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_superuser=True)
    else:
        from branches.models import ContactPoint, RoleAssignment
        from members.models import Member

        # One round trip on every page: the orgs the user manages, the branches they are the contact
        # point of, and their own member record, as (kind, path, member id) rows.
        text = CharField()
        # Typed NULLs: PostgreSQL would resolve two bare NULLs of a UNION column to text.
        number = Cast(Value(None), output_field=BigIntegerField())
        managed = RoleAssignment.objects.filter(user=user, role__in=MANAGING_ROLES, org__is_active=True).values_list(
            Value("manage", output_field=text), "org__path", number
        )
        contacts = ContactPoint.objects.filter(leader__user=user).values_list(
            Value("contact", output_field=text), "branch__path", number
        )
        own = Member.objects.filter(user=user).values_list(
            Value("member", output_field=text), Value("", output_field=text), "pk"
        )
        found = list(managed.order_by().union(contacts.order_by(), own.order_by(), all=True))
        manage = [path for kind, path, _ in found if kind == "manage"]
        contact = [path for kind, path, _ in found if kind == "contact"]
        member = next((pk for kind, _, pk in found if kind == "member"), None)
        scope = Scope(
            manage_paths=_minimal(manage),
            read_paths=_minimal(manage + contact),
            member_id=member,
        )
    user._xianfeng_scope = scope
    return scope


def forget_scope(user) -> None:
    """Call after changing a user's roles within the same request."""
    if hasattr(user, "_xianfeng_scope"):
        del user._xianfeng_scope


def paths_q(paths, field: str = "path") -> Q:
    """Rows whose ``field`` lies in any of the subtrees; an empty list matches nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def org_filter(user, *, field: str = "path", manage: bool = False) -> Q | None:
    """Q for the orgs the user may read (or manage); None means "no restriction" (superuser)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    return paths_q(scope.manage_paths if manage else scope.read_paths, field)


def get_object_for_user_or_404(queryset, pk):
    """Fetch one object from an already-scoped queryset; invalid ids are just "not found"."""
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_org_for_user_or_404(user, pk, *, manage: bool = False):
    from branches.models import Organization

    qs = Organization.objects.manageable_by(user) if manage else Organization.objects.visible_to(user)
    return get_object_for_user_or_404(qs, pk)


def get_member_for_user_or_404(user, pk, *, manage: bool = False):
    from members.models import Member

    qs = Member.objects.manageable_by(user) if manage else Member.objects.visible_to(user)
    return get_object_for_user_or_404(qs.select_related("org"), pk)


def can_manage_org(user, org) -> bool:
    return scope_for(user).may_manage_path(org.path)


def can_manage_member(user, member) -> bool:
    return scope_for(user).may_manage_path(member.org.path)
