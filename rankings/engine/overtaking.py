"""What it takes to move: the change of one own figure that overtakes the district above
(`overtake_changes`), and the fall of one own figure that still holds off the district
below (`hold_changes`).

Normalisation is relative, so changing one district's figure moves every district's
normalised value on that indicator (a new maximum shrinks everyone's min-max share, a new
outlier widens the z-score SD). Each candidate value is therefore tried by re-running the
race with that figure changed and everything else fixed, never by a linear approximation.

The search (a scan, a bisection, refinements) is written as a generator that yields the
figures it tries, so that every search of a race advances in step and FigureTries
(figure_tries.py) scores one try of each search at once, with the scores of a full run.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .figure_tries import FigureTries, Tries
from .inputs import Figure
from .methodology import Leaf
from .race_setup import RaceSetup, ValidRange
from .results import RaceResult

# Points tried between the figure and the end of the search before bisecting, so that a
# nearer crossing is not missed where the outcome is not monotone (z-scores, see
# docs/methodology.md).
SCAN_POINTS = 16
# Bisection stops when the two ends are adjacent floats, which takes about 60 halvings
# from a range of the group's size; this only bounds pathological ranges.
MAX_BISECTIONS = 200
# How often a found change is searched again because 99 % of it already reached the goal.
MAX_REFINEMENTS = 30
# Without a valid range, a figure is searched up to this many times the group's range away.
RANGE_MULTIPLE = 10.0


@dataclass(frozen=True)
class RequiredChange:
    """The change of `indicator`'s own figure (`value`, as entered) that overtakes `rival`
    (overtake) or, for hold, the largest fall that still keeps `rival` behind. `needed` is
    the figure after the change; both are None when `reachable` is false."""

    indicator: str
    rival: str
    value: float | None
    needed: float | None
    change: float | None
    reachable: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "rival": self.rival,
            "value": self.value,
            "needed": self.needed,
            "change": self.change,
            "reachable": self.reachable,
        }


def strictly_ahead(score: float | None, other: float | None, *, highest_first: bool) -> bool:
    """Whether a ranking score beats another; no score never beats, and is always beaten."""
    if score is None:
        return False
    if other is None:
        return True
    return score > other if highest_first else score < other


def overtakes(result: RaceResult, *, district: str, rival: str, highest_first: bool) -> bool:
    """Whether `district` has a strictly better ranking score than `rival` in `result`."""
    return strictly_ahead(
        result.standing(district).ranking_score,
        result.standing(rival).ranking_score,
        highest_first=highest_first,
    )


def _input_slope(leaf: Leaf, figure: Figure) -> float:
    """+1 when the leaf's input rises with the entered figure, -1 when it falls, 0 when the
    figure does not decide it (growth on a last year of 0, a completion without a target)."""
    if leaf.input == "value":
        return 1.0
    base = figure.last_year if leaf.input == "growth" else figure.target
    if base is None or not math.isfinite(base) or base == 0:
        return 0.0
    return 1.0 if base > 0 else -1.0


def _group_spread(setup: RaceSetup, leaf: Leaf) -> float:
    """The group's range of entered figures on the leaf (0 without any)."""
    entered = [
        figure.value
        for district in set(setup.entrants)
        if (figure := setup.figures.get((district, leaf.indicator))) is not None
        and figure.value is not None
        and math.isfinite(figure.value)
    ]
    return max(entered) - min(entered) if entered else 0.0


def _search_bounds(
    setup: RaceSetup,
    leaf: Leaf,
    value: float,
    valid: ValidRange | None,
    spread: float | None = None,
) -> tuple[float, float]:
    """Where a figure is searched: its valid range, an open side of which reaches ten times
    the group's range (of the entered figures) away from the figure. `spread`: that range,
    when already known."""
    if spread is None:
        spread = _group_spread(setup, leaf)
    if spread == 0:  # every district entered the same figure: take its size instead
        spread = max(abs(value), 1.0)
    reach = RANGE_MULTIPLE * spread
    low = valid.min if valid is not None and valid.min is not None else value - reach
    high = valid.max if valid is not None and valid.max is not None else value + reach
    return min(low, value), max(high, value)


