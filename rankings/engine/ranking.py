"""From scores to ranks: rounding, competition ranking with tie-breaks, flags, movement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .methodology import FlagRule


def round_half_away(x: float, places: int) -> float:
    """Round as people do on paper (0.1235 -> 0.124 at 3 places).

    Rounding the float's shortest repr with decimal avoids both banker's rounding and
    binary artefacts (round(2.675, 2) == 2.67 because 2.675 is stored as 2.67499...).
    """
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Entry:
    """A district to rank: its ranking score and its tie-break values (normalised,
    direction-adjusted; None when missing, which loses every tie-break)."""

    district: str
    ranking_score: float
    tie_break: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class Placed:
    district: str
    rank: int
    tied: bool


def _sort_key(entry: Entry, highest_first: bool) -> tuple[tuple[float, ...], str]:
    score = -entry.ranking_score if highest_first else entry.ranking_score
    # Better tie-break values come first; a missing value sorts after every present one.
    breaks = tuple(float("inf") if value is None else -value for value in entry.tie_break)
    return (score, *breaks), entry.district


def competition_ranks(entries: Sequence[Entry], *, highest_first: bool) -> list[Placed]:
    """Standard competition ranking ("1224"): equals share the better rank, the next skips.

    The district code only orders the output; it never separates equals.
    """
    keyed = sorted((_sort_key(entry, highest_first), entry) for entry in entries)
    ranks: list[int] = []
    for position, ((key, _), _) in enumerate(keyed):
        if position and key == keyed[position - 1][0][0]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position + 1)
    counts: dict[int, int] = {}
    for rank in ranks:
        counts[rank] = counts.get(rank, 0) + 1
    return [
        Placed(district=entry.district, rank=rank, tied=counts[rank] > 1)
        for (_, entry), rank in zip(keyed, ranks, strict=True)
    ]


def assign_flags(ranks: Mapping[str, int], rules: Sequence[FlagRule]) -> dict[str, tuple[str, ...]]:
    """Flag names per ranked district, in the order the rules are written.

    Top k: rank <= k. Bottom k: rank >= the rank of the k-th from last, so districts tied at
    the boundary are all flagged (as the top rule does through shared ranks).
    """
    ordered = sorted(ranks.values())
    flags: dict[str, list[str]] = {district: [] for district in ranks}
    for rule in rules:
        if not ordered:
            break
        if rule.position == "top":
            chosen = [d for d, rank in ranks.items() if rank <= rule.count]
        else:
            threshold = ordered[max(len(ordered) - rule.count, 0)]
            chosen = [d for d, rank in ranks.items() if rank >= threshold]
        for district in chosen:
            flags[district].append(rule.name)
    return {district: tuple(names) for district, names in flags.items()}


def movement(rank: int | None, previous_rank: int | None) -> tuple[int | None, str]:
    """(rank_change, movement); rank_change = previous - current, positive = moved up."""
    if rank is None:
        return None, "unranked"
    if previous_rank is None:
        return None, "new"
    change = previous_rank - rank
    return change, "up" if change > 0 else "down" if change < 0 else "same"
