"""Cache entries that are never served once what they were read from has changed.

An entry is kept with the versions it was read under; a version is a random token in the
cache that every change to what it covers renews. A read asks for the entry and its versions
in one round trip, and an entry whose versions are not the current ones is read afresh.

The versions are read *before* the database, so an entry written from a read that raced a
change carries the old version and is never served once the change has renewed it. A change
renews its versions both when it is made and when its transaction commits, so a read in
between (which still sees the old rows) cannot keep them under the new version.

Within one request, versions read once are remembered until the request ends (a change made
by the request itself forgets them), and each process holds a copy of the entries it read:
a later read in the same request whose versions were already fetched, and whose entry this
process holds under those versions, costs no round trip at all. Versions named by
``versions_read_with_every_request`` are fetched along with the first read of each request.

Only for a cache that every process shares (Redis): with a per-process cache, a change made
in one process would leave the others serving the old entry.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import transaction

_held_here = LocMemCache("versioned-entries-here", {"OPTIONS": {"MAX_ENTRIES": 1000}})
_request = threading.local()  # .versions: the versions read in this thread's request
_with_every_request: set[str] = set()


def versions_read_with_every_request(*version_keys: str) -> None:
    """Fetch these versions along with the first versioned read of every request."""
    _with_every_request.update(version_keys)


def _request_started(**kwargs) -> None:
    _request.versions = {}


def _request_finished(**kwargs) -> None:
    _request.versions = None


request_started.connect(_request_started, dispatch_uid="versioned_cache.request_started")
request_finished.connect(_request_finished, dispatch_uid="versioned_cache.request_finished")


def _current(found: dict, version_keys: list[str]) -> tuple:
    """The current version under each key; a version evicted from the cache (or never set)
    is replaced by a new one, which no kept entry carries."""
    versions = []
    for key in version_keys:
        version = found.get(key)
        if version is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            # A cache that keeps nothing (or lost it again at once): a version of this read
            # alone, which no kept entry carries.
            version = cache.get(key) or uuid.uuid4().hex
        versions.append(version)
    return tuple(versions)


def versioned_get_or_load(
    key: str,
    *,
    version_keys: list[str],
    load: Callable[[], object],
    timeout: int,
    keep: Callable[[object], bool] = lambda value: True,
):
    """The value kept under ``key`` if it was read under the current versions, else
    ``load()``, kept (when ``keep(value)``) for ``timeout`` seconds at most."""
    remembered = getattr(_request, "versions", None)  # None outside a request
    if remembered is not None and all(k in remembered for k in version_keys):
        versions = tuple(remembered[k] for k in version_keys)
        held = _held_here.get(key)
        if held is not None and held[0] == versions:
            return held[1]
        kept = cache.get(key)
    else:
        also = sorted(_with_every_request - set(version_keys)) if remembered == {} else []
        found = cache.get_many([key, *version_keys, *also])
        versions = _current(found, version_keys)
        if remembered is not None:
            remembered.update(zip(version_keys, versions, strict=True))
            remembered.update({k: found[k] for k in also if k in found})
        kept = found.get(key)
    if kept is not None and kept[0] == versions:
        _held_here.set(key, kept, timeout=timeout)
        return kept[1]
    value = load()
    if keep(value):
        cache.set(key, (versions, value), timeout=timeout)
        _held_here.set(key, (versions, value), timeout=timeout)
    return value


def versions_renew(version_keys: Iterable[str]) -> None:
    """Every entry read under these versions is read afresh from now on, and again once the
    current transaction (if any) commits."""
    keys = list(version_keys)
    if not keys:
        return

    def renew():
        remembered = getattr(_request, "versions", None)
        if remembered is not None:
            for key in keys:
                remembered.pop(key, None)
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    renew()
    transaction.on_commit(renew)
