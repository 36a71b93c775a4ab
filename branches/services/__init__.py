"""Writes on organizations and what hangs on them; each records history for the page it shows on."""

from .areas import area_create, area_update, contact_point_add, contact_point_remove
from .leadership import post_add, post_end
from .orgs import org_create, org_dissolve, org_move, org_update
from .roles import role_grant, role_revoke

__all__ = [
    "area_create",
    "area_update",
    "contact_point_add",
    "contact_point_remove",
    "org_create",
    "org_dissolve",
    "org_move",
    "org_update",
    "post_add",
    "post_end",
    "role_grant",
    "role_revoke",
]
