"""One leaf across all districts: input, normalisation, missing-value policy and cap.

A leaf has to be processed for the whole group at once because normalisation and
imputation use group statistics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .inputs import Figure, derive
from .methodology import Cap, Leaf
from .normalisation import Normaliser, Scaled, competition_rank, make_normaliser, mean


@dataclass(frozen=True)
class LeafOutcome:
    """What one leaf gives one district.

    `normalised` is the value aggregated into the score, or None when the leaf is dropped
    for this district (policy "reweight"). `policy` is the missing-value policy actually
    applied (None when the input was present and normalisable).
    """

    value: float | None  # the entered figure
    # Derived input (growth %, completion %, ...); None when it cannot be computed. A
    # non-positive input under transform "log" is kept here for citing but counts as missing.
    input: float | None
    normalised: float | None
    rank: int | None  # among districts with an input, best first
    policy: str | None = None
    cause: str | None = None  # why the input is missing / unusable
    # The group mean put in its place (policy "average"), as an input: under transform "log"
    # the mean is taken of the logs, so this is the geometric mean of the inputs.
    imputed_input: float | None = None
    unclamped: float | None = None  # normalised value before capping, when capped
    capped_by: str | None = None  # "cap", or the method that clamped: "goalposts", "target_ratio"
    ref: dict[str, Any] | None = None

    @property
    def missing(self) -> bool:
        return self.policy is not None

    @property
    def imputed(self) -> bool:
        return self.policy == "average"

    @property
    def capped(self) -> bool:
        return self.capped_by is not None


@dataclass(frozen=True)
class LeafColumn:
    """A leaf's outcomes for every district, plus the group figures reasons cite."""

    outcomes: dict[str, LeafOutcome]
    input_average: float | None  # mean input of the districts that have one


def _apply_cap(
    scaled: Scaled, cap: Cap | None, method: str
) -> tuple[float, float | None, str | None]:
    """(value, unclamped, capped_by) after the leaf's cap; keeps the method's own clamping."""
    assert scaled.value is not None
    value = scaled.value
    unclamped, capped_by = scaled.unclamped, (method if scaled.unclamped is not None else None)
    if cap is not None:
        bounded = value
        if cap.min is not None and bounded < cap.min:
            bounded = cap.min
        if cap.max is not None and bounded > cap.max:
            bounded = cap.max
        if bounded != value:
            unclamped = value if unclamped is None else unclamped
            value, capped_by = bounded, "cap"
    return value, unclamped, capped_by


def score_leaf(
    leaf: Leaf,
    *,
    higher_is_better: bool,
    entrants: Sequence[str],
    figures: Mapping[tuple[str, str], Figure],
) -> LeafColumn:
    """Outcomes of one leaf; `entrants` must be sorted so that results do not depend on order."""
    code = leaf.indicator
    found = {district: figures.get((district, code)) for district in entrants}
    derived = {
        district: derive(leaf.input, leaf.transform, found[district]) for district in entrants
    }
    present = sorted(d.transformed for d in derived.values() if d.transformed is not None)
    shown_inputs = [
        d.value for d in derived.values() if d.transformed is not None and d.value is not None
    ]
    input_average = mean(shown_inputs) if shown_inputs else None
    normaliser = (
        make_normaliser(
            leaf.normalisation,
            higher_is_better=higher_is_better,
            transform=leaf.transform,
            present=present,
        )
        if present
        else None
    )

    scaled: dict[str, Scaled] = {}
    for district in entrants:
        transformed = derived[district].transformed
        if transformed is not None and normaliser is not None:
            scaled[district] = normaliser(transformed, found[district])
    usable = [s.value for s in scaled.values() if s.value is not None]

    outcomes: dict[str, LeafOutcome] = {}
    for district in entrants:
        item, figure = derived[district], found[district]
        common: dict[str, Any] = {
            "value": figure.value if figure is not None else None,
            "input": item.value,
            "rank": (
                competition_rank(item.transformed, present, higher_is_better)
                if item.transformed is not None
                else None
            ),
            "ref": dict(figure.ref) if figure is not None and figure.ref is not None else None,
        }
        own = scaled.get(district)
        if own is not None and own.value is not None:
            value, unclamped, capped_by = _apply_cap(own, leaf.cap, leaf.normalisation.method)
            outcomes[district] = LeafOutcome(
                normalised=value, unclamped=unclamped, capped_by=capped_by, **common
            )
            continue
        cause = own.cause if own is not None else item.cause
        outcomes[district] = _fill_missing(leaf, figure, cause, common, present, usable, normaliser)
    return LeafColumn(outcomes=outcomes, input_average=input_average)


def _fill_missing(
    leaf: Leaf,
    figure: Figure | None,
    cause: str | None,
    common: dict[str, Any],
    present: Sequence[float],
    usable: Sequence[float],
    normaliser: Normaliser | None,
) -> LeafOutcome:
    if leaf.missing == "zero":
        # The district scores nothing here: no cap, a missing figure must not earn points.
        return LeafOutcome(normalised=0.0, policy="zero", cause=cause, **common)
    if leaf.missing == "average" and normaliser is not None:
        imputed = mean(present)
        scaled: Scaled | None = normaliser(imputed, figure)
        if scaled is not None and scaled.value is None:
            # The method needs something the district lacks (its own target): use the
            # group's mean normalised value instead.
            scaled = Scaled(mean(usable)) if usable else None
        if scaled is not None:
            value, unclamped, capped_by = _apply_cap(scaled, leaf.cap, leaf.normalisation.method)
            return LeafOutcome(
                normalised=value,
                policy="average",
                cause=cause,
                imputed_input=math.exp(imputed) if leaf.transform == "log" else imputed,
                unclamped=unclamped,
                capped_by=capped_by,
                **common,
            )
    # "reweight", or nothing to impute from: drop the leaf for this district.
    return LeafOutcome(normalised=None, policy="reweight", cause=cause, **common)
