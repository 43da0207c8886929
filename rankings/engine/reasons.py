"""Structured reasons: why a district stands where it does, and what its data lacked.

Every reason about an indicator cites the figure behind it (ref, entered value, input,
normalised value, indicator rank, group average) so a reader can check it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import Any

import numpy as np

from .inputs import PreviousStanding
from .leaves import LeafColumn
from .results import Reason

# Gaps this small are float noise (identical districts differ by ~1e-16), not strengths.
RELATIVE_TOLERANCE = 1e-9


def cite(column: LeafColumn, district: int) -> dict[str, Any]:
    """The figure behind a reason about one leaf, for the district at that index."""
    return _citer(column)(district)


def _citer(column: LeafColumn) -> Callable[[int], dict[str, Any]]:
    """`cite` for one leaf, its lists looked up once: a national race cites some 40,000
    figures."""
    leaf = column.leaf
    indicator, input_kind, input_average = leaf.indicator, leaf.input, column.input_average
    values, inputs, normalised = column.values, column.inputs, column.normalised
    ranks, refs = column.ranks, column.refs

    def cite_district(district: int) -> dict[str, Any]:
        return {
            "indicator": indicator,
            # Which input the rank and points were computed from (value, growth, progress...).
            "input_kind": input_kind,
            "value": values[district],
            "input": inputs[district],
            "normalised": normalised[district],
            "rank": ranks[district],
            "input_average": input_average,
            "ref": refs[district],
        }

    return cite_district


def data_reasons(columns: Sequence[LeafColumn], districts: int) -> list[list[Reason]]:
    """Per district: missing, imputed, dropped, unloggable and capped figures, in tree order."""
    deferred = DeferredReasons(columns, np.zeros((districts, 0)), [], [], 0)
    return [deferred.notes(district) for district in range(districts)]


def strengths_and_weaknesses(
    columns: Sequence[LeafColumn],
    contributions: np.ndarray,
    group_average: Sequence[float],
    districts: Sequence[int],
    count: int,
) -> dict[int, list[Reason]]:
    """The `count` indicators furthest above and below the ranked districts' average.

    `contributions` has a row per district and a column per leaf; only the rows of
    `districts` (those with a score) are read. Ties go to the leaf first in tree order.
    """
    deferred = DeferredReasons(columns, contributions, group_average, districts, count)
    return {district: deferred.merits(district) for district in districts}


class DeferredReasons:
    """A race's strengths, weaknesses and data notes: chosen for every district at once,
    written out as Reasons for one district when its standing's reasons are read.

    A national race has some 40,000 of them (each a Reason and a dict of ten or more
    entries), about half of its time, while most readers read a few standings'.
    `districts` are the rows of `contributions` with a score (the only ones given
    strengths and weaknesses).
    """

    def __init__(
        self,
        columns: Sequence[LeafColumn],
        contributions: np.ndarray,
        group_average: Sequence[float],
        districts: Sequence[int],
        count: int,
    ) -> None:
        self._columns = columns
        self._citers = [_citer(column) for column in columns]
        noted: list[list[int]] = [[] for _ in range(len(contributions))]
        for leaf, column in enumerate(columns):
            for district in column.noted:
                noted[district].append(leaf)
        self._noted = noted
        self._contributions = contributions
        self._group_average = list(group_average)
        self._rows = {district: row for row, district in enumerate(districts)}
        self._choices: list[tuple[str, np.ndarray, np.ndarray]] = []
        if count == 0 or not len(districts):
            return
        mine = contributions[np.asarray(districts)]
        average = np.asarray(group_average, dtype=float)
        gaps = mine - average
        magnitude = np.maximum(1.0, np.maximum(np.abs(mine), np.abs(average)))
        noticeable = ~(np.abs(gaps) <= RELATIVE_TOLERANCE * magnitude)
        above = np.where(noticeable & (gaps > 0), -gaps, np.inf)
        below = np.where(noticeable & (gaps < 0), gaps, np.inf)
        for kind, keys in (("strength", above), ("weakness", below)):
            order = np.argsort(keys, axis=1, kind="stable")[:, :count]
            chosen = np.take_along_axis(keys, order, axis=1) != np.inf
            self._choices.append((kind, order, chosen))

    def after(self, district: int) -> list[Reason]:
        """What follows a standing's own reasons: strengths, weaknesses, then data notes."""
        return self.merits(district) + self.notes(district)

    def merits(self, district: int) -> list[Reason]:
        """The district's strengths, then its weaknesses (none without a score)."""
        row = self._rows.get(district)
        if row is None or not self._choices:
            return []
        reasons = []
        contribution_row = self._contributions[district].tolist()
        for kind, order, chosen in self._choices:
            for leaf, keep in zip(order[row].tolist(), chosen[row].tolist(), strict=True):
                if not keep:
                    break
                contribution = contribution_row[leaf]
                average = self._group_average[leaf]
                params = self._citers[leaf](district)
                params["contribution"] = contribution
                params["group_average"] = average
                params["gap"] = contribution - average
                reasons.append(Reason(kind, params))
        return reasons

    def notes(self, district: int) -> list[Reason]:
        """Missing, imputed, dropped, unloggable and capped figures, in tree order."""
        found: list[Reason] = []
        for leaf in self._noted[district]:
            column, cite_district = self._columns[leaf], self._citers[leaf]
            cause = column.causes[district]
            if cause == "not_loggable":
                found.append(Reason("not_loggable", cite_district(district)))
            policy = column.policies[district]
            if policy is not None:
                params = cite_district(district)
                params["cause"] = cause
                params["policy"] = column.leaf.missing
                if policy == "average":
                    params["imputed_input"] = column.imputed_input
                found.append(Reason(_POLICY_REASONS[policy], params))
            by = column.capped_by[district]
            if by is not None:
                params = cite_district(district)
                params["raw"] = column.unclamped[district]
                params["capped"] = column.normalised[district]
                params["by"] = by
                found.append(Reason("capped", params))
        return found


