"""Normalisation methods: turn a leaf's inputs into comparable, direction-adjusted scores.

Group statistics (mean, SD, min, max, leader) come from the districts that have an input;
the resulting normaliser is then applied to present and imputed inputs alike. Every method
gives a higher score for a better input, whichever way the indicator points.

Normalisers work on numpy arrays, one element per district. Each element is computed with
the same IEEE operations, in the same order, as the scalar formula written beside it, so
results are bit for bit those of plain Python floats; logarithms and squares are taken
with Python's math and `**` (numpy's may differ from the C library in the last bit), and
sums with math.fsum (exactly rounded, so independent of order).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .methodology import Normalisation


@dataclass(frozen=True)
class Scaled:
    """Normalised values of some districts.

    `value[i]` is meaningless where `failed[i]`: that district cannot be normalised
    (target_ratio without a target; `causes[i]` says why). `clamped[i]` is set when the
    method's own bounds (goalposts, target_ratio floor/cap) clamped the value, whose
    unclamped value is then `unclamped[i]`.
    """

    value: np.ndarray
    clamped: np.ndarray
    unclamped: np.ndarray
    failed: np.ndarray
    causes: tuple[str | None, ...] | None = None


# inputs (transformed), the figures' own targets (nan where none) -> Scaled
Normaliser = Callable[[np.ndarray, np.ndarray], Scaled]


def _plain(value: np.ndarray) -> Scaled:
    no = np.zeros(len(value), dtype=bool)
    return Scaled(value=value, clamped=no, unclamped=value, failed=no)


def mean(values: Sequence[float]) -> float:
    # fsum is exactly rounded, so the result does not depend on the order of the entrants.
    return math.fsum(values) / len(values)


def sample_sd(values: np.ndarray) -> float:
    """SD with n - 1; deviations are scaled by the largest so squares cannot overflow or
    underflow to 0 (which would divide by zero for distinct but tiny values)."""
    centre = mean(values.tolist())
    deviations = values - centre
    largest = float(np.max(np.abs(deviations)))
    if largest == 0:
        return 0.0
    spread = math.fsum([d**2 for d in (deviations / largest).tolist()]) / (len(values) - 1)
    return largest * math.sqrt(spread)


def competition_ranks(x: np.ndarray, ordered: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """1 + the number of values in `ordered` (sorted ascending) strictly better than x."""
    if higher_is_better:
        return 1 + len(ordered) - np.searchsorted(ordered, x, side="right")
    return 1 + np.searchsorted(ordered, x, side="left")


def _clamp(x: np.ndarray, low: float | None, high: float | None) -> tuple[np.ndarray, np.ndarray]:
    """(min(max(x, low), high), where that changed x); either bound may be open."""
    below = x < low if low is not None else np.zeros(len(x), dtype=bool)
    above = x > high if high is not None else np.zeros(len(x), dtype=bool)
    clamped = np.where(below, low, np.where(above, high, x)) if below.any() or above.any() else x
    return clamped, below | above


def make_normaliser(
    spec: Normalisation, *, higher_is_better: bool, transform: str, present: np.ndarray
) -> Normaliser:
    """A normaliser for one leaf; `present` are the transformed inputs, sorted ascending."""
    builder = _BUILDERS[spec.method]
    return builder(spec, higher_is_better, transform, present)


def _zscore(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: np.ndarray,
) -> Normaliser:
    # All-equal values are checked directly: their fsum-based SD can be a tiny non-zero.
    sd = sample_sd(present) if len(present) >= 2 and present[0] != present[-1] else 0.0
    if sd == 0:
        return lambda x, targets: _plain(np.zeros(len(x)))
    centre = mean(present.tolist())
    sign = 1.0 if higher else -1.0
    # sign * (x - centre) / sd
    return lambda x, targets: _plain(sign * (x - centre) / sd)


def _share_of_range(present: np.ndarray, higher: bool) -> Callable[[np.ndarray], np.ndarray] | None:
    """Position of x between the group's worst (0) and best (1); None if all are equal."""
    low, high = float(present[0]), float(present[-1])
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
    present: np.ndarray,
) -> Normaliser:
    share = _share_of_range(present, higher)
    if share is None:
        return lambda x, targets: _plain(np.full(len(x), 100.0))
    return lambda x, targets: _plain(100.0 * share(x))


