"""Recounts gathered inside a block and made once at its end (members/headcount.py, pledges/tally.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager


class Gathering:
    """``gather(keys)`` keeps the keys while a ``deferred()`` block is open in this thread; the block's
    end calls ``run`` once with all of them. Loops that write many rows recount once, not per row."""

    def __init__(self, run: Callable[[set], None]):
        self._run = run
        self._local = threading.local()

    def gather(self, keys: Iterable) -> bool:
        """Keep ``keys`` for the open block's end; False when no block is open (recount now)."""
        pending = getattr(self._local, "keys", None)
        if pending is None:
            return False
        pending.update(keys)
        return True

    @contextmanager
    def deferred(self):
        if getattr(self._local, "keys", None) is not None:
            yield  # an outer block recounts
            return
        self._local.keys = set()
        try:
            yield
            keys = self._local.keys
        finally:
            self._local.keys = None
        self._run(keys)
