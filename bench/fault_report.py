"""How bench/faulttest.py judges what users saw: pure functions, tested in tests/bench/."""

from __future__ import annotations

import collections
from dataclasses import dataclass
from decimal import Decimal

# What a user must never read on an error page.
LEAKS = ("Traceback", "psycopg", "OperationalError", "InterfaceError", 'File "/')
ERROR_PAGE_MARK = "Service unavailable"


@dataclass
class Event:
    """One request as a user saw it."""

    kind: str  # "read", "probe", "write"
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all
    clean: bool = True  # for an error: the clean 500 page, nothing leaked
    detail: str = ""


def body_is_clean(body: str) -> bool:
    """An error answer is the bilingual 500 page and leaks nothing of the server's insides."""
    return ERROR_PAGE_MARK in body and not any(leak in body for leak in LEAKS)


def recovery_seconds(events: list[Event], ready_at: float) -> float | None:
    """Seconds from the database answering again to the first 200 on a DB-backed page."""
    answered = [
        e.ended for e in events if e.kind != "write" and e.status == 200 and e.ended >= ready_at
    ]
    return max(0.0, min(answered) - ready_at) if answered else None


def last_error_seconds(events: list[Event], ready_at: float) -> float | None:
    """Seconds from the database answering again to the end of the last failed request."""
    failed = [e.ended for e in events if e.ended >= ready_at and not succeeded(e)]
    return max(failed) - ready_at if failed else None


def succeeded(event: Event) -> bool:
    return event.status == (302 if event.kind == "write" else 200)


def statuses_seen(events: list[Event], since: float, until: float) -> dict[str, int]:
    """How many answers of each kind and status users got between two moments (the outage)."""
    counts = collections.Counter(
        f"{e.kind} {e.status}" if e.status is not None else f"{e.kind}: no answer ({e.detail})"
        for e in events
        if e.ended >= since and e.started <= until
    )
    return dict(sorted(counts.items()))


def lost_figures(saved: dict[tuple, Decimal], stored: dict[tuple, Decimal]) -> list[tuple]:
    """Every figure a user was told is saved that the database does not hold as saved."""
    return [key for key, value in saved.items() if stored.get(key) != value]


def import_verdict(count: int, expected: int) -> str:
    if count == expected:
        return "all"
    if count == 0:
        return "none"
    return f"partial ({count:,} of {expected:,})"
