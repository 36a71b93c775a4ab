"""The dashboard's figures, kept a few minutes so that opening it again does not recount the province.

What is kept is what the dashboard shows (the numbers, the charts, the first lagging branches), worked
out from ``figures.compute`` once, with the time it was computed: the page says "数据截至 HH:MM" and
has a button to count again. A report is a frozen snapshot and never reads from here.

Every entry's key carries a version that ``bump()`` replaces: the pledge, activity and review services
call it when they write, so the next dashboard counts afresh. The version lives in Django's cache; with
one shared cache (Redis, docs/scaling.md) a write is seen by every process at once, with per-process
caches (the LocMem default) by the writing process at once and by the others when their copy expires
(``TIMEOUT``). Changes no service announces (the roster, the tree, evaluation answers) also show then,
or on the button.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

TIMEOUT = 300  # seconds
VERSION_KEY = "reports:figures:version"


def _new_version() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    return version


def version() -> str:
    return cache.get(VERSION_KEY) or _new_version()


def bump() -> None:
    """Forget every kept dashboard: now, and again once the writer's transaction commits, since a
    dashboard counted in between still saw the old rows and would be kept under the new version.

    A write never fails for the cache: were it unreachable, the kept figures would only expire."""
    try:
        _new_version()
    except Exception:
        logger.warning("could not forget the kept dashboard figures", exc_info=True)
    transaction.on_commit(_new_version, robust=True)


def key(org, campaign, start: date, end: date, today: date) -> str:
    # The org's timestamps: a renamed org is drawn afresh, and an org row made anew under a pk used
    # before (a test database, a restore) never meets an entry of the old one.
    stamps = f"{org.created_at.timestamp()}:{org.updated_at.timestamp()}"
    campaign_id = campaign.pk if campaign is not None else "-"
    return (
        f"reports:figures:{version()}:{translation.get_language()}:{org.pk}:{stamps}:{campaign_id}:"
        f"{start.isoformat()}:{end.isoformat()}:{today.isoformat()}"
    )


def kept(entry_key: str, build: Callable[[], dict]) -> dict:
    """The entry under ``entry_key``, built (and its ``as_of`` time set) when missing."""
    entry = cache.get(entry_key)
    if entry is None:
        entry = build()
        entry["as_of"] = timezone.now()
        cache.set(entry_key, entry, TIMEOUT)
    return entry


def forget(entry_key: str) -> None:
    cache.delete(entry_key)
