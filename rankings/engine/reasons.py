"""Structured reasons: why a district stands where it does, and what its data lacked.

Every reason about an indicator cites the figure behind it (ref, entered value, input,
normalised value, indicator rank, group average) so a reader can check it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .inputs import PreviousStanding
from .leaves import LeafOutcome
from .methodology import Leaf
from .results import Reason

# Gaps this small are float noise (identical districts differ by ~1e-16), not strengths.
RELATIVE_TOLERANCE = 1e-9


def _negligible(gap: float, *magnitudes: float) -> bool:
    return abs(gap) <= RELATIVE_TOLERANCE * max(1.0, *(abs(m) for m in magnitudes))


def cite(leaf: Leaf, outcome: LeafOutcome, input_average: float | None) -> dict[str, Any]:
    return {
        "indicator": leaf.indicator,
        # Which input the rank and points were computed from (value, growth, progress...).
        "input_kind": leaf.input,
        "value": outcome.value,
        "input": outcome.input,
        "normalised": outcome.normalised,
        "rank": outcome.rank,
        "input_average": input_average,
        "ref": outcome.ref,
    }


def data_reasons(
    leaves: Sequence[Leaf],
    outcomes: Mapping[str, LeafOutcome],
    input_averages: Mapping[str, float | None],
) -> list[Reason]:
    """Missing, imputed, dropped, unloggable and capped figures, in tree order."""
    reasons: list[Reason] = []
    for leaf in leaves:
        code = leaf.indicator
        outcome = outcomes[code]
        cited = cite(leaf, outcome, input_averages[code])
        if outcome.cause == "not_loggable":
            reasons.append(Reason("not_loggable", cited))
        if outcome.policy is not None:
            kind = {"zero": "missing_zero", "average": "imputed", "reweight": "reweighted"}
            params = {**cited, "cause": outcome.cause, "policy": leaf.missing}
            if outcome.policy == "average":
                params["imputed_input"] = outcome.imputed_input
            reasons.append(Reason(kind[outcome.policy], params))
        if outcome.capped:
            reasons.append(
                Reason(
                    "capped",
                    {
                        **cited,
                        "raw": outcome.unclamped,
                        "capped": outcome.normalised,
                        "by": outcome.capped_by,
                    },
                )
            )
    return reasons


def strengths_and_weaknesses(
    leaves: Sequence[Leaf],
    contributions: Mapping[str, float],
    group_average: Mapping[str, float],
    outcomes: Mapping[str, LeafOutcome],
    input_averages: Mapping[str, float | None],
    count: int,
) -> list[Reason]:
    """The `count` indicators furthest above and below the ranked districts' average."""
    gaps = []
    for order, leaf in enumerate(leaves):
        code = leaf.indicator
        if code not in contributions or code not in group_average:
            continue
        gap = contributions[code] - group_average[code]
        if not _negligible(gap, contributions[code], group_average[code]):
            gaps.append((gap, order, leaf))
    strengths = sorted((g for g in gaps if g[0] > 0), key=lambda g: (-g[0], g[1]))[:count]
    weaknesses = sorted((g for g in gaps if g[0] < 0), key=lambda g: (g[0], g[1]))[:count]
    reasons = []
    for kind, chosen in (("strength", strengths), ("weakness", weaknesses)):
        for gap, _, leaf in chosen:
            code = leaf.indicator
            reasons.append(
                Reason(
                    kind,
                    {
                        **cite(leaf, outcomes[code], input_averages[code]),
                        "contribution": contributions[code],
                        "group_average": group_average[code],
                        "gap": gap,
                    },
                )
            )
    return reasons


def movement_reason(
    rank: int | None,
    previous: PreviousStanding | None,
    contributions: Mapping[str, float],
    leaves: Sequence[Leaf],
    count: int,
) -> Reason | None:
    """`rank_change` with its drivers, or `new` for a district without a previous rank.

    Only called when the caller supplied previous standings; an unranked district gets no
    movement reason (its unranked reason says enough).
    """
    if rank is None:
        return None
    if previous is None or previous.rank is None:
        return Reason("new", {"rank": rank, "previously_unranked": previous is not None})
    change = previous.rank - rank
    deltas = []
    for order, leaf in enumerate(leaves):
        code = leaf.indicator
        if code in contributions and code in previous.contributions:
            delta = contributions[code] - previous.contributions[code]
            # Drivers pushed the way the rank moved: up -> gains, down -> losses.
            if change != 0 and delta * change > 0 and not _negligible(delta, contributions[code]):
                deltas.append((abs(delta), order, code, delta))
    deltas.sort(key=lambda d: (-d[0], d[1]))
    drivers = [{"indicator": code, "delta": delta} for _, _, code, delta in deltas[:count]]
    return Reason(
        "rank_change",
        {"previous_rank": previous.rank, "rank": rank, "change": change, "drivers": drivers},
    )
