"""Which database a query uses when a read replica is configured (DATABASE_REPLICA_URL).

Conservative on purpose: every read and write goes to the primary ("default") unless the
code asks for the replica by name. A replica lags behind the primary, so a page read from
it right after a write (a figure saved, a race published, a comment posted) could show the
state before the write; only reads that cannot be stale are sent there explicitly, through
``replica_alias()``. Today that is the standings of a publication, which never change once
written (see ``rankings.selectors.publications.publication_standings_cached``).
"""

from __future__ import annotations

from django.db import connections, router

PRIMARY = "default"
REPLICA = "replica"


def replica_alias() -> str:
    """The alias to read immutable rows from: the replica when this router is installed."""
    routed = any(isinstance(each, ReplicaRouter) for each in router.routers)
    return REPLICA if routed and REPLICA in connections else PRIMARY


class ReplicaRouter:
    """Everything on the primary; the replica only when a query names it with ``using``."""

    def db_for_read(self, model, **hints) -> str:
        # Related rows of an object read from the replica are fetched from the primary too:
        # only the query that named the replica may see its (possibly older) state.
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Both aliases hold the same data, so rows from either may refer to each other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # The replica copies the primary's schema; migrate runs against the primary only.
        return db == PRIMARY
