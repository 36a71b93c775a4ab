"""Who hears about a pledge: its approvers (the nearest managers) and its authors."""

from django.db.models import F

from branches.access import MANAGING_ROLES
from branches.models import RoleAssignment
from campaigns.querysets import ancestor_paths

from ..workflow import approver_path


def nearest_managers(path: str | None, *, exclude_user_id=None) -> list:
    """Users holding a managing role on the org at ``path``, or on the nearest org above it that has
    any: a branch without a secretary is looked after by its committee."""
    if not path:
        return []
    rows = (
        RoleAssignment.objects.filter(role__in=MANAGING_ROLES, org__path__in=ancestor_paths(path), user__is_active=True)
        .select_related("user")
        .annotate(org_depth=F("org__depth"))
        .order_by("-org__depth", "id")
    )
    chosen, depth = [], None
    for row in rows:
        if depth is not None and row.org_depth != depth:
            break
        if row.user_id == exclude_user_id:
            continue
        depth = row.org_depth
        if row.user not in chosen:
            chosen.append(row.user)
    return chosen


def approvers(pledge) -> list:
    owner_user = pledge.owner_member.user_id if pledge.owner_member_id else None
    return nearest_managers(approver_path(pledge), exclude_user_id=owner_user)


def authors(pledge) -> list:
    """The member (if they have a login) and whoever entered an oral pledge; an org's managers."""
    if pledge.owner_org_id:
        return nearest_managers(pledge.org.path)
    users = []
    if pledge.owner_member.user_id:
        users.append(pledge.owner_member.user)
    if pledge.is_oral and pledge.entered_by_id and pledge.entered_by not in users:
        users.append(pledge.entered_by)
    return users
