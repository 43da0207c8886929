"""run_race: from a methodology and entered figures to ranked, explained standings."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .aggregation import (
    GEOMETRIC,
    Attribution,
    Evaluated,
    NonPositiveInGeometricMean,
    Problems,
    attribute,
    coverage,
    effective_weights,
    evaluate,
)
from .collection import cycle_collection_paused
from .inputs import Figure, IndicatorInfo, PreviousStanding
from .leaves import LeafColumn, figures_read, score_leaf
from .methodology import DIRECTIONS, Dimension, Leaf, Methodology, iter_leaves
from .ranking import Entry, assign_flags, competition_ranks, movement, round_half_away
from .reasons import DeferredReasons, movement_reasons
from .results import (
    DimensionResult,
    IndicatorColumns,
    IndicatorResults,
    RaceResult,
    Reason,
    Standing,
    StandingReasons,
)

# Coverage is a float sum of weight shares; 0.6 may come out as 0.59999999999.
COVERAGE_TOLERANCE = 1e-9


def _directions(
    methodology: Methodology,
    indicators: Mapping[str, IndicatorInfo],
) -> dict[str, bool]:
    """Indicator code -> higher is better; the leaf's own direction overrides the indicator's."""
    unknown = [
        leaf.indicator
        for leaf in methodology.leaves
        if leaf.direction is None and leaf.indicator not in indicators
    ]
    if unknown:
        raise ValueError(f"no IndicatorInfo (so no direction) for: {', '.join(unknown)}")
    directions = {}
    for leaf in methodology.leaves:
        direction = leaf.direction or indicators[leaf.indicator].direction
        if direction not in DIRECTIONS:
            raise ValueError(f"indicator {leaf.indicator!r}: unknown direction {direction!r}")
        directions[leaf.indicator] = direction == "higher"
    return directions


def _unranked_reasons(
    methodology: Methodology,
    problem: NonPositiveInGeometricMean | None,
    eligible: bool,
    covered: float,
) -> list[Reason]:
    if problem is not None:
        leaves = set(methodology.indicator_codes)
        return [
            Reason(
                "non_positive_in_geometric_mean",
                {
                    "node": problem.node,
                    "child": child,
                    "value": value,
                    "indicator": child if child in leaves else None,
                },
            )
            for child, value in problem.children
        ]
    if not eligible:
        return [
            Reason(
                "unranked_coverage",
                {"coverage": covered, "threshold": methodology.score.min_coverage},
            )
        ]
    return []


def run_race(
    methodology: Methodology,
    *,
    entrants: Sequence[str],
    figures: Mapping[tuple[str, str], Figure],
    indicators: Mapping[str, IndicatorInfo],
    previous: Mapping[str, PreviousStanding] | None = None,
) -> RaceResult:
    """Score, rank and explain the entrants.

    figures are keyed (district code, indicator code); figures of non-entrants are ignored.
    The result depends only on the content of the arguments, never on their order.
    """
    with cycle_collection_paused():
        return _run_race(
            methodology,
            entrants=entrants,
            figures=figures,
            indicators=indicators,
            previous=previous,
        )


def _run_race(
    methodology: Methodology,
    *,
    entrants: Sequence[str],
    figures: Mapping[tuple[str, str], Figure],
    indicators: Mapping[str, IndicatorInfo],
    previous: Mapping[str, PreviousStanding] | None,
) -> RaceResult:
    districts = sorted(set(entrants))
    n = len(districts)
    leaves: tuple[Leaf, ...] = methodology.leaves
    codes = methodology.indicator_codes
    higher = _directions(methodology, indicators)
    read = figures_read(districts, [leaf.indicator for leaf in leaves], figures)
    columns = [
        score_leaf(
            leaf,
            higher_is_better=higher[leaf.indicator],
            entrants=districts,
            figures=figures,
            read=read[j],
        )
        for j, leaf in enumerate(leaves)
    ]
    input_averages = {column.leaf.indicator: column.input_average for column in columns}

    # Every district at once: scores, coverage, weights and contributions per node.
    root = methodology.root
    problems = Problems(failed=np.zeros(n, dtype=bool))
    evaluated = evaluate(
        root,
        {column.leaf.indicator: column.scores for column in columns},
        {column.leaf.indicator: column.kept for column in columns},
        problems,
    )
    covered = coverage(root, {c.leaf.indicator: ~c.missing for c in columns}).tolist()
    scored = evaluated.has & ~problems.failed
    is_scored = scored.tolist()
    scores = [s if k else None for s, k in zip(evaluated.score.tolist(), is_scored, strict=True)]
    weights = effective_weights(evaluated)
    attribution = attribute(evaluated, scored)
    contribution_matrix = np.column_stack([attribution.leaves[code] for code in codes])
    everything_kept = np.logical_and.reduce([c.kept for c in columns]).tolist() if codes else []
    contributions = [
        _contributions(evaluated, i, codes, row, everything_kept[i]) if k else {}
        for i, (row, k) in enumerate(zip(contribution_matrix.tolist(), is_scored, strict=True))
    ]
    dimensions = _dimensions(methodology, evaluated, attribution, is_scored)

    rule = methodology.score
    places = rule.round
    ranking_scores = [
        round_half_away(score, places) if score is not None and places is not None else score
        for score in scores
    ]
    threshold = rule.min_coverage
    eligible = [
        score is not None and (threshold is None or cover + COVERAGE_TOLERANCE >= threshold)
        for score, cover in zip(scores, covered, strict=True)
    ]
    breaking = [columns[codes.index(code)] for code in rule.tie_break]
    entries = [
        Entry(
            district=districts[i],
            ranking_score=ranking_scores[i],  # type: ignore[arg-type]
            tie_break=tuple(column.normalised[i] for column in breaking),
        )
        for i in range(n)
        if eligible[i]
    ]
    placed = {
        p.district: p
        for p in competition_ranks(entries, highest_first=rule.order == "highest_first")
    }
    flags = assign_flags({d: p.rank for d, p in placed.items()}, methodology.flags)
    ranked = [i for i in range(n) if districts[i] in placed]
    group_average: dict[str, float] = {}
    if ranked:
        group_average = {
            code: math.fsum(column[ranked].tolist()) / len(ranked)
            for code, column in zip(codes, contribution_matrix.T, strict=True)
        }
    scale = "log" if methodology.score.aggregation == GEOMETRIC else "score"

    deferred = DeferredReasons(
        columns,
        contribution_matrix,
        list(group_average.values()),
        [i for i in range(n) if is_scored[i] and codes] if group_average else [],
        rule.reasons,
    )
    ranks = [placed[d].rank if d in placed else None for d in districts]
    moving: list[Reason | None] = (
        movement_reasons(
            ranks,
            [previous.get(d) for d in districts],
            contributions,
            contribution_matrix,
            codes,
            rule.reasons,
        )
        if previous is not None
        else [None] * n
    )
    indicator_columns = _indicator_columns(columns, weights, contribution_matrix, is_scored)
    standings = []
    for i, district in enumerate(districts):
        place = placed.get(district)
        rank = place.rank if place is not None else None
        before = previous.get(district) if previous is not None else None
        rank_change, moved = movement(rank, before.rank if before is not None else None)
        reasons = _unranked_reasons(methodology, problems.found.get(i), eligible[i], covered[i])
        if moving[i] is not None:
            reasons.append(moving[i])
        standings.append(
            Standing(
                district=district,
                score=scores[i],
                ranking_score=ranking_scores[i],
                rank=rank,
                tied=place.tied if place is not None else False,
                flags=flags.get(district, ()),
                rank_change=rank_change,
                movement=moved,
                coverage=covered[i],
                indicators=IndicatorResults(indicator_columns, i),
                dimensions=dimensions[i],
                contributions=contributions[i],
                contribution_scale=scale,
                reasons=StandingReasons(tuple(reasons), deferred.after, i),
            )
        )
    standings.sort(key=lambda st: (st.rank is None, st.rank or 0, st.district))
    return RaceResult(
        methodology=methodology.code,
        contribution_scale=scale,
        standings=tuple(standings),
        group_average_contributions=group_average,
        group_average_inputs=input_averages,
    )


def _rows(by_code: Mapping[str, np.ndarray], codes: Sequence[str], n: int) -> list[list[Any]]:
    """Per district, the values of each code (in the order of `codes`)."""
    if not codes:
        return [[] for _ in range(n)]
    return np.column_stack([by_code[code] for code in codes]).tolist()


def _contributions(
    evaluated: Evaluated, district: int, codes: Sequence[str], row: list[float], complete: bool
) -> dict[str, float]:
    """Contributions in the order attribution has always listed them: tree order, except
    that within a node the leaves of dropped children come before those of the others."""
    by_code = dict(zip(codes, row, strict=True))
    if complete:
        return by_code
    order: list[str] = []

    def visit(node: Evaluated) -> None:
        if isinstance(node.node, Leaf):
            order.append(node.node.indicator)
            return
        present = []
        for child in node.children:
            if child.has[district]:
                present.append(child)
            else:
                order.extend(leaf.indicator for leaf in iter_leaves((child.node,)))
        for child in present:
            visit(child)

    visit(evaluated)
    return {code: by_code[code] for code in order}


def _dimensions(
    methodology: Methodology,
    evaluated: Evaluated,
    attribution: Attribution,
    is_scored: Sequence[bool],
) -> list[dict[str, DimensionResult]]:
    """Per district, each dimension's score and contribution (None without a score)."""
    codes = methodology.dimension_codes
    found: dict[str, Evaluated] = {}

    def walk(node: Evaluated) -> None:
        if isinstance(node.node, Dimension):
            found[node.node.code] = node
            for child in node.children:
                walk(child)

    walk(evaluated)
    n = len(is_scored)
    scores = _rows({c: found[c].score for c in codes}, codes, n)
    present = _rows({c: found[c].has for c in codes}, codes, n)
    amounts = _rows(attribution.dimensions, codes, n)
    return [
        {
            code: DimensionResult(score=score if has else None, contribution=amount)
            for code, score, has, amount in zip(codes, score_row, has_row, amount_row, strict=True)
        }
        if k
        else {code: DimensionResult(score=None, contribution=None) for code in codes}
        for k, score_row, has_row, amount_row in zip(
            is_scored, scores, present, amounts, strict=True
        )
    ]


def _indicator_columns(
    columns: Sequence[LeafColumn],
    weights: Mapping[str, np.ndarray],
    contributions: np.ndarray,
    is_scored: Sequence[bool],
) -> IndicatorColumns:
    """Every district's indicator results, kept a list per leaf and field (the results
    themselves are built when a standing's are read)."""
    unscored = [i for i, k in enumerate(is_scored) if not k]
    by_leaf = []
    for j, column in enumerate(columns):
        given: list[float | None] = contributions[:, j].tolist()
        for i in unscored:
            given[i] = None
        by_leaf.append(
            (
                column.values,
                column.inputs,
                column.normalised,
                weights[column.leaf.indicator].tolist(),
                given,
                column.ranks,
                column.imputed.tolist(),
                column.capped.tolist(),
                column.missing.tolist(),
                column.refs,
            )
        )
    return IndicatorColumns([column.leaf.indicator for column in columns], by_leaf)
