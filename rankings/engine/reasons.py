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
    reasons: list[list[Reason]] = [[] for _ in range(districts)]
    kind = {"zero": "missing_zero", "average": "imputed", "reweight": "reweighted"}
    for column in columns:
        cite_district = _citer(column)
        causes, policies, capped_by = column.causes, column.policies, column.capped_by
        missing_policy, imputed_input = column.leaf.missing, column.imputed_input
        for district in column.noted:
            found = reasons[district]
            cause = causes[district]
            if cause == "not_loggable":
                found.append(Reason("not_loggable", cite_district(district)))
            policy = policies[district]
            if policy is not None:
                params = cite_district(district)
                params["cause"] = cause
                params["policy"] = missing_policy
                if policy == "average":
                    params["imputed_input"] = imputed_input
                found.append(Reason(kind[policy], params))
            by = capped_by[district]
            if by is not None:
                params = cite_district(district)
                params["raw"] = column.unclamped[district]
                params["capped"] = column.normalised[district]
                params["by"] = by
                found.append(Reason("capped", params))
    return reasons


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
    found: dict[int, list[Reason]] = {district: [] for district in districts}
    if count == 0 or not districts:
        return found
    rows = np.asarray(districts)
    mine = contributions[rows]
    average = np.asarray(group_average, dtype=float)
    gaps = mine - average
    magnitude = np.maximum(1.0, np.maximum(np.abs(mine), np.abs(average)))
    noticeable = ~(np.abs(gaps) <= RELATIVE_TOLERANCE * magnitude)
    above = np.where(noticeable & (gaps > 0), -gaps, np.inf)
    below = np.where(noticeable & (gaps < 0), gaps, np.inf)
    contribution_rows = mine.tolist()
    cited = [
        (
            column.leaf.indicator,
            column.leaf.input,
            column.values,
            column.inputs,
            column.normalised,
            column.ranks,
            column.input_average,
            column.refs,
        )
        for column in columns
    ]
    for kind, keys in (("strength", above), ("weakness", below)):
        order = np.argsort(keys, axis=1, kind="stable")[:, :count]
        chosen = np.take_along_axis(keys, order, axis=1) != np.inf
        for row, (leaves, valid) in enumerate(zip(order.tolist(), chosen.tolist(), strict=True)):
            district = districts[row]
            contribution_row, reasons = contribution_rows[row], found[district]
            for leaf, keep in zip(leaves, valid, strict=True):
                if not keep:
                    break
                contribution = contribution_row[leaf]
                average = group_average[leaf]
                indicator, input_kind, values, inputs, normalised, ranks, input_average, refs = (
                    cited[leaf]
                )
                # `cite` and the three figures of the comparison, as one dict literal (the
                # same keys in the same order): 17,000 of them in a national race.
                params = {
                    "indicator": indicator,
                    "input_kind": input_kind,
                    "value": values[district],
                    "input": inputs[district],
                    "normalised": normalised[district],
                    "rank": ranks[district],
                    "input_average": input_average,
                    "ref": refs[district],
                    "contribution": contribution,
                    "group_average": average,
                    "gap": contribution - average,
                }
                reasons.append(Reason(kind, params))
    return found


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
