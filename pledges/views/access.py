"""The pledge pages' share of the access rule: single pledges and boards, 404 when not yours."""

from django.http import Http404

from branches.access import get_object_for_user_or_404, get_org_for_user_or_404, scope_for

from ..models import Pledge
from ..querysets import member_board_org_id


def may_manage_any(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths)


def get_pledge_for_user_or_404(user, pk):
    qs = Pledge.objects.visible_to(user).select_related("campaign", "org", "owner_member", "owner_org", "entered_by")
    return get_object_for_user_or_404(qs, pk)


def get_board_org_for_user_or_404(user, pk):
    """An org in the user's read scope, or a member's own branch (the board they may see)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if pk == member_board_org_id(scope_for(user).member_id):
        from branches.models import Organization

        return Organization.objects.get(pk=pk)
    return get_org_for_user_or_404(user, pk)
