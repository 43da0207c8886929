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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rankings.engine import Standing as EngineStanding
from rankings.engine.results import IndicatorColumns, IndicatorResult, IndicatorResults

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
    return _ranked(
        figures,
        [district for district, _ in standings],
        codes,
        lambda i, code: (standings[i][1][code].get("ref") or {}).get("value"),
        directions,
    )


def _ranked(
    figures: np.ndarray,
    districts: Sequence[str],
    codes: Sequence[str],
    value_as_cited: Callable[[int, str], Any],
    directions: Mapping[str, str],
) -> EnteredValues:
    """``figures[i, j]``: district ``i``'s figure as entered on ``codes[j]`` (NaN when
    missing); ``value_as_cited(i, code)`` its figure as its citation gives it."""
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
        indicators[code] = {
            # statistics.fmean's exact sum, as the pages computed it before.
            "average": math.fsum(values.tolist()) / len(values),
            "best": [districts[i] for i in best],
            "best_value": value_as_cited(best[0], code),
        }
    return EnteredValues(
        districts={district: i for i, district in enumerate(districts)},
        codes={code: j for j, code in enumerate(codes)},
        ranks=ranks,
        tied=tied,
        summary={"standings": len(districts), "indicators": indicators},
    )


def engine_entered_values(
    standings: Sequence[EngineStanding], directions: Mapping[str, str]
) -> EnteredValues:
    """``entered_values_ranked`` of the engine's standings (in race order)."""
    shared = _shared_columns(standings)
    if shared is None:
        return entered_values_ranked(engine_standings_details(standings), directions)
    columns, order = shared
    figures = np.empty((len(order), len(columns.codes)), dtype=float)
    for j, fields in enumerate(columns.fields):
        values, missing = fields[_VALUE], fields[_MISSING]
        figures[:, j] = [
            math.nan if missing[i] or values[i] is None else float(values[i]) for i in order
        ]
    refs = [fields[_REF] for fields in columns.fields]
    return _ranked(
        figures,
        [standing.district for standing in standings],
        columns.codes,
        lambda i, code: (refs[columns.index[code]][order[i]] or {}).get("value"),
        directions,
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


def indicators_details(
    standings: Sequence[EngineStanding], entered: EnteredValues
) -> Iterator[dict[str, Any]]:
    """``indicator_details`` of every standing (in race order), equal to it item by item.

    When the standings read one race's shared columns (as the engine builds them) each
    leaf's rows are zipped from those columns once: a national race has 113,760 details,
    and building each district's results first, then a dict from each, was a second and a
    half of publishing it.
    """
    shared = _shared_columns(standings)
    if shared is None:
        yield from (indicator_details(standing, entered) for standing in standings)
        return
    columns, order = shared
    keys = (*IndicatorResult._fields, "value_rank", "value_tied")
    positions = [entered.districts.get(standing.district) for standing in standings]
    rows_by_leaf = []
    for code, fields in zip(columns.codes, columns.fields, strict=True):
        # The entered rank and tie at each column index (None / False: missing).
        rank: list[int | None] = [None] * len(fields[0])
        tied = [False] * len(fields[0])
        j = entered.codes.get(code)
        if j is not None:
            ranks, ties = entered.ranks[:, j].tolist(), entered.tied[:, j].tolist()
            for index, i in zip(order, positions, strict=True):
                if i is not None and ranks[i]:
                    rank[index], tied[index] = ranks[i], ties[i]
        rows_by_leaf.append(list(zip(*fields, rank, tied, strict=True)))
    codes = columns.codes
    for index in order:
        yield {
            code: dict(zip(keys, rows[index], strict=True))
            for code, rows in zip(codes, rows_by_leaf, strict=True)
        }


# Positions of IndicatorResult's fields in a leaf's columns.
_VALUE = IndicatorResult._fields.index("value")
_MISSING = IndicatorResult._fields.index("missing")
_REF = IndicatorResult._fields.index("ref")


def _shared_columns(
    standings: Sequence[EngineStanding],
) -> tuple[IndicatorColumns, list[int]] | None:
    """The columns every standing's indicator results read, with each standing's index in
    them; None when they do not all read the same columns (standings made by hand)."""
    columns = None
    order = []
    for standing in standings:
        results = standing.indicators
        if not isinstance(results, IndicatorResults):
            return None
        if columns is None:
            columns = results.columns
        elif results.columns is not columns:
            return None
        order.append(results.district)
    if columns is None:
        return None
    return columns, order