# A search yields the figures it tries and is sent whether each reached the goal, so that
# every search of a race can advance in step (FigureTries scores one try of each at once).
Search = Generator[float, bool, "float | None"]


def _first_crossing(start: float, end: float) -> Generator[float, bool, tuple[float, float] | None]:
    """Going from `start` (where the goal is not reached) towards `end`: (the last value
    tried where it is still not reached, the first where it is), adjacent floats unless
    the bisection limit was hit; None when no value tried reaches it."""
    if start == end:
        return None
    before = start
    found = None
    for k in range(1, SCAN_POINTS + 1):
        candidate = end if k == SCAN_POINTS else start + (end - start) * (k / SCAN_POINTS)
        if (yield candidate):
            found = candidate
            break
        before = candidate
    if found is None:
        return None
    short, far = before, found
    for _ in range(MAX_BISECTIONS):
        middle = short + (far - short) / 2
        if middle in (short, far):
            break
        if (yield middle):
            far = middle
        else:
            short = middle
    return short, far


def _nearest(value: float, end: float, *, take_reaching: bool) -> Search:
    """The crossing nearest to `value` on the way to `end`: the first value that reaches
    the goal (take_reaching) or the last that does not. Searched again, nearer, while 99 %
    of the change found already crosses, so that the change is the smallest one found
    whatever the shape of the outcome."""
    crossing = yield from _first_crossing(value, end)
    if crossing is None:
        return None
    for _ in range(MAX_REFINEMENTS):
        chosen = crossing[1] if take_reaching else crossing[0]
        almost = value + 0.99 * (chosen - value)
        # A change of a float step or two has no 99 % between it and nothing.
        if almost in (value, chosen) or not (yield almost):
            break
        nearer = yield from _first_crossing(value, almost)
        if nearer is None:  # cannot happen: `almost` itself reaches
            break
        crossing = nearer
    return crossing[1] if take_reaching else crossing[0]


@dataclass
class _Pending:
    """One search under way: which figure it changes, against whom, and its next try."""

    slot: tuple[str, int]  # (district, position of the indicator in tree order)
    district: int
    rival: int
    leaf: int
    overtake: bool
    search: Search
    value: float


def _searches(
    setup: RaceSetup,
    *,
    pairs: Mapping[str, str],
    valid_ranges: Mapping[str, ValidRange],
    overtake: bool,
    tries: FigureTries,
) -> tuple[dict[str, list[RequiredChange | None]], list[_Pending]]:
    """Per district, its list of changes with the searches still to run left as None,
    and those searches started."""
    found: dict[str, list[RequiredChange | None]] = {}
    pending = []
    spreads = [_group_spread(setup, leaf) for leaf in setup.methodology.leaves]
    for district, rival in pairs.items():
        changes: list[RequiredChange | None] = []
        for j, leaf in enumerate(setup.methodology.leaves):
            code = leaf.indicator
            figure = setup.figures.get((district, code))
            if figure is None or figure.value is None or not math.isfinite(figure.value):
                # No figure of its own to change: entering one is another question.
                changes.append(RequiredChange(code, rival, None, None, None, False))
                continue
            value = float(figure.value)
            slope = _input_slope(leaf, figure) * (1.0 if setup.higher_is_better(leaf) else -1.0)
            low, high = _search_bounds(setup, leaf, value, valid_ranges.get(code), spreads[j])
            # Overtake goes the way that improves the indicator, hold the way that worsens it.
            improves = (slope >= 0) == overtake
            end = high if improves else low
            if slope == 0:
                changes.append(RequiredChange(code, rival, value, None, None, False))
                continue
            changes.append(None)
            search = _nearest(value, end, take_reaching=overtake)
            first = _step(search, None)
            slot = (district, j)
            if isinstance(first, _Done):
                changes[j] = _required(code, rival, value, first.needed)
                continue
            pending.append(
                _Pending(
                    slot,
                    tries.index[district],
                    tries.index[rival],
                    j,
                    overtake,
                    search,
                    first,
                )
            )
        found[district] = changes
    return found, pending


