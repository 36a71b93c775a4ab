"""The one state machine of a member appraisal round (民主评议党员).

    self ──open_peer──▶ peer ──close_peer──▶ deciding ──close──▶ closed

- self: members write their self-appraisals (个人自评); the secretary may enter the masses' opinion;
- peer: each member with a login grades the others once, in secret (党员互评);
- deciding: grading is over; the branch meeting decides each member's grade with its vote (支部评定);
- closed: every member has a decided grade; nothing changes any more.

Every move is made by a manager of the branch (its secretary, acting 组织委员, committee staff above).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import AppraisalPhase


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    label: object
    confirm: object


MOVES = {
    move.action: move
    for move in (
        Move(
            "open_peer",
            AppraisalPhase.SELF,
            AppraisalPhase.PEER,
            _("Open peer grading"),
            _("Open peer grading? Self-appraisals can no longer be changed afterwards."),
        ),
        Move(
            "close_peer",
            AppraisalPhase.PEER,
            AppraisalPhase.DECIDING,
            _("Close peer grading"),
            _("Close peer grading? Members who have not voted cannot vote any more."),
        ),
        Move(
            "close",
            AppraisalPhase.DECIDING,
            AppraisalPhase.CLOSED,
            _("Close the appraisal"),
            _("Close this year's appraisal? The decided grades cannot be changed afterwards."),
        ),
    )
}

PHASE_ORDER = [p.value for p in AppraisalPhase]


def next_move(appraisal_round) -> Move | None:
    return next((m for m in MOVES.values() if m.source == appraisal_round.phase), None)


def may_write_self(appraisal_round) -> bool:
    return appraisal_round.phase == AppraisalPhase.SELF


def may_vote(appraisal_round) -> bool:
    return appraisal_round.phase == AppraisalPhase.PEER


def may_enter_mass_opinion(appraisal_round) -> bool:
    return appraisal_round.phase != AppraisalPhase.CLOSED


def may_decide(appraisal_round) -> bool:
    """Only after peer grading has closed, so the branch decides with the tallies in front of it."""
    return appraisal_round.phase == AppraisalPhase.DECIDING


def phase_states(appraisal_round) -> list[tuple[str, str, str]]:
    """(phase, label, "done" / "current" / "ahead") for the page's step line."""
    index = PHASE_ORDER.index(appraisal_round.phase)
    return [
        (p.value, str(p.label), "done" if i < index else ("current" if i == index else "ahead"))
        for i, p in enumerate(AppraisalPhase)
    ]
