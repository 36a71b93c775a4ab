"""Every write on pledges: writing and moving them, fulfilment, public board links."""

from .boards import board_link_create, board_link_revoke, public_cache_key
from .pledging import (
    MOVE_SERVICES,
    board_org_for_member,
    holds_leadership_post,
    pledge_approve,
    pledge_close,
    pledge_create,
    pledge_propose,
    pledge_publish,
    pledge_return,
    pledge_submit,
    pledge_update,
)
from .progress import progress_record

__all__ = [
    "MOVE_SERVICES",
    "board_link_create",
    "board_link_revoke",
    "public_cache_key",
    "board_org_for_member",
    "holds_leadership_post",
    "pledge_approve",
    "pledge_close",
    "pledge_create",
    "pledge_propose",
    "pledge_publish",
    "pledge_return",
    "pledge_submit",
    "pledge_update",
    "progress_record",
]
