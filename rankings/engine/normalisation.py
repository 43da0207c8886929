"""Normalisation methods: turn a leaf's inputs into comparable, direction-adjusted scores.

Group statistics (mean, SD, min, max, leader) come from the districts that have an input;
the resulting normaliser is then applied to present and imputed inputs alike. Every method
gives a higher score for a better input, whichever way the indicator points.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .inputs import Figure
from .methodology import Normalisation


@dataclass(frozen=True)
class Scaled:
    """A normalised value. `value` is None when this district cannot be normalised
    (target_ratio without a target; `cause` says why). `unclamped` is set when the method's
    own bounds (goalposts, target_ratio floor/cap) clamped the value."""

    value: float | None
    unclamped: float | None = None
    cause: str | None = None


Normaliser = Callable[[float, Figure | None], Scaled]


def mean(values: Sequence[float]) -> float:
    # fsum is exactly rounded, so the result does not depend on the order of the entrants.
    return math.fsum(values) / len(values)


def sample_sd(values: Sequence[float]) -> float:
    """SD with n - 1; deviations are scaled by the largest so squares cannot overflow or
    underflow to 0 (which would divide by zero for distinct but tiny values)."""
    centre = mean(values)
    deviations = [x - centre for x in values]
    largest = max(abs(d) for d in deviations)
    if largest == 0:
        return 0.0
    spread = math.fsum((d / largest) ** 2 for d in deviations) / (len(values) - 1)
    return largest * math.sqrt(spread)


def competition_rank(x: float, ordered: Sequence[float], higher_is_better: bool) -> int:
    """1 + the number of values in `ordered` (sorted ascending) strictly better than x."""
    if higher_is_better:
        return 1 + len(ordered) - bisect_right(ordered, x)
    return 1 + bisect_left(ordered, x)


def _clamp(x: float, low: float | None, high: float | None) -> float:
    if low is not None and x < low:
        return low
    if high is not None and x > high:
        return high
    return x


def make_normaliser(
    spec: Normalisation, *, higher_is_better: bool, transform: str, present: Sequence[float]
) -> Normaliser:
    """A normaliser for one leaf; `present` are the transformed inputs, sorted ascending."""
    builder = _BUILDERS[spec.method]
    return builder(spec, higher_is_better, transform, present)


def _zscore(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    # All-equal values are checked directly: their fsum-based SD can be a tiny non-zero.
    sd = sample_sd(present) if len(present) >= 2 and present[0] != present[-1] else 0.0
    if sd == 0:
        return lambda x, figure: Scaled(0.0)
    centre = mean(present)
    sign = 1.0 if higher else -1.0
    return lambda x, figure: Scaled(sign * (x - centre) / sd)


def _share_of_range(present: Sequence[float], higher: bool) -> Callable[[float], float] | None:
    """Position of x between the group's worst (0) and best (1); None if all are equal."""
    low, high = present[0], present[-1]
    if low == high:
        return None
    span = high - low
    if higher:
        return lambda x: (x - low) / span
    return lambda x: (high - x) / span


def _minmax(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    share = _share_of_range(present, higher)
    if share is None:
        return lambda x, figure: Scaled(100.0)
    return lambda x, figure: Scaled(100.0 * share(x))


def _efficacy(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    # 功效系数法: the worst gets 60 ("pass"), the best 100.
    share = _share_of_range(present, higher)
    if share is None:
        return lambda x, figure: Scaled(100.0)
    return lambda x, figure: Scaled(60.0 + 40.0 * share(x))


def _goalposts(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    assert spec.min is not None and spec.max is not None and spec.scale is not None
    low, high = spec.min, spec.max
    if transform == "log":  # the goalposts live on the same scale as the inputs
        low, high = math.log(low), math.log(high)
    span, scale = high - low, spec.scale

    def scaled(x: float) -> float:
        return ((x - low) if higher else (high - x)) / span * scale

    def normalise(x: float, figure: Figure | None) -> Scaled:
        clamped = _clamp(x, low, high)
        if clamped != x:
            return Scaled(scaled(clamped), unclamped=scaled(x))
        return Scaled(scaled(x))

    return normalise


def _rank_points(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    assert spec.points is not None
    points = spec.points
    if spec.mode == "proportional":
        best = present[-1] if higher else present[0]

        def proportional(x: float, figure: Figure | None) -> Scaled:
            if x == best:
                return Scaled(points)
            numerator, denominator = (x, best) if higher else (best, x)
            # An undefined share (leader at 0, or a zero value under lower-is-better) scores 0.
            return Scaled(points * numerator / denominator if denominator else 0.0)

        return proportional
    assert spec.step is not None
    step = spec.step
    return lambda x, figure: Scaled(points - step * (competition_rank(x, present, higher) - 1))


def _target_ratio(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    assert spec.scale is not None
    scale, floor, cap = spec.scale, spec.floor, spec.cap

    def normalise(x: float, figure: Figure | None) -> Scaled:
        target = spec.target if spec.target is not None else (figure.target if figure else None)
        if target is None or not math.isfinite(target) or target == 0:
            return Scaled(None, cause="no_target")
        if transform == "log":
            if target <= 0:
                return Scaled(None, cause="no_target")
            target = math.log(target)
        if not higher and x == 0:
            return Scaled(None, cause="zero_input")
        ratio = (x / target if higher else target / x) * scale
        clamped = _clamp(ratio, floor, cap)
        return Scaled(clamped, unclamped=ratio if clamped != ratio else None)

    return normalise


def _raw(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: Sequence[float],
) -> Normaliser:
    if higher:
        return lambda x, figure: Scaled(x)
    return lambda x, figure: Scaled(-x)


_BUILDERS: dict[str, Callable[[Normalisation, bool, str, Sequence[float]], Normaliser]] = {
    "zscore": _zscore,
    "minmax": _minmax,
    "goalposts": _goalposts,
    "efficacy": _efficacy,
    "rank_points": _rank_points,
    "target_ratio": _target_ratio,
    "raw": _raw,
}
