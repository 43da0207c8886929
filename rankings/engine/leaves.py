"""One leaf across all districts: input, normalisation, missing-value policy and cap.

A leaf has to be processed for the whole group at once because normalisation and
imputation use group statistics; it is, as numpy arrays with one element per district.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product, repeat
from typing import Any

import numpy as np

from .inputs import Figure, derive_column, floats
from .methodology import Cap, Leaf
from .normalisation import competition_ranks, make_normaliser, mean


@dataclass(frozen=True)
class LeafColumn:
    """What one leaf gives each district (lists and arrays in the order of the entrants),
    plus the group figures reasons cite.

    `normalised[i]` is the value aggregated into the score, or None when the leaf is
    dropped for district i (policy "reweight"); `scores` and `kept` hold the same as an
    array and a mask. `policies[i]` is the missing-value policy actually applied (None when
    the input was present and normalisable), `causes[i]` why the input is missing or
    unusable. `noted` lists the districts whose figure needs a data note (not loggable,
    missing, capped).
    """

    leaf: Leaf
    values: list[Any]  # the entered figures
    # Derived inputs (growth %, completion %, ...); None when they cannot be computed. A
    # non-positive input under transform "log" is kept here for citing but counts as missing.
    inputs: list[float | None]
    normalised: list[float | None]
    scores: np.ndarray
    kept: np.ndarray
    missing: np.ndarray  # a policy was applied
    imputed: np.ndarray  # the policy "average"
    capped: np.ndarray  # capped_by is set
    ranks: list[int | None]  # among districts with an input, best first
    policies: list[str | None]
    causes: list[str | None]
    # The group mean put in place of a missing input (policy "average"): under transform
    # "log" the mean is taken of the logs, so this is the geometric mean of the inputs.
    imputed_input: float | None
    unclamped: list[float | None]  # normalised value before capping, when capped
    capped_by: list[str | None]  # "cap", or the method that clamped: "goalposts", "target_ratio"
    refs: Sequence[dict[str, Any] | None]  # FigureRefs
    input_average: float | None  # mean input of the districts that have one
    noted: list[int]


class FigureRefs(Sequence[dict[str, Any] | None]):
    """Each district's citation (its figure's `ref`, None without a figure), read from the
    figure when asked: a national race reads only the few cited in reasons or shown, and
    touching all 113,760 figures again was a sixth of scoring the leaves."""

    __slots__ = ("_figures",)

    def __init__(self, figures: Sequence[Figure | None]) -> None:
        self._figures = figures

    def __len__(self) -> int:
        return len(self._figures)

    def __getitem__(self, district: int) -> dict[str, Any] | None:  # type: ignore[override]
        figure = self._figures[district]
        return figure.ref if figure is not None else None


def _apply_cap(
    value: np.ndarray, clamped: np.ndarray, unclamped: np.ndarray, cap: Cap | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(value, unclamped, method_clamped, capped) after the leaf's cap; keeps the method's
    own clamping, whose unclamped value wins."""
    capped = np.zeros(len(value), dtype=bool)
    if cap is not None:
        bounded = value
        if cap.min is not None:
            bounded = np.where(bounded < cap.min, cap.min, bounded)
        if cap.max is not None:
            bounded = np.where(bounded > cap.max, cap.max, bounded)
        capped = bounded != value
        unclamped = np.where(capped & ~clamped, value, unclamped)
        value = bounded
    return value, unclamped, clamped & ~capped, capped


def figures_read(
    entrants: Sequence[str], codes: Sequence[str], figures: Mapping[tuple[str, str], Figure]
) -> list[tuple[list[Figure | None], list[Any]]]:
    """Per code, each entrant's figure (None without one) and its value, as `score_leaf`
    reads them.

    Read a district at a time, in the order figures are usually entered, rather than an
    indicator at a time: the same 113,760 look-ups of a national race then walk the
    figures in memory order, two to three times faster."""
    count = len(codes)
    if not count:
        return []
    found = list(map(figures.get, product(entrants, codes)))
    entered = [f.value if f is not None else None for f in found]
    return [(found[j::count], entered[j::count]) for j in range(count)]


