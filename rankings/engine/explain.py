"""Explanations no ranking table gives, for one district of a race:

- `versus`: why it stands where it does against another district, indicator by indicator;
- `overtake` / `hold`: what change of one own figure overtakes the district just above, or
  how far one can fall before the district just below passes (overtaking.py);
- `rank_change`: whether its score moved because of its own figures, the others' or a new
  methodology (rank_change.py);
- `robustness`: how far its rank moves when the weights and normalisation are perturbed
  (robustness.py).

Every number comes from runs of the race itself; see docs/explanations.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .overtaking import RequiredChange, hold_changes, overtake_changes
from .race_setup import RaceSetup, ValidRange, amount
from .rank_change import RankChange, rank_change_parts
from .results import RaceResult, Standing
from .robustness import RankInterval, rank_intervals


class ExplanationError(ValueError):
    """The district cannot be explained as asked; `argument` names what was wrong
    ("district" or "versus")."""

    def __init__(self, argument: str, message: str) -> None:
        self.argument = argument
        super().__init__(message)


@dataclass(frozen=True)
class Versus:
    """The district's amount (score, or ln score on the log scale) minus the other's,
    split per indicator: contributions add up to the amount in both, so the differences
    of contributions add up to the difference. Largest (absolute) first."""

    district: str
    score_difference: float
    parts: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "score_difference": self.score_difference,
            "parts": dict(self.parts),
        }


@dataclass(frozen=True)
class Explanation:
    district: str
    rank: int | None
    score: float
    contribution_scale: str
    versus: Versus | None
    overtake: list[RequiredChange] | None  # None: nobody ranked above
    hold: list[RequiredChange] | None  # None: nobody ranked below
    rank_change: RankChange | None
    robustness: RankInterval | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "rank": self.rank,
            "score": self.score,
            "contribution_scale": self.contribution_scale,
            "versus": self.versus.to_dict() if self.versus is not None else None,
            "overtake": _listed(self.overtake),
            "hold": _listed(self.hold),
            "rank_change": self.rank_change.to_dict() if self.rank_change is not None else None,
            "robustness": self.robustness.to_dict() if self.robustness is not None else None,
        }


def _listed(changes: list[RequiredChange] | None) -> list[dict[str, Any]] | None:
    return None if changes is None else [change.to_dict() for change in changes]


def versus_parts(result: RaceResult, *, district: str, other: str) -> Versus:
    """Why `district` scores what it does against `other`, per indicator."""
    mine, theirs = _scored(result, district, "district"), _scored(result, other, "versus")
    scale = result.contribution_scale
    parts = {
        code: mine.contributions[code] - theirs.contributions.get(code, 0.0)
        for code in mine.contributions
    }
    return Versus(
        district=other,
        score_difference=amount(mine.score, scale) - amount(theirs.score, scale),  # type: ignore[arg-type]
        parts=dict(sorted(parts.items(), key=lambda item: -abs(item[1]))),
    )


def _scored(result: RaceResult, district: str, argument: str) -> Standing:
    try:
        standing = result.standing(district)
    except KeyError:
        raise ExplanationError(argument, f"{district!r} is not in the race") from None
    if standing.score is None:
        raise ExplanationError(argument, f"{district!r} has no score in the race")
    return standing


def neighbours(result: RaceResult, district: str) -> tuple[str | None, str | None]:
    """(the district ranked just above, just below): the nearest better and worse ranks;
    of districts tied there, the first by code. (None, None) for an unranked district."""
    rank = result.standing(district).rank
    if rank is None:
        return None, None
    ranked = [s for s in result.standings if s.rank is not None]
    better = [s for s in ranked if s.rank < rank]  # type: ignore[operator]
    worse = [s for s in ranked if s.rank > rank]  # type: ignore[operator]
    # Standings come by rank, then code: the first of the nearest better rank.
    above = next(s.district for s in better if s.rank == better[-1].rank) if better else None
    below = worse[0].district if worse else None
    return above, below


def explain_district(
    setup: RaceSetup,
    *,
    district: str,
    versus: str | None = None,
    valid_ranges: Mapping[str, ValidRange] | None = None,
    previous: RaceSetup | None = None,
    previous_period: str | None = None,
    draws: int | None = None,
    seed: int = 0,
    result: RaceResult | None = None,
) -> Explanation:
    """Everything explain tells about `district` in the race `setup` runs.

    `versus` defaults to the district just above (just below for the leader). `previous`
    is the previous period's race, for the rank change (see rank_change_parts for what its
    figures must hold); without it there is none. `draws` defaults to the methodology's.
    """
    result = result or setup.run()
    standing = _scored(result, district, "district")
    above, below = neighbours(result, district)
    other = versus if versus is not None else above or below
    if other == district:
        raise ExplanationError("versus", f"{district!r} cannot be compared with itself")
    ranges = valid_ranges or {}
    intervals = (
        rank_intervals(setup, draws=draws, seed=seed, result=result)
        if standing.rank is not None
        else {}
    )
    return Explanation(
        district=district,
        rank=standing.rank,
        score=standing.score,  # type: ignore[arg-type]
        contribution_scale=result.contribution_scale,
        versus=versus_parts(result, district=district, other=other) if other else None,
        overtake=(
            overtake_changes(setup, district=district, rival=above, valid_ranges=ranges)
            if above
            else None
        ),
        hold=(
            hold_changes(setup, district=district, rival=below, valid_ranges=ranges)
            if below
            else None
        ),
        rank_change=(
            rank_change_parts(
                district=district,
                before=previous,
                after=setup,
                previous_period=previous_period,
                after_result=result,
            )
            if previous is not None
            else None
        ),
        robustness=intervals.get(district),
    )
