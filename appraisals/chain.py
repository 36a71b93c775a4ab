"""The one state machine of a selection round and of each candidate's way through its chain.

Round:      draft ──start──▶ running ──close──▶ closed      (the chain may change only in draft)
Candidate:  pending ── passes step 1 … step N-1 ──▶ pending ── passes the last step ──▶ honoured
                    └── fails any step ──▶ not selected

A candidate is decided at step N only after passing step N-1, once per step; the decisions are never
changed (a new round is the remedy), so the record of who decided what stays as it was.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Outcome, SelectionStatus


def may_edit_chain(selection) -> bool:
    return selection.status == SelectionStatus.DRAFT


def may_add_candidates(selection) -> bool:
    return selection.status != SelectionStatus.CLOSED


def may_decide(selection) -> bool:
    return selection.status == SelectionStatus.RUNNING


def next_step(candidate, steps):
    """The step the candidate waits at, or None once they are out of the chain."""
    if candidate.outcome != Outcome.PENDING or candidate.steps_passed >= len(steps):
        return None
    return steps[candidate.steps_passed]


def order_error(candidate, step, steps) -> str | None:
    """Why the candidate cannot be decided at this step now; None when they can."""
    if candidate.outcome == Outcome.HONOURED:
        return _("%(name)s has already passed every step.") % {"name": candidate.display_name}
    if candidate.outcome == Outcome.NOT_SELECTED:
        return _("%(name)s did not pass an earlier step.") % {"name": candidate.display_name}
    expected = next_step(candidate, steps)
    if expected is None or expected.pk != step.pk:
        if step.position < candidate.steps_passed:
            return _("%(name)s has already been decided at %(step)s.") % {
                "name": candidate.display_name,
                "step": step.name,
            }
        return _("%(name)s must pass %(step)s first.") % {"name": candidate.display_name, "step": expected.name}
    return None


def is_last(step, steps) -> bool:
    return bool(steps) and steps[-1].pk == step.pk
