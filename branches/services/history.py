"""History rows on an org for changes to the things listed on its page (posts, roles, areas …).

Those records have their own rows too, but a revoked role or a removed contact point is gone, and
the org's page is where a reader looks for "who changed what here"; so each such change also leaves
an old -> new line on the org itself.
"""

from audit.models import HistoryEntry
from audit.services import build_entries


def note_on_org(org, *, key: str, label, old: str = "", new: str = "", by, note: str = "") -> HistoryEntry:
    changes = {key: {"label": str(label), "old": old, "new": new}}
    (entry,) = build_entries(
        [(org, HistoryEntry.Action.UPDATE, changes)], actor=by, source=HistoryEntry.Source.FORM, note=note
    )
    entry.save()
    return entry


def record_changes(instance, changes: dict, *, action, by) -> HistoryEntry | None:
    """A history row with hand-built changes (for fields snapshot() cannot see: parent, many-to-many)."""
    if action == HistoryEntry.Action.UPDATE and not changes:
        return None
    (entry,) = build_entries([(instance, action, changes)], actor=by, source=HistoryEntry.Source.FORM)
    entry.save()
    return entry