@dataclass(frozen=True)
class _Done:
    needed: float | None


def _step(search: Search, reached: bool | None) -> float | _Done:
    """The search's next try, or what it found."""
    try:
        return next(search) if reached is None else search.send(reached)
    except StopIteration as stop:
        return _Done(stop.value)


def _required(code: str, rival: str, value: float, needed: float | None) -> RequiredChange:
    if needed is None:
        return RequiredChange(code, rival, value, None, None, False)
    return RequiredChange(code, rival, value, needed, needed - value, True)


def _run(
    setup: RaceSetup,
    tries: FigureTries,
    found: dict[str, list[RequiredChange | None]],
    pending: list[_Pending],
) -> None:
    """Advance every search in step until all have found their change."""
    leaves = setup.methodology.leaves
    while pending:
        outcomes = tries.outcomes(
            Tries(
                district=np.array([p.district for p in pending]),
                rival=np.array([p.rival for p in pending]),
                leaf=np.array([p.leaf for p in pending]),
                value=np.array([p.value for p in pending]),
            )
        )
        # An overtake must come from a figure that counts, not from an imputed one.
        overtaking = (outcomes.counts & outcomes.ahead).tolist()
        holding = outcomes.behind.tolist()
        still = []
        for k, p in enumerate(pending):
            reached = overtaking[k] if p.overtake else holding[k]
            step = _step(p.search, reached)
            if isinstance(step, _Done):
                district, j = p.slot
                value = float(setup.figures[(district, leaves[j].indicator)].value)
                rival = tries.entrants[p.rival]
                found[district][j] = _required(leaves[j].indicator, rival, value, step.needed)
            else:
                p.value = step
                still.append(p)
        pending = still


def changes_each(
    setup: RaceSetup,
    *,
    pairs: Mapping[str, str],
    valid_ranges: Mapping[str, ValidRange] | None = None,
    overtake: bool,
    tries: FigureTries | None = None,
) -> dict[str, list[RequiredChange]]:
    """overtake_changes (overtake) or hold_changes for each district of `pairs` against
    its rival there, all searched in step: the way publishing stores overtake for a whole
    race."""
    tries = tries if tries is not None else FigureTries(setup)
    found, pending = _searches(
        setup, pairs=pairs, valid_ranges=valid_ranges or {}, overtake=overtake, tries=tries
    )
    _run(setup, tries, found, pending)
    return {
        district: [change for change in changes if change is not None]
        for district, changes in found.items()
    }


def overtake_changes(
    setup: RaceSetup,
    *,
    district: str,
    rival: str,
    valid_ranges: Mapping[str, ValidRange] | None = None,
) -> list[RequiredChange]:
    """Per indicator (tree order), the smallest change of the district's own figure, in the
    direction that improves the indicator, that gives it a strictly better ranking score
    than `rival` with everything else as it is."""
    return changes_each(setup, pairs={district: rival}, valid_ranges=valid_ranges, overtake=True)[
        district
    ]


def hold_changes(
    setup: RaceSetup,
    *,
    district: str,
    rival: str,
    valid_ranges: Mapping[str, ValidRange] | None = None,
) -> list[RequiredChange]:
    """Per indicator (tree order), the largest change of the district's own figure, in the
    direction that worsens the indicator, after which `rival` still does not have a
    strictly better ranking score; not reachable when no change within the range lets
    the rival pass."""
    return changes_each(setup, pairs={district: rival}, valid_ranges=valid_ranges, overtake=False)[
        district
    ]
