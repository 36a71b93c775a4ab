"""History rows for everything the demo created, so record pages say "created by system"."""

from audit.models import HistoryEntry
from audit.services import build_entries, diff, snapshot

from .context import HISTORY_NOTE, SeedContext


def _snapshot(record) -> dict:
    data = snapshot(record)
    data.pop("password", None)  # a hash has no place in a history a reader sees
    return data


def write_history(ctx: SeedContext) -> int:
    records = []
    for node in ctx.all_nodes():
        records.append(node.org)
        records.extend(node.people)
    records.extend(ctx.users.values())
    entries = build_entries(
        ((record, HistoryEntry.Action.CREATE, diff({}, _snapshot(record))) for record in records),
        actor=None,
        source=HistoryEntry.Source.SYSTEM,
        note=HISTORY_NOTE,
    )
    HistoryEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
