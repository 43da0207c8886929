"""Many tries at once: the ranking scores of a district and its rival after one of the
district's figures is set to a tried value, everything else as entered.

Overtake and hold (overtaking.py) search a figure by trying values one after another;
run one search at a time, each try re-scored a leaf for the whole group (0.4 ms), and a
race of 100 districts × 20 indicators took 71 s. Here every search of a race advances in
step: one call scores one try of each, aggregating only the two rows each try compares
(a district's score depends on its own normalised values alone) for all tries at once.

The changed leaf is not re-run for the whole group either. For zscore, minmax, efficacy,
goalposts and raw, the two compared districts' normalised values are computed from the
group's statistics with the tried input in place of the district's own, with the same
IEEE operations as normalisation.py (fsum-based mean and SD, so independent of order):
the scores are bit for bit those of a full run (only the sign of a zero may differ,
which no comparison sees). Any other case (another method, an input the tried figure
makes unusable, a rival without an input under the policy "average" of another method)
scores the leaf for the whole group as run_race does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np

from .aggregation import Problems, evaluate
from .inputs import derive_column
from .leaves import score_leaf
from .methodology import Leaf
from .race_setup import RaceSetup
from .ranking import round_half_away

# Methods whose group statistics are recomputed here for the two rows only.
_GROUP_FREE = ("goalposts", "raw")
_RANGE = ("minmax", "efficacy")
FAST_METHODS = (*_GROUP_FREE, *_RANGE, "zscore")


@dataclass(frozen=True)
class Tries:
    """Tries, one element each: the figure of `district` on leaf number `leaf` set to
    `value`, compared with `rival` (districts as indices into the sorted entrants)."""

    district: np.ndarray
    rival: np.ndarray
    leaf: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class Outcomes:
    """Per try, `ahead`: the district's ranking score is strictly better than the
    rival's; `behind`: the rival's is strictly better; `counts`: the tried figure still
    counts as the district's own input (not missing, not imputed)."""

    ahead: np.ndarray
    behind: np.ndarray
    counts: np.ndarray


class _LeafGroup:
    """One leaf's entered inputs for the whole group, read once."""

    def __init__(self, setup: RaceSetup, leaf: Leaf, entrants: Sequence[str]) -> None:
        self.leaf = leaf
        self.higher = setup.higher_is_better(leaf)
        self.found = [setup.figures.get((d, leaf.indicator)) for d in entrants]
        derived = derive_column(leaf.input, leaf.transform, self.found)
        self.transformed = derived.transformed
        self.has = derived.has
        self.present = np.sort(self.transformed[self.has], kind="stable")
        self.count = len(self.present)
        # Exact partial sums need finite inputs (no overflow); otherwise the slow way.
        self.finite = bool(np.isfinite(self.present).all()) and bool(
            np.abs(self.present).sum() < 1e300
        )
        # The group's inputs in a fixed order, and where each district's own one sits.
        with_input = np.flatnonzero(self.has)
        self.inputs = self.transformed[with_input]
        self.position = np.full(len(entrants), -1)
        self.position[with_input] = np.arange(len(with_input))
        self._partials = _msum(self.inputs.tolist())
        self._without: dict[int, list[float]] = {}
        # Min and max of the group without one copy of each district's own input.
        n = len(entrants)
        if self.count:
            low, high = float(self.present[0]), float(self.present[-1])
            second_low = float(self.present[1]) if self.count > 1 else math.inf
            second_high = float(self.present[-2]) if self.count > 1 else -math.inf
            t = self.transformed
            self.low_without = np.where(self.has & (t == low), second_low, low)
            self.high_without = np.where(self.has & (t == high), second_high, high)
        else:
            self.low_without = np.full(n, math.inf)
            self.high_without = np.full(n, -math.inf)

    def partials_without(self, district: int) -> list[float]:
        """Exact partial sums of the group's inputs without the district's own."""
        if district not in self._without:
            own = [-float(self.transformed[district])] if self.has[district] else []
            self._without[district] = _msum([*self._partials, *own])
        return self._without[district]


