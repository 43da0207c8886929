"""Each indicator's figures as entered, ranked across a race's standings.

The district page shows, beside each of a district's figures, its rank in the group on the
value as entered, the group's average and the best district. Working that out when the page
is read means decoding every standing of the race (58 MB of JSON for a national race of
2,844 districts × 40 indicators, seconds per page); it is worked out once instead, when the
standings are built, and stored with them. The ranks are the engine's competition ranks
("1224", equal values share the better rank), computed with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rankings.engine import Standing as EngineStanding

LOWER = "lower"  # districts.models.Direction.LOWER, kept here so this module needs no models

# One standing as this module reads it: its district's code and its indicator details by
# code (dicts with "value", "missing" and "ref", as stored).
Details = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class EnteredValues:
    """``ranks[i, j]`` / ``tied[i, j]``: the competition rank (0 when the figure is missing)
    and tie of district ``i``'s figure on indicator ``j`` among the figures as entered;
    ``summary`` is what the publication keeps."""

    districts: dict[str, int]
    codes: dict[str, int]
    ranks: np.ndarray
    tied: np.ndarray
    summary: dict[str, Any]

    def rank_of(self, district: str, code: str) -> tuple[int | None, bool]:
        i, j = self.districts.get(district), self.codes.get(code)
        if i is None or j is None or not self.ranks[i, j]:
            return None, False
        return int(self.ranks[i, j]), bool(self.tied[i, j])


def entered_figure(details: Mapping[str, Any]) -> float | None:
    """The figure as entered (not the imputed stand-in for a missing one)."""
    if details.get("missing") or details.get("value") is None:
        return None
    return float(details["value"])


def entered_values_ranked(
    standings: Sequence[tuple[str, Details]], directions: Mapping[str, str]
) -> EnteredValues:
    """Rank every indicator's entered values across ``standings``: (district code, indicator
    details by code) in race order.

    ``summary`` is ``{"standings": n, "indicators": {code: {"average", "best", "best_value"}}}``
    with ``best`` the codes of the districts ranked first, in race order, and ``best_value``
    the first one's figure as entered.
    """
    codes = list(dict.fromkeys(code for _, details in standings for code in details))
    figures = np.array(
        [
            [
                math.nan if (f := entered_figure(details.get(code) or {})) is None else f
                for code in codes
            ]
            for _, details in standings
        ],
        dtype=float,
    ).reshape(len(standings), len(codes))
    ranks = np.zeros(figures.shape, dtype=np.int64)
    tied = np.zeros(figures.shape, dtype=bool)
    indicators: dict[str, Any] = {}
    for j, code in enumerate(codes):
        present = np.flatnonzero(~np.isnan(figures[:, j]))
        values = figures[present, j]
        if not len(values):
            indicators[code] = {"average": None, "best": [], "best_value": None}
            continue
        ordered = np.sort(values)
        left = np.searchsorted(ordered, values, side="left")
        right = np.searchsorted(ordered, values, side="right")
        # Competition rank: one more than the number of strictly better values.
        better = left if directions.get(code) == LOWER else len(values) - right
        ranks[present, j] = better + 1
        tied[present, j] = (right - left) > 1
        best = present[better == 0].tolist()
        first_ref = standings[best[0]][1][code].get("ref") or {}
        indicators[code] = {
            # statistics.fmean's exact sum, as the pages computed it before.
            "average": math.fsum(values.tolist()) / len(values),
            "best": [standings[i][0] for i in best],
            "best_value": first_ref.get("value"),
        }
    return EnteredValues(
        districts={district: i for i, (district, _) in enumerate(standings)},
        codes={code: j for j, code in enumerate(codes)},
        ranks=ranks,
        tied=tied,
        summary={"standings": len(standings), "indicators": indicators},
    )


def engine_standings_details(standings: Sequence[EngineStanding]) -> list[tuple[str, Details]]:
    """The engine's standings as ``entered_values_ranked`` reads them."""
    return [
        (standing.district, {code: r._asdict() for code, r in standing.indicators.items()})
        for standing in standings
    ]


def indicator_details(standing: EngineStanding, entered: EnteredValues) -> dict[str, Any]:
    """A standing's indicator details as stored: the engine's, plus the rank and tie of
    the entered value (``value_rank`` None when the figure is missing)."""
    details = {}
    for code, result in standing.indicators.items():
        rank, tied = entered.rank_of(standing.district, code)
        details[code] = {**result.to_dict(), "value_rank": rank, "value_tied": tied}
    return details
