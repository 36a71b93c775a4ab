"""The one stage machine of a review: 点评前 (planned) → 点评中 (held) → 点评后 (announced).

    planned ──hold──▶ held ──announce──▶ announced

- hold: the review took place; the reviewee's duty report (报告履责情况), the record, and the
  reviewer's words (achievements, shortcomings, direction) are written down;
- announce: the opinions are announced (通报) and the review is closed for editing.

Only the reviewer moves and writes a review; everyone else who may see it reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from branches import access

from .models import Stage


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple[str, ...]
    target: str
    label: object
    confirm: object = ""


MOVES = {
    move.action: move
    for move in (
        Move("hold", (Stage.PLANNED,), Stage.HELD, _("Record the review")),
        Move(
            "announce",
            (Stage.HELD,),
            Stage.ANNOUNCED,
            _("Announce the opinions"),
            confirm=_("Announce this review? Its content cannot be changed afterwards."),
        ),
    )
}


def is_reviewer(user, review) -> bool:
    member_id = access.scope_for(user).member_id
    return bool(member_id) and member_id == review.reviewer_id


def may(user, review, action: str) -> bool:
    move = MOVES.get(action)
    return move is not None and review.stage in move.sources and is_reviewer(user, review)


def may_edit_plan(user, review) -> bool:
    return review.stage == Stage.PLANNED and is_reviewer(user, review)


def may_edit_content(user, review) -> bool:
    """The record and the reviewer's words, while held and not yet announced."""
    return review.stage in (Stage.PLANNED, Stage.HELD) and is_reviewer(user, review)


def may_rectify(user, review) -> bool:
    """Shortcomings become rectification items once the review has taken place."""
    return review.stage in (Stage.HELD, Stage.ANNOUNCED) and is_reviewer(user, review)
