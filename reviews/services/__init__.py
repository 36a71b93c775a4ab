"""Every write on reviews and the rectification ledger."""

from .rectifying import (
    rectification_confirm,
    rectification_list,
    rectification_report,
    rectification_request,
    rectification_return,
)
from .reviewing import (
    default_deadline,
    review_announce,
    review_plan,
    review_record,
    review_rectify,
    review_update_plan,
)

__all__ = [
    "default_deadline",
    "rectification_confirm",
    "rectification_list",
    "rectification_report",
    "rectification_request",
    "rectification_return",
    "review_announce",
    "review_plan",
    "review_record",
    "review_rectify",
    "review_update_plan",
]
