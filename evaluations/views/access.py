"""The evaluation pages' share of the access rule: a round is its owner org's; "not yours" is 404."""

import uuid

from django.http import Http404

from branches.access import get_object_for_user_or_404, scope_for

from ..models import Question, Response, Round, SlipBatch


def require_manager(user) -> None:
    scope = scope_for(user)
    if not (scope.is_superuser or scope.manage_paths):
        raise Http404


def get_round_for_user_or_404(user, pk, *, manage: bool = False) -> Round:
    qs = Round.objects.manageable_by(user) if manage else Round.objects.visible_to(user)
    return get_object_for_user_or_404(qs.select_related("owner", "campaign", "created_by"), pk)


def get_question_for_user_or_404(user, round_pk, pk) -> Question:
    round_ = get_round_for_user_or_404(user, round_pk, manage=True)
    question = get_object_for_user_or_404(Question.objects.filter(round=round_), pk)
    question.round = round_
    return question


def get_slip_batch_for_user_or_404(user, round_pk, pk) -> SlipBatch:
    qs = SlipBatch.objects.manageable_by(user).filter(round_id=round_pk).select_related("round__owner", "target_org")
    return get_object_for_user_or_404(qs, pk)


def get_response_for_user_or_404(user, round_pk, pk) -> Response:
    qs = Response.objects.manageable_by(user).filter(round_id=round_pk).select_related("round__owner", "target_org")
    try:
        return qs.get(pk=uuid.UUID(str(pk)))
    except (Response.DoesNotExist, ValueError, TypeError) as error:
        # A malformed UUID is "not found" too.
        raise Http404 from error
