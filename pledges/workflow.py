"""The one state machine of a pledge: which moves exist, from which states, and who may make each.

    needs ──propose──▶ draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published ──close──▶ closed
                                   ▲          │
                                   └─submit── returned ◀──return──┘

Who (the committees' rules for 公开承诺):
- the author writes, submits, revises and records progress: the member themself; for an oral pledge
  (口头承诺, elderly, frail or retired members) the secretary who manages the member's branch; for an
  organization's pledge a manager of that organization;
- the approver (审核确定) returns, approves and publishes: for a member's pledge a manager of the branch,
  never the member themself; for an organization's pledge a manager of the organization above it;
- the judge (评诺) closes: the approver or anyone above them, which is the same test on the org tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from branches import access
from branches.models import Organization

from .models import EDITABLE_STATUSES, Status

AUTHOR = "author"
APPROVER = "approver"


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
        Move("propose", (Status.NEEDS,), Status.DRAFT, AUTHOR, _("Propose the items")),
        Move(
            "submit",
            (Status.DRAFT, Status.RETURNED),
            Status.SUBMITTED,
            AUTHOR,
            _("Submit for approval"),
            confirm=_("Submit this pledge for approval? It cannot be edited while it is being reviewed."),
        ),
        Move("return", (Status.SUBMITTED,), Status.RETURNED, APPROVER, _("Return for revision"), needs_reason=True),
        Move("approve", (Status.SUBMITTED,), Status.APPROVED, APPROVER, _("Approve")),
        Move(
            "publish",
            (Status.APPROVED,),
            Status.PUBLISHED,
            APPROVER,
            _("Publish on the board"),
            confirm=_("Publish this pledge? Its owner's name, items and chosen phone appear on the board."),
        ),
        Move(
            "close",
            (Status.PUBLISHED,),
            Status.CLOSED,
            APPROVER,
            _("Judge fulfilment"),
            needs_reason=True,
            confirm=_("Close this pledge with the judgement? It cannot be changed afterwards."),
        ),
    )
}


def approver_path(pledge) -> str | None:
    """The org whose managers approve: the branch for a member, the org above for an organization."""
    if pledge.owner_org_id:
        return pledge.org.path[: -Organization.steplen] or None
    return pledge.org.path


def is_author(user, pledge) -> bool:
    scope = access.scope_for(user)
    if pledge.owner_org_id:
        return scope.may_manage_path(pledge.org.path)
    if scope.member_id and scope.member_id == pledge.owner_member_id:
        return True
    # An oral pledge is written down by the secretary (or a manager above) for the member.
    return pledge.is_oral and scope.may_manage_path(pledge.org.path)


def is_approver(user, pledge) -> bool:
    scope = access.scope_for(user)
    if pledge.owner_member_id and scope.member_id == pledge.owner_member_id:
        return False  # nobody approves their own pledge
    path = approver_path(pledge)
    if path is None:
        return scope.is_superuser
    return scope.may_manage_path(path)


def may(user, pledge, action: str) -> bool:
    move = MOVES.get(action)
    if move is None or pledge.status not in move.sources:
        return False
    return is_author(user, pledge) if move.actor == AUTHOR else is_approver(user, pledge)


def allowed_moves(user, pledge) -> list[Move]:
    return [move for move in MOVES.values() if may(user, pledge, move.action)]


def may_edit(user, pledge) -> bool:
    return pledge.status in EDITABLE_STATUSES and is_author(user, pledge)


def may_record_progress(user, pledge) -> bool:
    return pledge.status == Status.PUBLISHED and is_author(user, pledge)
