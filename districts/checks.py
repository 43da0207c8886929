"""Soft checks: figures that may be right but need a word of explanation before submission.

Two checks, as statistics offices run them on returns:

- the change against the previous period, or the same period last year, beyond the
  indicator's own threshold (``Indicator.change_threshold``, in %);
- a robust z-score against the group's figures for the same indicator and period above 3.5,
  with the median and the median absolute deviation (MAD) scaled by 1.4826, following
  Iglewicz and Hoaglin, "How to Detect and Handle Outliers" (1993).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

ROBUST_Z_LIMIT = 3.5
MAD_SCALE = 1.4826  # makes the MAD estimate the standard deviation of normal data


@dataclass(frozen=True)
class Warning:
    """One reason a figure needs a justification; ``kind`` is change | outlier."""

    kind: str
    compared_with: str  # "previous" | "last_year" | "group"
    figure: float
    reference: float  # the earlier figure, or the group median
    measure: float  # the change in %, or the robust z-score


def change_percent(figure: float, earlier: float) -> float | None:
    """The change from ``earlier`` to ``figure`` in % of the earlier figure's size."""
    if earlier == 0:
        return None
    return (figure - earlier) / abs(earlier) * 100


def change_warnings(
    *,
    figure: float,
    previous: float | None,
    last_year: float | None,
    threshold: Decimal | float | None,
) -> list[Warning]:
    if threshold is None:
        return []
    limit = float(threshold)
    warnings = []
    for compared_with, earlier in (("previous", previous), ("last_year", last_year)):
        if earlier is None:
            continue
        change = change_percent(figure, earlier)
        if change is not None and abs(change) > limit:
            warnings.append(Warning("change", compared_with, figure, earlier, change))
    return warnings


def robust_z_scores(figures: Mapping[str, float]) -> dict[str, float]:
    """Each figure's distance from the median in scaled MADs (empty when the MAD is 0)."""
    if len(figures) < 3:
        return {}
    centre = median(figures.values())
    mad = median(abs(x - centre) for x in figures.values()) * MAD_SCALE
    if mad == 0:
        return {}
    return {key: (x - centre) / mad for key, x in figures.items()}


def outlier_warnings(figures: Mapping[str, float]) -> dict[str, Warning]:
    """The figures of a group more than 3.5 robust z-scores from its median, by key."""
    if not figures:
        return {}
    centre = median(figures.values())
    return {
        key: Warning("outlier", "group", figures[key], centre, z)
        for key, z in robust_z_scores(figures).items()
        if abs(z) > ROBUST_Z_LIMIT
    }


def needs_justification(warnings: Iterable[Warning], justification: str) -> bool:
    return any(True for _ in warnings) and not justification.strip()
