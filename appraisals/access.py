"""Single appraisal and selection objects for a user: the same 404 for "not yours" and "does not exist"."""

from branches import access


def get_appraisal_round_for_user_or_404(user, pk, *, manage: bool = False):
    from .models import AppraisalRound

    qs = AppraisalRound.objects.manageable_by(user) if manage else AppraisalRound.objects.visible_to(user)
    return access.get_object_for_user_or_404(qs.select_related("org"), pk)


def get_appraisal_entry_for_user_or_404(user, pk):
    """An entry of a sheet the user reads, or the member's own."""
    from .models import AppraisalEntry

    qs = AppraisalEntry.objects.visible_to(user).select_related("round__org", "member")
    return access.get_object_for_user_or_404(qs, pk)


def get_selection_for_user_or_404(user, pk, *, manage: bool = False):
    from .models import SelectionRound

    qs = SelectionRound.objects.manageable_by(user) if manage else SelectionRound.objects.visible_to(user)
    return access.get_object_for_user_or_404(qs.select_related("owner", "campaign"), pk)


def get_candidate_for_user_or_404(user, selection, pk):
    """A candidate of a round the caller already fetched for the user."""
    return access.get_object_for_user_or_404(selection.candidates.select_related("member", "unit", "round__owner"), pk)


def can_manage_appraisal(user, appraisal_round) -> bool:
    return access.scope_for(user).may_manage_path(appraisal_round.org.path)


def can_manage_selection(user, selection) -> bool:
    return access.scope_for(user).may_manage_path(selection.owner.path)


def manages_anything(user) -> bool:
    scope = access.scope_for(user)
    return scope.is_superuser or bool(scope.manage_paths)