def _efficacy(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: np.ndarray,
) -> Normaliser:
    # 功效系数法: the worst gets 60 ("pass"), the best 100.
    share = _share_of_range(present, higher)
    if share is None:
        return lambda x, targets: _plain(np.full(len(x), 100.0))
    return lambda x, targets: _plain(60.0 + 40.0 * share(x))


def _goalposts(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: np.ndarray,
) -> Normaliser:
    assert spec.min is not None and spec.max is not None and spec.scale is not None
    low, high = spec.min, spec.max
    if transform == "log":  # the goalposts live on the same scale as the inputs
        low, high = math.log(low), math.log(high)
    span, scale = high - low, spec.scale

    def scaled(x: np.ndarray) -> np.ndarray:
        return ((x - low) if higher else (high - x)) / span * scale

    def normalise(x: np.ndarray, targets: np.ndarray) -> Scaled:
        clamped, changed = _clamp(x, low, high)
        return Scaled(
            value=scaled(clamped),
            clamped=changed,
            unclamped=scaled(x),
            failed=np.zeros(len(x), dtype=bool),
        )

    return normalise


def _rank_points(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: np.ndarray,
) -> Normaliser:
    assert spec.points is not None
    points = spec.points
    if spec.mode == "proportional":
        best = float(present[-1] if higher else present[0])

        def proportional(x: np.ndarray, targets: np.ndarray) -> Scaled:
            numerator, denominator = (x, best) if higher else (best, x)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = points * numerator / denominator
            # An undefined share (leader at 0, or a zero value under lower-is-better) scores 0.
            return _plain(np.where(x == best, points, np.where(denominator != 0, ratio, 0.0)))

        return proportional
    assert spec.step is not None
    step = spec.step
    return lambda x, targets: _plain(
        points - step * (competition_ranks(x, present, higher) - 1).astype(float)
    )


def _target_ratio(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: np.ndarray,
) -> Normaliser:
    assert spec.scale is not None
    scale, floor, cap = spec.scale, spec.floor, spec.cap

    def normalise(x: np.ndarray, targets: np.ndarray) -> Scaled:
        if spec.target is not None:
            targets = np.full(len(x), spec.target)
        causes: list[str | None] = [None] * len(x)
        no_target = ~np.isfinite(targets) | (targets == 0)
        if transform == "log":
            # A ratio of logs needs a target whose log can divide or be divided: not one at
            # or below 0, and not 1 (ln 1 = 0), which used to raise ZeroDivisionError and
            # stop the whole race over one district's target.
            no_target |= (targets <= 0) | (targets == 1)
            targets = np.array(
                [
                    math.log(t) if not missing else 1.0
                    for t, missing in zip(targets.tolist(), no_target.tolist(), strict=True)
                ]
            )
        zero_input = ~no_target & (x == 0) if not higher else np.zeros(len(x), dtype=bool)
        failed = no_target | zero_input
        for i in np.flatnonzero(failed).tolist():
            causes[i] = "no_target" if no_target[i] else "zero_input"
        usable = ~failed
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (x / targets if higher else targets / x) * scale
        ratio = np.where(usable, ratio, 0.0)
        clamped, changed = _clamp(ratio, floor, cap)
        return Scaled(
            value=clamped,
            clamped=changed & usable,
            unclamped=ratio,
            failed=failed,
            causes=tuple(causes),
        )

    return normalise


def _raw(
    spec: Normalisation,
    higher: bool,
    transform: str,
    present: np.ndarray,
) -> Normaliser:
    if higher:
        return lambda x, targets: _plain(x)
    return lambda x, targets: _plain(-x)


_BUILDERS: dict[str, Callable[[Normalisation, bool, str, np.ndarray], Normaliser]] = {
    "zscore": _zscore,
    "minmax": _minmax,
    "goalposts": _goalposts,
    "efficacy": _efficacy,
    "rank_points": _rank_points,
    "target_ratio": _target_ratio,
    "raw": _raw,
}