class FigureTries:
    """Scores tries of one race (see the module docstring)."""

    def __init__(self, setup: RaceSetup) -> None:
        self.setup = setup
        self.methodology = setup.methodology
        self.entrants = sorted(set(setup.entrants))
        self.index = {code: i for i, code in enumerate(self.entrants)}
        self.leaves = self.methodology.leaves
        self.base_scores: list[np.ndarray] = []
        self.base_kept: list[np.ndarray] = []
        for leaf in self.leaves:
            column = self._full_column(leaf, setup.figures)
            self.base_scores.append(column.scores)
            self.base_kept.append(column.kept)
        self._groups: dict[int, _LeafGroup] = {}
        self.highest_first = self.methodology.score.order == "highest_first"
        self.places = self.methodology.score.round

    def _full_column(self, leaf: Leaf, figures: Any) -> Any:
        return score_leaf(
            leaf,
            higher_is_better=self.setup.higher_is_better(leaf),
            entrants=self.entrants,
            figures=figures,
        )

    def _group(self, j: int) -> _LeafGroup:
        if j not in self._groups:
            self._groups[j] = _LeafGroup(self.setup, self.leaves[j], self.entrants)
        return self._groups[j]

    def outcomes(self, tries: Tries) -> Outcomes:
        """Each try's outcome, as a full run of the race with that one figure changed
        would give it."""
        count = len(tries.value)
        rows = np.empty(2 * count, dtype=int)
        rows[0::2] = tries.district
        rows[1::2] = tries.rival
        scores = {}
        kept = {}
        counts = np.ones(count, dtype=bool)
        for j, leaf in enumerate(self.leaves):
            score = self.base_scores[j][rows]
            keep = self.base_kept[j][rows]
            picked = np.flatnonzero(tries.leaf == j)
            if len(picked):
                own, own_kept, other, other_kept, own_counts = self._changed(
                    j, tries.district[picked], tries.rival[picked], tries.value[picked]
                )
                score[2 * picked] = own
                keep[2 * picked] = own_kept
                score[2 * picked + 1] = other
                keep[2 * picked + 1] = other_kept
                counts[picked] = own_counts
            scores[leaf.indicator] = score
            kept[leaf.indicator] = keep
        problems = Problems(failed=np.zeros(2 * count, dtype=bool))
        evaluated = evaluate(self.methodology.root, scores, kept, problems)
        scored = evaluated.has & ~problems.failed
        own, other = evaluated.score[0::2], evaluated.score[1::2]
        own_scored, other_scored = scored[0::2], scored[1::2]
        return Outcomes(
            ahead=self._better(own, own_scored, other, other_scored),
            behind=self._better(other, other_scored, own, own_scored),
            counts=counts,
        )

    def _better(
        self, score: np.ndarray, scored: np.ndarray, other: np.ndarray, other_scored: np.ndarray
    ) -> np.ndarray:
        """Per try, whether `score` ranks strictly better than `other` once both are
        rounded as the race rounds them (strictly_ahead of the ranking scores): no score
        never beats, and is always beaten."""
        with np.errstate(invalid="ignore", over="ignore"):
            gap = score - other if self.highest_first else other - score
        better = gap > 0
        if self.places is not None:
            # Rounding is monotone: only a positive gap can survive it.
            near = np.flatnonzero(scored & other_scored & better)
            own, rival = _rounded_pairs(score[near], other[near], self.places)
            better[near] = own > rival if self.highest_first else own < rival
        return np.where(scored, ~other_scored | better, False)

    def _changed(
        self, j: int, district: np.ndarray, rival: np.ndarray, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For tries on leaf j: the district's normalised value and kept flag, the rival's,
        and whether the district's figure still counts."""
        leaf = self.leaves[j]
        group = self._group(j)
        count = len(values)
        derived = derive_column(
            leaf.input,
            leaf.transform,
            [group.found[d] for d in district.tolist()],
            entered=values.tolist(),
        )
        tried = derived.transformed
        method = leaf.normalisation.method
        fast = derived.has & np.isfinite(tried) & group.finite
        if method not in FAST_METHODS:
            fast[:] = False
        rival_has = group.has[rival]
        if leaf.missing == "average" and method not in ("zscore", *_RANGE):
            fast &= rival_has
        own = np.zeros(count)
        own_kept = np.ones(count, dtype=bool)
        other = np.zeros(count)
        other_kept = np.ones(count, dtype=bool)
        own_counts = np.ones(count, dtype=bool)
        chosen = np.flatnonzero(fast)
        if len(chosen):
            a, b, b_kept = self._normalised(
                leaf, group, district[chosen], rival[chosen], tried[chosen]
            )
            own[chosen], other[chosen], other_kept[chosen] = a, b, b_kept
        for k in np.flatnonzero(~fast).tolist():
            d, r = int(district[k]), int(rival[k])
            column = self._full_column(leaf, self._figures_with(leaf, d, float(values[k])))
            own[k], own_kept[k] = column.scores[d], column.kept[d]
            other[k], other_kept[k] = column.scores[r], column.kept[r]
            own_counts[k] = not bool(column.missing[d])
        return own, own_kept, other, other_kept, own_counts

    def _figures_with(self, leaf: Leaf, district: int, value: float) -> dict:
        figures = self.setup.figures
        code = leaf.indicator
        changed = {(d, code): figures[(d, code)] for d in self.entrants if (d, code) in figures}
        key = (self.entrants[district], code)
        changed[key] = replace(figures[key], value=value)
        return changed

    def _normalised(
        self,
        leaf: Leaf,
        group: _LeafGroup,
        district: np.ndarray,
        rival: np.ndarray,
        tried: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(district's value, rival's value, rival kept) on the leaf, the district's input
        being `tried` (usable), by the formulas of normalisation.py and score_leaf."""
        method = leaf.normalisation.method
        higher = group.higher
        rival_has = group.has[rival]
        rival_input = np.where(rival_has, group.transformed[rival], 0.0)
        imputing = ~rival_has & (leaf.missing == "average")
        own_is_input = group.has[district]

        size = np.where(own_is_input, group.count, group.count + 1)

        def group_means() -> np.ndarray:
            """Per try, mean() of the group's inputs with the tried one in place of the
            district's own: fsum is exactly rounded, so the exact partial sums of the
            others plus the tried input give the same sum."""
            return np.array(
                [
                    math.fsum([*group.partials_without(d), t]) / n
                    for d, t, n in zip(
                        district.tolist(), tried.tolist(), size.tolist(), strict=True
                    )
                ]
            )

        imputed_value = None
        if method in _GROUP_FREE:
            normaliser = _group_free(leaf, higher)
            own_value, rival_value = normaliser(tried), normaliser(rival_input)
            if imputing.any():
                imputed_value = normaliser(group_means())
        elif method in _RANGE:
            low = np.minimum(group.low_without[district], tried)
            high = np.maximum(group.high_without[district], tried)
            flat = low == high
            span = np.where(flat, 1.0, high - low)

            def share(x: np.ndarray) -> np.ndarray:
                return (x - low) / span if higher else (high - x) / span

            def scaled(x: np.ndarray) -> np.ndarray:
                if method == "minmax":
                    return np.where(flat, 100.0, 100.0 * share(x))
                return np.where(flat, 100.0, 60.0 + 40.0 * share(x))

            own_value, rival_value = scaled(tried), scaled(rival_input)
            if imputing.any():
                imputed_value = scaled(group_means())
        else:  # zscore: sign * (x - mean) / sample_sd, as normalisation._zscore
            centre = group_means()
            sd = np.zeros(len(district))
            for inside in (True, False):
                rows = np.flatnonzero(own_is_input == inside)
                if len(rows):
                    sd[rows] = _sample_sds(
                        group, district[rows], tried[rows], centre[rows], inside=inside
                    )
            zero = sd == 0
            divisor = np.where(zero, 1.0, sd)
            sign = 1.0 if higher else -1.0

            def scaled(x: np.ndarray) -> np.ndarray:
                return np.where(zero, 0.0, sign * (x - centre) / divisor)

            own_value, rival_value = scaled(tried), scaled(rival_input)
            if imputing.any():
                imputed_value = scaled(centre)

        # Missing-value policy of a rival without an input (score_leaf's order).
        rival_kept = np.ones(len(district), dtype=bool)
        rival_cappable = rival_has.copy()
        if leaf.missing == "zero":
            rival_value = np.where(rival_has, rival_value, 0.0)
        elif leaf.missing == "average":
            assert imputed_value is not None or not imputing.any()
            if imputed_value is not None:
                rival_value = np.where(imputing, imputed_value, rival_value)
            rival_cappable = rival_has | imputing
        else:
            rival_kept = rival_has
            rival_value = np.where(rival_has, rival_value, 0.0)
        cap = leaf.cap
        own_value = _capped(own_value, np.ones(len(district), dtype=bool), cap)
        rival_value = _capped(rival_value, rival_cappable & rival_kept, cap)
        return own_value, np.where(rival_kept, rival_value, 0.0), rival_kept


# Scores whose scaled value is below this are rounded with floats (see _rounded_pairs).
_FLOAT_ROUNDING_LIMIT = 2.0**26


def _rounded_pairs(
    first: np.ndarray, second: np.ndarray, places: int
) -> tuple[np.ndarray, np.ndarray]:
    """round_half_away(x, places) of each pair of values, as counts of 10**-places where
    floats can tell, else as round_half_away's own floats (both members of a pair the
    same way, so each pair compares as the race compares them).

    The float y = x * 10**places is within 1.5 units in its last place (ulp) of the
    decimal that round_half_away rounds (the float's shortest repr, within half an ulp of
    x, times 10**places, exact up to 10**15), so wherever y's fraction is more than 4 ulp
    from a half, rounding y half away from zero gives the same count. Below 2**26 the
    floats round_half_away returns for distinct counts are distinct too (their spacing is
    far below 10**-places), so counts order the pairs as those floats do."""
    if not 0 <= places <= 15:
        exact = np.ones(len(first), dtype=bool)
        counts = [np.zeros(len(first)), np.zeros(len(first))]
    else:
        exact = np.zeros(len(first), dtype=bool)
        counts = []
        for values in (first, second):
            scaled = values * 10.0**places
            size = np.abs(scaled)
            fraction = size - np.floor(size)
            margin = 4 * np.spacing(size)
            exact |= (size >= _FLOAT_ROUNDING_LIMIT) | (np.abs(fraction - 0.5) <= margin)
            counts.append(np.sign(scaled) * np.floor(size + 0.5))
    for k in np.flatnonzero(exact).tolist():
        counts[0][k] = round_half_away(float(first[k]), places)
        counts[1][k] = round_half_away(float(second[k]), places)
    return counts[0], counts[1]


def _sample_sds(
    group: _LeafGroup,
    district: np.ndarray,
    tried: np.ndarray,
    centre: np.ndarray,
    *,
    inside: bool,
) -> np.ndarray:
    """normalisation.sample_sd of each try's group (0 where _zscore takes the SD as 0: fewer
    than two inputs, or all equal), one try a row. `inside`: the district's own input is
    in the group and the tried one takes its place; else the tried one joins it."""
    count = len(district)
    matrix = np.tile(group.inputs, (count, 1))
    if inside:
        matrix[np.arange(count), group.position[district]] = tried
    else:
        matrix = np.column_stack([matrix, tried])
    size = matrix.shape[1]
    if size < 2:
        return np.zeros(count)
    varied = matrix.min(axis=1) != matrix.max(axis=1)
    deviations = matrix - centre[:, None]
    largest = np.max(np.abs(deviations), axis=1)
    usable = varied & (largest != 0)
    scaled = deviations / np.where(usable, largest, 1.0)[:, None]
    squares = _squares(scaled)
    out = np.zeros(count)
    chosen = np.flatnonzero(usable)
    for k, row, top in zip(
        chosen.tolist(), squares[chosen].tolist(), largest[chosen].tolist(), strict=True
    ):
        out[k] = top * math.sqrt(math.fsum(row) / (size - 1))
    return out


def _python_squares(values: np.ndarray) -> np.ndarray:
    """d ** 2 with Python floats, as sample_sd squares: the C library's pow, which is not
    always the correctly rounded d * d that numpy's square gives."""
    return np.array([d**2 for d in values.ravel().tolist()]).reshape(values.shape)