_POLICY_REASONS = {"zero": "missing_zero", "average": "imputed", "reweight": "reweighted"}


def movement_reasons(
    ranks: Sequence[int | None],
    previous: Sequence[PreviousStanding | None],
    contributions: Sequence[Mapping[str, float]],
    matrix: np.ndarray,
    codes: Sequence[str],
    count: int,
) -> list[Reason | None]:
    """Per district, `rank_change` with its drivers, or `new` without a previous rank.

    Only called when the caller supplied previous standings; an unranked district gets no
    movement reason (its unranked reason says enough). `matrix` holds `contributions` as
    a row per district and a column per leaf.
    """
    found: list[Reason | None] = [None] * len(ranks)
    moved: list[tuple[int, int]] = []
    for district, (rank, before) in enumerate(zip(ranks, previous, strict=True)):
        if rank is None:
            continue
        if before is None or before.rank is None:
            found[district] = Reason(
                "new", {"rank": rank, "previously_unranked": before is not None}
            )
        elif before.rank != rank and count > 0:
            moved.append((district, before.rank - rank))
        else:
            found[district] = _rank_change(rank, before, [])
    if not moved or not codes:
        for district, _ in moved:
            found[district] = _rank_change(ranks[district], previous[district], [])  # type: ignore[arg-type]
        return found
    rows = [district for district, _ in moved]
    mine = matrix[rows]
    # Indicators absent from the previous contributions are not compared (nan never drives).
    theirs = np.array(
        [list(map(previous[d].contributions.get, codes, repeat(math.nan))) for d in rows],  # type: ignore[union-attr]
        dtype=float,
    )
    change = np.array([c for _, c in moved], dtype=float)[:, None]
    deltas = mine - theirs
    # Drivers pushed the way the rank moved: up -> gains, down -> losses.
    pushed = (deltas * change > 0) & ~(
        np.abs(deltas) <= RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(mine))
    )
    # Largest moves first; equal moves in tree order.
    order = np.argsort(np.where(pushed, -np.abs(deltas), np.inf), axis=1, kind="stable")
    for row, (district, _) in enumerate(moved):
        before = previous[district]
        assert before is not None
        drivers = [
            {
                "indicator": codes[leaf],
                "delta": contributions[district][codes[leaf]] - before.contributions[codes[leaf]],
            }
            for leaf in order[row, :count].tolist()
            if pushed[row, leaf]
        ]
        found[district] = _rank_change(ranks[district], before, drivers)  # type: ignore[arg-type]
    return found


def _rank_change(rank: int, before: PreviousStanding, drivers: list[dict[str, Any]]) -> Reason:
    assert before.rank is not None
    return Reason(
        "rank_change",
        {
            "previous_rank": before.rank,
            "rank": rank,
            "change": before.rank - rank,
            "drivers": drivers,
        },
    )
