"""The dashboard's figures, kept a few minutes so that opening it again does not recount the province.

What is kept is what the dashboard shows (the numbers, the charts, the first lagging branches), worked
out from ``figures.compute`` once, with the time it was computed: the page says "数据截至 HH:MM" and
has a button to count again. A report is a frozen snapshot and never reads from here.

Every entry's key carries versions that a write replaces, and only the versions of the dashboards the
write can change: the figures of an org are counted over its subtree, so a pledge, activity or review
written at an org changes the dashboards of that org and of the orgs above it, and no other. Each org
path has two versions: ``up`` (something in its subtree was written: ``bump(org)`` replaces it for the
org and every ancestor) and ``down`` (everything at and below it may count differently, as when a
compliance rule set there changes: ``bump_subtree(org)``; ``bump()`` does it for the whole tree). A
dashboard's key holds its org's ``up`` and the ``down`` of the org and each ancestor, read in one
cache call. A branch's write so leaves the other committees' kept dashboards alone.

The versions and the figures live in the "figures" cache (settings.CACHES), one for every process:
files on this machine's disk, or Redis across app servers (docs/scaling.md), so a write is seen by
every process at once, the task worker included. Changes no service announces (the roster, the tree,
evaluation answers) show when the kept figures expire (``TIMEOUT``), or on the button. A version lost
from the cache is made anew, which only forgets entries, never revives one.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from datetime import date

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.connection import ConnectionProxy

logger = logging.getLogger(__name__)

# The "figures" cache of settings.CACHES, shared by every process (as django.core.cache.cache is the default).
cache = ConnectionProxy(caches, "figures")

TIMEOUT = 300  # seconds
# The last figures of a page may stand in this long while newer ones are counted in the worker; older
# ones are not shown (the worker may be down): the request counts.
LATEST_TIMEOUT = 1800
QUEUED_TIMEOUT = 600  # a recount not done by then (the worker was down) is queued again
VERSION_KEY = "reports:figures:version"
STEPLEN = 4  # treebeard's path step (Organization.steplen)


# What a write can change, each with its own versions: a pledge write recounts the pledge figures
# (the costliest part of a province's dashboard); an activity or review write reuses them.
PLEDGES, OTHERS = "pledges", "others"
SUBJECTS = (PLEDGES, OTHERS)


def _up(path: str, subject: str) -> str:
    return f"{VERSION_KEY}:up:{subject}:{path}"


def _down(path: str) -> str:
    return f"{VERSION_KEY}:down:{path}"


def _prefixes(path: str) -> list[str]:
    """The paths of the org at ``path`` and of every org above it."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def _renew(keys: list[str]) -> None:
    cache.set_many({name: uuid.uuid4().hex for name in keys}, None)