@cache
def _numpy_pow_is_the_c_librarys() -> bool:
    """Whether numpy's power with an array of exponents gives Python's d ** 2 bit for bit
    (it calls the C library's pow unless numpy was built with its own SIMD pow). Checked
    on figures where pow and d * d differ, and on others."""
    rng = np.random.default_rng(0)
    values = rng.standard_normal(20_000) * rng.uniform(0, 10, 20_000)
    expected = _python_squares(values)
    if not np.any(expected != values * values):
        return False  # nothing to tell them apart by: stay with Python
    return bool(np.array_equal(np.power(values, np.full_like(values, 2.0)), expected))


def _squares(values: np.ndarray) -> np.ndarray:
    if _numpy_pow_is_the_c_librarys():
        return np.power(values, np.full_like(values, 2.0))
    return _python_squares(values)


def _msum(values: Sequence[float]) -> list[float]:
    """Non-overlapping partial sums whose exact total is the values' exact total
    (Shewchuk's algorithm, as in math.fsum); math.fsum of them plus more values is the
    exactly rounded sum of all."""
    partials: list[float] = []
    for x in values:
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            high = x + y
            low = y - (high - x)
            if low:
                partials[i] = low
                i += 1
            x = high
        partials[i:] = [x]
    return partials


def _group_free(leaf: Leaf, higher: bool) -> Any:
    """The goalposts or raw normaliser's value (after its own clamping) as a function."""
    spec = leaf.normalisation
    if spec.method == "raw":
        return (lambda x: x) if higher else (lambda x: -x)
    assert spec.min is not None and spec.max is not None and spec.scale is not None
    low, high = spec.min, spec.max
    if leaf.transform == "log":
        low, high = math.log(low), math.log(high)
    span, scale = high - low, spec.scale

    def normalise(x: np.ndarray) -> np.ndarray:
        below, above = x < low, x > high
        clamped = np.where(below, low, np.where(above, high, x))
        return ((clamped - low) if higher else (high - clamped)) / span * scale

    return normalise


def _capped(value: np.ndarray, cappable: np.ndarray, cap: Any) -> np.ndarray:
    """score_leaf's cap on the values that may be capped."""
    if cap is None:
        return value
    bounded = value
    if cap.min is not None:
        bounded = np.where(cappable & (bounded < cap.min), cap.min, bounded)
    if cap.max is not None:
        bounded = np.where(cappable & (bounded > cap.max), cap.max, bounded)
    return bounded
