"""The one state machine of a rectification item (挂牌销号).

    listed ──report──▶ in_progress ──request──▶ requested ──confirm──▶ struck_off
                           ▲                        │
                           └────────return──────────┘

Who (the education bureau's 整改台账和挂牌销号制度: the owner works, the superior verifies):
- the owner reports progress with evidence and asks for the strike-off: a manager of the responsible
  organization, or the responsible person themself;
- the verifier confirms the strike-off or returns the item with a reason: a manager of the organization
  above the responsible one, or the leader whose review found the problem; never the person who
  asked for the strike-off (nobody verifies their own work).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from branches import access
from branches.models import Organization

from .models import Status

OWNER = "owner"
VERIFIER = "verifier"


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple[str, ...]
    target: str
    actor: str
    label: object
    needs_reason: bool = False
    confirm: object = ""


MOVES = {
    move.action: move
    for move in (
        Move("report", (Status.LISTED, Status.IN_PROGRESS), Status.IN_PROGRESS, OWNER, _("Report progress")),
        Move(
            "request",
            (Status.IN_PROGRESS,),
            Status.REQUESTED,
            OWNER,
            _("Request strike-off"),
            confirm=_("Ask the superior to strike this item off? Progress cannot be added while it is checked."),
        ),
        Move(
            "confirm",
            (Status.REQUESTED,),
            Status.STRUCK_OFF,
            VERIFIER,
            _("Confirm strike-off"),
            confirm=_("Strike this item off the ledger? This is final."),
        ),
        Move("return", (Status.REQUESTED,), Status.IN_PROGRESS, VERIFIER, _("Return"), needs_reason=True),
    )
}


def is_owner(user, item) -> bool:
    scope = access.scope_for(user)
    if scope.may_manage_path(item.org.path):
        return True
    return bool(scope.member_id) and scope.member_id == item.owner_member_id


def is_verifier(user, item) -> bool:
    scope = access.scope_for(user)
    if item.requested_by_id and item.requested_by_id == user.pk and item.status == Status.REQUESTED:
        return False
    if item.review_id and scope.member_id and item.review.reviewer_id == scope.member_id:
        return True
    parent = item.org.path[: -Organization.steplen]
    return scope.may_manage_path(parent) if parent else scope.is_superuser


def may(user, item, action: str) -> bool:
    move = MOVES.get(action)
    if move is None or item.status not in move.sources:
        return False
    return is_owner(user, item) if move.actor == OWNER else is_verifier(user, item)


def allowed_moves(user, item) -> list[Move]:
    """The buttons to show (progress has its own form)."""
    return [m for m in MOVES.values() if m.action != "report" and may(user, item, m.action)]
