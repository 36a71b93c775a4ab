"""Send the heavy report and dashboard reads to a read replica, everything else to "default".

Only code wrapped in ``reading_from_replica()`` reads from the replica, and only when:

* a ``replica`` database is configured (settings: XIANFENG_DB_REPLICA_HOST), else it falls back to
  "default";
* "default" is not inside a transaction: a read inside a write transaction must see that
  transaction's own rows, which the replica does not have, so it stays on "default".

Writes always go to "default"; migrations run on "default" only (the replica follows by streaming
replication). See docs/scaling.md.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"

_replica_reads: ContextVar[bool] = ContextVar("xianfeng_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in connections.settings


def read_alias() -> str:
    """The alias a read made now goes to."""
    if not _replica_reads.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA_DB_ALIAS


@contextmanager
def reading_from_replica():
    """Reads made inside go to the replica when there is one (and no write transaction is open)."""
    token = _replica_reads.set(True)
    try:
        yield read_alias()
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as "default": objects read from either relate freely.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
