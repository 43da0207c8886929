"""Each indicator's figures as entered, ranked across a race's standings.

The district page shows, beside each of a district's figures, its rank in the group on the
value as entered, the group's average and the best district. Working that out when the page
is read means decoding every standing of the race (58 MB of JSON for a national race of
2,844 districts × 40 indicators, seconds per page); it is worked out once instead, when the
standings are built, and stored with them. The ranks are the engine's competition ranks
("1224", equal values share the better rank), computed with numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

import numpy as np

from rankings.engine import Standing as EngineStanding

LOWER = "lower"  # districts.models.Direction.LOWER, kept here so this module needs no models


@dataclass(frozen=True)
class EnteredValues:
    """Per (district, indicator): (rank, tied) among the entered values; per indicator, the
    summary the publication keeps."""

    ranks: dict[tuple[str, str], tuple[int, bool]]
    summary: dict[str, Any]


def entered_figure(details: Mapping[str, Any]) -> float | None:
    """The figure as entered (not the imputed stand-in for a missing one)."""
    if details.get("missing") or details.get("value") is None:
        return None
    return float(details["value"])


def entered_values_ranked(
    standings: Sequence[tuple[str, Mapping[str, Mapping[str, Any]]]],
    directions: Mapping[str, str],
) -> EnteredValues:
    """Rank every indicator's entered values across ``standings``: (district code, indicator
    details by code) in race order.

    ``summary`` is ``{"standings": n, "indicators": {code: {"average", "best", "best_value"}}}``
    with ``best`` the codes of the districts ranked first, in race order, and ``best_value``
    the first one's figure as entered.
    """
    codes = list(dict.fromkeys(code for _, details in standings for code in details))
    ranks: dict[tuple[str, str], tuple[int, bool]] = {}
    indicators: dict[str, Any] = {}
    for code in codes:
        entered = [
            (district, details[code], figure)
            for district, details in standings
            if code in details and (figure := entered_figure(details[code])) is not None
        ]
        if not entered:
            indicators[code] = {"average": None, "best": [], "best_value": None}
            continue
        values = np.array([figure for *_, figure in entered])
        ordered = np.sort(values)
        left = np.searchsorted(ordered, values, side="left")
        right = np.searchsorted(ordered, values, side="right")
        # Competition rank: one more than the number of strictly better values.
        better = left if directions.get(code) == LOWER else len(values) - right
        shared = (right - left) > 1
        best = []
        for (district, result, _), rank, tied in zip(
            entered, (better + 1).tolist(), shared.tolist(), strict=True
        ):
            ranks[district, code] = (rank, tied)
            if rank == 1:
                best.append((district, result))
        indicators[code] = {
            "average": fmean(figure for *_, figure in entered),
            "best": [district for district, _ in best],
            "best_value": (best[0][1].get("ref") or {}).get("value"),
        }
    return EnteredValues(ranks, {"standings": len(standings), "indicators": indicators})


def engine_standings_details(
    standings: Sequence[EngineStanding],
) -> list[tuple[str, Mapping[str, Mapping[str, Any]]]]:
    """The engine's standings as ``entered_values_ranked`` reads them."""
    return [
        (standing.district, {code: r.to_dict() for code, r in standing.indicators.items()})
        for standing in standings
    ]


def indicator_details(
    standing: EngineStanding, ranks: Mapping[tuple[str, str], tuple[int, bool]]
) -> dict[str, dict[str, Any]]:
    """A standing's indicator details as stored: the engine's, plus the rank and tie of
    the entered value (``value_rank`` None when the figure is missing)."""
    details = {}
    for code, result in standing.indicators.items():
        rank, tied = ranks.get((standing.district, code), (None, False))
        details[code] = {**result.to_dict(), "value_rank": rank, "value_tied": tied}
    return details
