"""run_race: from a methodology and entered figures to ranked, explained standings."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .aggregation import (
    GEOMETRIC,
    Evaluated,
    NonPositiveInGeometricMean,
    attribute,
    coverage,
    dimension_scores,
    effective_weights,
    evaluate,
)
from .inputs import Figure, IndicatorInfo, PreviousStanding
from .leaves import LeafColumn, LeafOutcome, score_leaf
from .methodology import DIRECTIONS, Dimension, Leaf, Methodology
from .ranking import Entry, assign_flags, competition_ranks, movement, round_half_away
from .reasons import data_reasons, movement_reason, strengths_and_weaknesses
from .results import DimensionResult, IndicatorResult, RaceResult, Reason, Standing

# Coverage is a float sum of weight shares; 0.6 may come out as 0.59999999999.
COVERAGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class _Scored:
    """One district before ranking."""

    district: str
    outcomes: dict[str, LeafOutcome]
    coverage: float
    score: float | None
    ranking_score: float | None
    weights: dict[str, float]
    contributions: dict[str, float]
    dimensions: dict[str, DimensionResult]
    eligible: bool
    problem: NonPositiveInGeometricMean | None


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


def _score_district(
    methodology: Methodology, root: Dimension, district: str, columns: Mapping[str, LeafColumn]
) -> _Scored:
    outcomes = {code: column.outcomes[district] for code, column in columns.items()}
    values = {code: outcome.normalised for code, outcome in outcomes.items()}
    covered = coverage(root, {code: not outcome.missing for code, outcome in outcomes.items()})
    problem = None
    try:
        evaluated: Evaluated | None = evaluate(root, values)
    except NonPositiveInGeometricMean as error:
        evaluated, problem = None, error
    score = evaluated.score if evaluated is not None else None
    if evaluated is None:
        # Weights depend only on which leaves are dropped, so any positive stand-in works.
        evaluated_shape = evaluate(root, {c: None if v is None else 1.0 for c, v in values.items()})
        weights = effective_weights(evaluated_shape)
    else:
        weights = effective_weights(evaluated)
    contributions: dict[str, float] = {}
    dimensions: dict[str, DimensionResult] = {}
    if evaluated is not None and score is not None:
        attribution = attribute(evaluated)
        contributions = attribution.leaves
        dimensions = {
            code: DimensionResult(score=dim_score, contribution=attribution.dimensions.get(code))
            for code, dim_score in dimension_scores(evaluated).items()
        }
    else:
        dimensions = {
            code: DimensionResult(score=None, contribution=None)
            for code in methodology.dimension_codes
        }
    places = methodology.score.round
    ranking_score = (
        round_half_away(score, places) if score is not None and places is not None else score
    )
    threshold = methodology.score.min_coverage
    eligible = score is not None and (
        threshold is None or covered + COVERAGE_TOLERANCE >= threshold
    )
    return _Scored(
        district=district,
        outcomes=outcomes,
        coverage=covered,
        score=score,
        ranking_score=ranking_score,
        weights=weights,
        contributions=contributions,
        dimensions=dimensions,
        eligible=eligible,
        problem=problem,
    )


def _unranked_reasons(methodology: Methodology, scored: _Scored) -> list[Reason]:
    if scored.problem is not None:
        leaves = set(methodology.indicator_codes)
        return [
            Reason(
                "non_positive_in_geometric_mean",
                {
                    "node": scored.problem.node,
                    "child": child,
                    "value": value,
                    "indicator": child if child in leaves else None,
                },
            )
            for child, value in scored.problem.children
        ]
    if not scored.eligible:
        return [
            Reason(
                "unranked_coverage",
                {"coverage": scored.coverage, "threshold": methodology.score.min_coverage},
            )
        ]
    return []


def _group_average(
    scored: Sequence[_Scored],
    ranked: set[str],
    codes: Sequence[str],
) -> dict[str, float]:
    members = [s for s in scored if s.district in ranked]
    if not members:
        return {}
    return {
        code: math.fsum(s.contributions[code] for s in members) / len(members) for code in codes
    }


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
    districts = sorted(set(entrants))
    leaves: tuple[Leaf, ...] = methodology.leaves
    codes = methodology.indicator_codes
    higher = _directions(methodology, indicators)
    columns = {
        leaf.indicator: score_leaf(
            leaf, higher_is_better=higher[leaf.indicator], entrants=districts, figures=figures
        )
        for leaf in leaves
    }
    input_averages = {code: column.input_average for code, column in columns.items()}
    root = methodology.root
    scored = [_score_district(methodology, root, district, columns) for district in districts]

    rule = methodology.score
    entries = [
        Entry(
            district=s.district,
            ranking_score=s.ranking_score,  # type: ignore[arg-type]
            tie_break=tuple(s.outcomes[code].normalised for code in rule.tie_break),
        )
        for s in scored
        if s.eligible
    ]
    placed = {
        p.district: p
        for p in competition_ranks(entries, highest_first=rule.order == "highest_first")
    }
    flags = assign_flags({d: p.rank for d, p in placed.items()}, methodology.flags)
    group_average = _group_average(scored, set(placed), codes)
    scale = "log" if methodology.score.aggregation == GEOMETRIC else "score"

    standings = []
    for s in scored:
        place = placed.get(s.district)
        rank = place.rank if place is not None else None
        before = previous.get(s.district) if previous is not None else None
        rank_change, moved = movement(rank, before.rank if before is not None else None)
        reasons = _unranked_reasons(methodology, s)
        if previous is not None:
            moving = movement_reason(rank, before, s.contributions, leaves, rule.reasons)
            reasons.extend([moving] if moving is not None else [])
        if s.contributions and group_average:
            reasons.extend(
                strengths_and_weaknesses(
                    leaves, s.contributions, group_average, s.outcomes, input_averages, rule.reasons
                )
            )
        reasons.extend(data_reasons(leaves, s.outcomes, input_averages))
        standings.append(
            Standing(
                district=s.district,
                score=s.score,
                ranking_score=s.ranking_score,
                rank=rank,
                tied=place.tied if place is not None else False,
                flags=flags.get(s.district, ()),
                rank_change=rank_change,
                movement=moved,
                coverage=s.coverage,
                indicators={code: _indicator_result(s, code) for code in codes},
                dimensions=s.dimensions,
                contributions=s.contributions,
                contribution_scale=scale,
                reasons=tuple(reasons),
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


def _indicator_result(scored: _Scored, code: str) -> IndicatorResult:
    outcome = scored.outcomes[code]
    return IndicatorResult(
        value=outcome.value,
        input=outcome.input,
        normalised=outcome.normalised,
        weight=scored.weights[code],
        contribution=scored.contributions.get(code),
        rank=outcome.rank,
        imputed=outcome.imputed,
        capped=outcome.capped,
        missing=outcome.missing,
        ref=outcome.ref,
    )