def score_leaf(
    leaf: Leaf,
    *,
    higher_is_better: bool,
    entrants: Sequence[str],
    figures: Mapping[tuple[str, str], Figure],
    read: tuple[list[Figure | None], list[Any]] | None = None,
) -> LeafColumn:
    """Outcomes of one leaf; `entrants` must be sorted so that results do not depend on order.

    `read`, when given, is what `figures_read` gave for the leaf's indicator."""
    code, n = leaf.indicator, len(entrants)
    if read is None:
        found = list(map(figures.get, zip(entrants, repeat(code))))
        entered = [f.value if f is not None else None for f in found]
    else:
        found, entered = read
    derived = derive_column(leaf.input, leaf.transform, found, entered)
    has = derived.has
    with_input = np.flatnonzero(has)
    xs = derived.transformed[with_input]
    # Stable, so that equal values (0.0 and -0.0) keep the order sorted() gave them.
    present = np.sort(xs, kind="stable")
    shown = [derived.shown[i] for i in with_input.tolist()]
    input_average = mean(shown) if shown else None
    method = leaf.normalisation.method
    normaliser = (
        make_normaliser(
            leaf.normalisation,
            higher_is_better=higher_is_better,
            transform=leaf.transform,
            present=present,
        )
        if len(present)
        else None
    )
    targets = (
        floats([f.target if f is not None else None for f in found])
        if method == "target_ratio"
        else np.full(n, math.nan)
    )

    values = np.zeros(n)  # normalised, where kept
    clamped = np.zeros(n, dtype=bool)  # by the method's own bounds
    unclamped = np.zeros(n)  # where clamped
    kept = np.zeros(n, dtype=bool)  # not dropped
    cappable = np.zeros(n, dtype=bool)  # normalised or imputed (a zero is never capped)
    policies: list[str | None] = [None] * n
    causes = list(derived.causes)
    ranks: list[int | None] = [None] * n
    usable = np.zeros(0)
    if normaliser is not None:
        for i, rank in zip(
            with_input.tolist(),
            competition_ranks(xs, present, higher_is_better).tolist(),
            strict=True,
        ):
            ranks[i] = rank
        own = normaliser(xs, targets[with_input])
        fine = ~own.failed
        scored = with_input[fine]
        values[scored] = own.value[fine]
        clamped[scored] = own.clamped[fine]
        unclamped[scored] = own.unclamped[fine]
        kept[scored] = cappable[scored] = True
        usable = own.value[fine]
        if own.causes is not None:
            for i, cause in zip(with_input.tolist(), own.causes, strict=True):
                if cause is not None:
                    causes[i] = cause

    lacking = np.flatnonzero(~kept)
    imputed_input = None
    imputed = np.zeros(n, dtype=bool)
    if leaf.missing == "zero":
        # The district scores nothing here: no cap, a missing figure must not earn points.
        kept[lacking] = True
        for i in lacking.tolist():
            policies[i] = "zero"
    elif leaf.missing == "average" and normaliser is not None and len(lacking):
        group_mean = mean(present.tolist())
        imputed_input = math.exp(group_mean) if leaf.transform == "log" else group_mean
        scaled = normaliser(np.full(len(lacking), group_mean), targets[lacking])
        imputed_values, take = scaled.value, np.ones(len(lacking), dtype=bool)
        if scaled.failed.any():
            # The method needs something the district lacks (its own target): use the
            # group's mean normalised value instead; with none, the leaf is dropped.
            if len(usable):
                imputed_values = np.where(scaled.failed, mean(usable.tolist()), imputed_values)
            else:
                take = ~scaled.failed
        rows = lacking[take]
        values[rows] = imputed_values[take]
        clamped[rows] = scaled.clamped[take] & ~scaled.failed[take]
        unclamped[rows] = scaled.unclamped[take]
        kept[rows] = cappable[rows] = imputed[rows] = True
        for i in rows.tolist():
            policies[i] = "average"
    for i in np.flatnonzero(~kept).tolist():
        policies[i] = "reweight"  # "reweight", or nothing to impute from: drop the leaf

    capped = np.zeros(n, dtype=bool)
    if leaf.cap is not None:
        bounded = values
        if leaf.cap.min is not None:
            bounded = np.where(cappable & (bounded < leaf.cap.min), leaf.cap.min, bounded)
        if leaf.cap.max is not None:
            bounded = np.where(cappable & (bounded > leaf.cap.max), leaf.cap.max, bounded)
        capped = bounded != values
        # The method's own unclamped value wins over the value before the cap.
        unclamped = np.where(capped & ~clamped, values, unclamped)
        values = bounded
    capped_by: list[str | None] = [None] * n
    unclamped_list: list[float | None] = [None] * n
    for i in np.flatnonzero(clamped | capped).tolist():
        capped_by[i] = "cap" if capped[i] else method
        unclamped_list[i] = float(unclamped[i])

    normalised: list[float | None] = values.tolist()
    for i in np.flatnonzero(~kept).tolist():
        normalised[i] = None
    # Every district that lacks a normalised value of its own gets a policy; a non-loggable
    # input is one of them.
    missing = np.ones(n, dtype=bool)
    if normaliser is not None:
        missing[scored] = False
    noted = np.flatnonzero(missing | clamped | capped).tolist()
    return LeafColumn(
        leaf=leaf,
        values=entered,
        inputs=derived.shown,
        normalised=normalised,
        scores=np.where(kept, values, 0.0),
        kept=kept,
        missing=missing,
        imputed=imputed,
        capped=clamped | capped,
        ranks=ranks,
        policies=policies,
        causes=causes,
        imputed_input=imputed_input,
        unclamped=unclamped_list,
        capped_by=capped_by,
        refs=FigureRefs(found),  # shared, never mutated
        input_average=input_average,
        noted=noted,
    )
