"""Every write in mass evaluation: rounds and questionnaires, answering, code sheets, comment moderation."""

from .answering import response_submit_open, response_submit_with_code, usable_code  # noqa: F401
from .rectifying import rectify_result  # noqa: F401
from .rounds import (  # noqa: F401
    comment_set_hidden,
    question_add,
    question_move,
    question_remove,
    question_update,
    round_close,
    round_create,
    round_update,
)
from .slips import slip_batch_make, slip_batch_request  # noqa: F401
