"""The reference for test_overtake_fast_path.py: rankings/engine/overtaking.py as it was
before tries were scored in step (figure_tries.py), one try at a time, each scoring the
changed leaf for the whole group. Kept only to compare against; slow (71 s at 100 × 20).

What it takes to move: the change of one own figure that overtakes the district above
(`overtake_changes`), and the fall of one own figure that still holds off the district
below (`hold_changes`).

Normalisation is relative, so changing one district's figure moves every district's
normalised value on that indicator (a new maximum shrinks everyone's min-max share, a new
outlier widens the z-score SD). Each candidate value is therefore tried by re-running the
race with that figure changed and everything else fixed, never by a linear approximation.

A try scores the changed leaf for the whole group, exactly as run_race does, but
aggregates only the two rows compared: a district's score depends on its own row of
normalised values alone, so these two scores are bit for bit those of a full run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from rankings.engine.aggregation import Problems, evaluate
from rankings.engine.inputs import Figure
from rankings.engine.leaves import score_leaf
from rankings.engine.methodology import Leaf
from rankings.engine.race_setup import RaceSetup, ValidRange
from rankings.engine.ranking import round_half_away
from rankings.engine.results import RaceResult

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


class _FigureProbe:
    """The ranking scores of a district and its rival as one of the district's figures
    changes, all else fixed."""

    def __init__(self, setup: RaceSetup, district: str, rival: str) -> None:
        self.setup = setup
        self.methodology = setup.methodology
        self.district = district
        self.entrants = sorted(set(setup.entrants))
        index = {code: i for i, code in enumerate(self.entrants)}
        self.rows = np.array([index[district], index[rival]])
        self.scores: dict[str, np.ndarray] = {}
        self.kept: dict[str, np.ndarray] = {}
        for leaf in self.methodology.leaves:
            column = self._score(leaf, setup.figures)
            self.scores[leaf.indicator] = column.scores[self.rows]
            self.kept[leaf.indicator] = column.kept[self.rows]

    def _score(self, leaf: Leaf, figures: Mapping[tuple[str, str], Figure]) -> Any:
        return score_leaf(
            leaf,
            higher_is_better=self.setup.higher_is_better(leaf),
            entrants=self.entrants,
            figures=figures,
        )

    def leaf_figures(self, leaf: Leaf) -> dict[tuple[str, str], Figure]:
        """The figures score_leaf reads for this leaf (those of the entrants)."""
        figures = self.setup.figures
        keys = ((district, leaf.indicator) for district in self.entrants)
        return {key: figures[key] for key in keys if key in figures}

    def try_value(
        self, leaf: Leaf, figures: dict[tuple[str, str], Figure], value: float
    ) -> tuple[float | None, float | None, bool]:
        """(district's ranking score, rival's, whether the district's figure still counts
        as its own input) with the district's figure on `leaf` set to `value`."""
        key = (self.district, leaf.indicator)
        changed = dict(figures)
        changed[key] = replace(figures[key], value=value)
        column = self._score(leaf, changed)
        scores = dict(self.scores)
        kept = dict(self.kept)
        scores[leaf.indicator] = column.scores[self.rows]
        kept[leaf.indicator] = column.kept[self.rows]
        problems = Problems(failed=np.zeros(2, dtype=bool))
        evaluated = evaluate(self.methodology.root, scores, kept, problems)
        scored = (evaluated.has & ~problems.failed).tolist()
        places = self.methodology.score.round
        ranking: list[float | None] = []
        for score, has in zip(evaluated.score.tolist(), scored, strict=True):
            if not has:
                ranking.append(None)
            else:
                ranking.append(round_half_away(score, places) if places is not None else score)
        own_input = not bool(column.missing[self.rows[0]])
        return ranking[0], ranking[1], own_input


def _input_slope(leaf: Leaf, figure: Figure) -> float:
    """+1 when the leaf's input rises with the entered figure, -1 when it falls, 0 when the
    figure does not decide it (growth on a last year of 0, a completion without a target)."""
    if leaf.input == "value":
        return 1.0
    base = figure.last_year if leaf.input == "growth" else figure.target
    if base is None or not math.isfinite(base) or base == 0:
        return 0.0
    return 1.0 if base > 0 else -1.0


