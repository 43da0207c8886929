"""Cache entries that are never served once what they were read from has changed.

An entry is kept with the versions it was read under; a version is a random token in the
cache that every change to what it covers renews. A read asks for the entry and its versions
in one round trip, and an entry whose versions are not the current ones is read afresh.

The versions are read *before* the database, so an entry written from a read that raced a
change carries the old version and is never served once the change has renewed it. A change
renews its versions both when it is made and when its transaction commits, so a read in
between (which still sees the old rows) cannot keep them under the new version.

Only for a cache that every process shares (Redis): with a per-process cache, a change made
in one process would leave the others serving the old entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction


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
    found = cache.get_many([key, *version_keys])
    versions = _current(found, version_keys)
    kept = found.get(key)
    if kept is not None and kept[0] == versions:
        return kept[1]
    value = load()
    if keep(value):
        cache.set(key, (versions, value), timeout=timeout)
    return value


def versions_renew(version_keys: Iterable[str]) -> None:
    """Every entry read under these versions is read afresh from now on, and again once the
    current transaction (if any) commits."""
    keys = list(version_keys)
    if not keys:
        return

    def renew():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    renew()
    transaction.on_commit(renew)