def _versions(path: str, subjects=SUBJECTS) -> str:
    """The versions figures of ``subjects`` of the org at ``path`` depend on, in one cache read."""
    names = [*(_up(path, subject) for subject in subjects), _down(""), *(_down(prefix) for prefix in _prefixes(path))]
    found = cache.get_many(names)
    missing = {name: uuid.uuid4().hex for name in names if name not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return hashlib.sha256(".".join(found[name] for name in names).encode()).hexdigest()[:32]


def _announce(keys: list[str]) -> None:
    """Replace ``keys`` now, and again once the writer's transaction commits, since a dashboard counted
    in between still saw the old rows and would be kept under the new version.

    A write never fails for the cache: were it unreachable, the kept figures would only expire."""
    try:
        _renew(keys)
    except Exception:
        logger.warning("could not forget the kept dashboard figures", exc_info=True)
    transaction.on_commit(lambda: _renew(keys), robust=True)


def _path(org) -> str:
    return org if isinstance(org, str) else org.path


def bump(*orgs, subject: str = OTHERS) -> None:
    """Forget the kept dashboards of ``orgs`` and of every org above them (what a write at those orgs
    can change), and their kept figures of ``subject``; without orgs (or with an org unknown), every
    kept dashboard and part."""
    if not orgs or any(org is None for org in orgs):
        _announce([_down("")])
        return
    _announce(sorted({_up(prefix, subject) for org in orgs for prefix in _prefixes(_path(org))}))


def bump_subtree(org) -> None:
    """Forget the kept dashboards of ``org``, of every org below it and of every org above it (a
    compliance rule set at ``org`` reaches its whole subtree); ``None``: every kept dashboard."""
    if org is None:
        bump()
        return
    path = _path(org)
    _announce([_down(path), *(_up(prefix, subject) for prefix in _prefixes(path) for subject in SUBJECTS)])


def key(org, campaign, start: date, end: date, today: date) -> str:
    # The org's timestamps: a renamed org is drawn afresh, and an org row made anew under a pk used
    # before (a test database, a restore) never meets an entry of the old one.
    stamps = f"{org.created_at.timestamp()}:{org.updated_at.timestamp()}"
    campaign_id = campaign.pk if campaign is not None else "-"
    return (
        f"reports:figures:{_versions(org.path)}:{translation.get_language()}:{org.pk}:{stamps}:{campaign_id}:"
        f"{start.isoformat()}:{end.isoformat()}:{today.isoformat()}"
    )


def pledges_key(org, campaign, as_of: date) -> str:
    """The key of the pledge figures of ``org`` in ``campaign`` counted up to ``as_of``, kept apart from
    the dashboard's entry so that a write of anything else does not recount them."""
    stamps = f"{org.created_at.timestamp()}:{org.updated_at.timestamp()}"
    return (
        f"reports:figures:pledges:{_versions(org.path, (PLEDGES,))}:{translation.get_language()}:{org.pk}:{stamps}:"
        f"{campaign.pk}:{as_of.isoformat()}"
    )


def latest_key(org, campaign, start: date, end: date, today: date) -> str:
    """Where the last figures counted for this page stay, whatever was written since (``key`` without
    the versions): a big subtree's page shows them while newer ones are counted (reports/dashboard.py)."""
    stamps = f"{org.created_at.timestamp()}:{org.updated_at.timestamp()}"
    campaign_id = campaign.pk if campaign is not None else "-"
    return (
        f"reports:figures:latest:{translation.get_language()}:{org.pk}:{stamps}:{campaign_id}:"
        f"{start.isoformat()}:{end.isoformat()}:{today.isoformat()}"
    )


def kept(
    entry_key: str,
    build: Callable[[], dict],
    *,
    latest: str | None = None,
    recount_later: Callable[[dict], bool] | None = None,
) -> dict:
    """The entry under ``entry_key``, built (and its ``as_of`` time set, unless ``build`` gave the time
    of an older part it reused) when missing. With ``latest``, the entry is also kept there; when the
    entry is missing, the one there is still at hand and ``recount_later(that one)`` says it has seen
    to a recount, that one is returned, marked ``updating``, and nothing is built."""
    entry = cache.get(entry_key)
    if entry is not None:
        return entry
    if latest is not None and recount_later is not None:
        last = cache.get(latest)
        if last is not None and recount_later(last):
            return {**last, "updating": True}
    return keep(entry_key, build(), latest=latest)


def keep(entry_key: str, entry: dict, *, latest: str | None = None) -> dict:
    entry.setdefault("as_of", timezone.now())
    cache.set(entry_key, entry, TIMEOUT)
    if latest is not None:
        cache.set(latest, entry, LATEST_TIMEOUT)
    return entry


def _queued(entry_key: str) -> str:
    return f"{entry_key}:queued"


def queue_once(entry_key: str, enqueue: Callable[[], object]) -> None:
    """Call ``enqueue`` unless it was called for this entry in the last QUEUED_TIMEOUT seconds (one
    recount per outdated entry, however many visits come meanwhile)."""
    if cache.add(_queued(entry_key), True, QUEUED_TIMEOUT):
        enqueue()


def state(entry_key: str) -> str | None:
    """ "kept" when the entry is there, "queued" while a recount of it is awaited, else None."""
    found = cache.get_many([entry_key, _queued(entry_key)])
    if entry_key in found:
        return "kept"
    return "queued" if _queued(entry_key) in found else None


def forget(entry_key: str) -> None:
    cache.delete(entry_key)
