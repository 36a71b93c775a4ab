"""Every write on appraisals and exemplar selections; views call these and never save models."""

from .appraisal import (
    appraisal_decide,
    appraisal_move,
    appraisal_open,
    mass_opinion_record,
    participants_of,
    peer_grading_submit,
    self_appraisal_submit,
)
from .selection import (
    candidate_add,
    candidate_remove,
    default_chain,
    default_kind,
    scores_record,
    selection_chain_update,
    selection_close,
    selection_create,
    selection_start,
    step_decide,
)

__all__ = [
    "appraisal_decide",
    "appraisal_move",
    "appraisal_open",
    "candidate_add",
    "candidate_remove",
    "default_chain",
    "default_kind",
    "mass_opinion_record",
    "participants_of",
    "peer_grading_submit",
    "scores_record",
    "selection_chain_update",
    "selection_close",
    "selection_create",
    "selection_start",
    "self_appraisal_submit",
    "step_decide",
]
