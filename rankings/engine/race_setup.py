"""A race as the engine runs it for one period, kept whole so that it can be run again with
something changed: one district's figure, every district's figures, the methodology.

Explanations (explain.py, overtaking.py, rank_change.py, robustness.py) are answers to
"what if": each re-runs the race on changed inputs rather than approximating.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .inputs import Figure, IndicatorInfo
from .methodology import Leaf, Methodology
from .race import run_race
from .results import RaceResult


@dataclass(frozen=True)
class ValidRange:
    """The values an indicator's figure may take (districts.models.Indicator min_value and
    max_value, as plain numbers); either side may be open."""

    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class RaceSetup:
    """Everything run_race takes for one period."""

    methodology: Methodology
    entrants: tuple[str, ...]
    figures: Mapping[tuple[str, str], Figure]
    indicators: Mapping[str, IndicatorInfo]

    def run(self) -> RaceResult:
        return run_race(
            self.methodology,
            entrants=self.entrants,
            figures=self.figures,
            indicators=self.indicators,
        )

    def higher_is_better(self, leaf: Leaf) -> bool:
        """The leaf's direction, as run_race reads it (the leaf's own overrides the
        indicator's)."""
        direction = leaf.direction or self.indicators[leaf.indicator].direction
        return direction == "higher"


def amount(score: float, scale: str) -> float:
    """What contributions add up to: the score, or its natural log on the "log" scale."""
    return math.log(score) if scale == "log" else score
