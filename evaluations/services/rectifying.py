"""A low result goes on the rectification ledger (挂牌) of the org evaluated, through the reviews app's
one service for listing items; once per round and org."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.access import can_manage_org
from reviews.models import Source
from reviews.permissions import head_of
from reviews.services.rectifying import rectification_list
from reviews.services.reviewing import default_deadline

from ..models import RectificationLink, Round
from ..stats import LOW_RATE, Row, org_result


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def describe(round_: Round, org, row: Row) -> str:
    """The problem as listed: the round, the org's rate and the items below the threshold, from the tallies."""
    text = _("Mass evaluation “%(round)s”: satisfaction rate of %(org)s %(rate)s (%(responses)s answer sheets).") % {
        "round": round_.title,
        "org": org.name,
        "rate": _percent(row.tally.rate),
        "responses": row.responses,
    }
    if row.low_items:
        items = "、".join(f"{question.label} {_percent(tally.rate)}" for question, tally in row.low_items)
        text += _("Items below %(threshold)s: %(items)s.") % {"threshold": f"{LOW_RATE:.0%}", "items": items}
    return text


def existing_item(round_: Round, org):
    link = RectificationLink.objects.filter(round=round_, target=org).select_related("item").first()
    return link.item if link else None


def proposal(round_: Round, org) -> dict | None:
    """What the confirmation form is filled with; None when the org's result is not below the threshold."""
    row = org_result(round_, org)
    if row is None or not row.needs_rectification:
        return None
    return {"problem": describe(round_, org, row), "deadline": default_deadline(), "owner": head_of(org), "row": row}


@transaction.atomic
def rectify_result(*, round, org, by, problem: str = "", deadline=None):  # noqa: A002
    """List the org's low result of the round for rectification; returns (item, created). A second call
    (a double click, a second manager) returns the item already listed."""
    # The round's row is the lock two clicks queue on; the unique (round, org) link backs it up.
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not can_manage_org(by, org):
        raise PermissionDenied
    item = existing_item(round_, org)
    if item is not None:
        return item, False
    filled = proposal(round_, org)
    if filled is None:
        raise ValidationError(
            _("%(org)s is not below %(threshold)s in this round; there is nothing to list.")
            % {"org": org.name, "threshold": f"{LOW_RATE:.0%}"}
        )
    item = rectification_list(
        org=org,
        problem=(problem or "").strip() or filled["problem"],
        owner_member=filled["owner"],
        deadline=deadline or filled["deadline"],
        source=Source.EVALUATION,
        campaign=round_.campaign,
        by=by,
    )
    RectificationLink.objects.create(round=round_, target=org, item=item)
    return item, True