def _search_bounds(
    setup: RaceSetup, leaf: Leaf, value: float, valid: ValidRange | None
) -> tuple[float, float]:
    """Where a figure is searched: its valid range, an open side of which reaches ten times
    the group's range (of the entered figures) away from the figure."""
    entered = [
        figure.value
        for district in set(setup.entrants)
        if (figure := setup.figures.get((district, leaf.indicator))) is not None
        and figure.value is not None
        and math.isfinite(figure.value)
    ]
    spread = max(entered) - min(entered) if entered else 0.0
    if spread == 0:  # every district entered the same figure: take its size instead
        spread = max(abs(value), 1.0)
    reach = RANGE_MULTIPLE * spread
    low = valid.min if valid is not None and valid.min is not None else value - reach
    high = valid.max if valid is not None and valid.max is not None else value + reach
    return min(low, value), max(high, value)


def _first_crossing(
    reached: Callable[[float], bool], start: float, end: float
) -> tuple[float, float] | None:
    """Going from `start` (where `reached` is false) towards `end`: (the last value tried
    where it is still false, the first where it is true), adjacent floats unless the
    bisection limit was hit; None when no value tried reaches it."""
    if start == end:
        return None
    before = start
    found = None
    for k in range(1, SCAN_POINTS + 1):
        candidate = end if k == SCAN_POINTS else start + (end - start) * (k / SCAN_POINTS)
        if reached(candidate):
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
        if reached(middle):
            far = middle
        else:
            short = middle
    return short, far


def _nearest(
    reached: Callable[[float], bool], value: float, end: float, *, take_reaching: bool
) -> float | None:
    """The crossing nearest to `value` on the way to `end`: the first value that reaches
    the goal (take_reaching) or the last that does not. Searched again, nearer, while 99 %
    of the change found already crosses, so that the change is the smallest one found
    whatever the shape of the outcome."""
    crossing = _first_crossing(reached, value, end)
    if crossing is None:
        return None
    for _ in range(MAX_REFINEMENTS):
        chosen = crossing[1] if take_reaching else crossing[0]
        almost = value + 0.99 * (chosen - value)
        # A change of a float step or two has no 99 % between it and nothing.
        if almost in (value, chosen) or not reached(almost):
            break
        nearer = _first_crossing(reached, value, almost)
        if nearer is None:  # cannot happen: `almost` itself reaches
            break
        crossing = nearer
    return crossing[1] if take_reaching else crossing[0]


def _changes(
    setup: RaceSetup,
    *,
    district: str,
    rival: str,
    valid_ranges: Mapping[str, ValidRange],
    overtake: bool,
) -> list[RequiredChange]:
    probe = _FigureProbe(setup, district, rival)
    highest_first = setup.methodology.score.order == "highest_first"
    changes = []
    for leaf in setup.methodology.leaves:
        code = leaf.indicator
        figure = setup.figures.get((district, code))
        if figure is None or figure.value is None or not math.isfinite(figure.value):
            # No figure of its own to change: entering one is another question.
            changes.append(RequiredChange(code, rival, None, None, None, False))
            continue
        value = float(figure.value)
        slope = _input_slope(leaf, figure) * (1.0 if setup.higher_is_better(leaf) else -1.0)
        low, high = _search_bounds(setup, leaf, value, valid_ranges.get(code))
        figures = probe.leaf_figures(leaf)

        if overtake:

            def reached(candidate: float, leaf: Leaf = leaf, figures: Any = figures) -> bool:
                own, other, counts = probe.try_value(leaf, figures, candidate)
                # An overtake must come from a figure that counts, not from an imputed one.
                return counts and strictly_ahead(own, other, highest_first=highest_first)

            end = high if slope >= 0 else low  # the way that improves the indicator
        else:

            def reached(candidate: float, leaf: Leaf = leaf, figures: Any = figures) -> bool:
                own, other, _ = probe.try_value(leaf, figures, candidate)
                return strictly_ahead(other, own, highest_first=highest_first)

            end = low if slope >= 0 else high  # the way that worsens it

        needed = None if slope == 0 else _nearest(reached, value, end, take_reaching=overtake)
        if needed is None:
            changes.append(RequiredChange(code, rival, value, None, None, False))
        else:
            changes.append(RequiredChange(code, rival, value, needed, needed - value, True))
    return changes


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
    return _changes(
        setup, district=district, rival=rival, valid_ranges=valid_ranges or {}, overtake=True
    )


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
    return _changes(
        setup, district=district, rival=rival, valid_ranges=valid_ranges or {}, overtake=False
    )
