"""The member page's history, made readable for the person looking at it.

Entries are changed in memory only; the stored history keeps the real values.
"""

from django.utils.translation import gettext as _

from .idcard import mask


def readable_history(entries, *, mask_ids: bool):
    """Photo file paths become "new photo"; ID numbers are masked for readers who may not see them."""
    for entry in entries:
        if not isinstance(entry.changes, dict):
            continue
        changes = dict(entry.changes)
        photo = changes.get("photo")
        if photo:
            changes["photo"] = {
                **photo,
                "old": _("earlier photo") if photo.get("old") else "",
                "new": _("new photo") if photo.get("new") else "",
            }
        number = changes.get("id_number")
        if number and mask_ids:
            changes["id_number"] = {**number, "old": mask(number.get("old", "")), "new": mask(number.get("new", ""))}
        entry.changes = changes
    return entries
