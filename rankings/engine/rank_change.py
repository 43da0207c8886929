"""Where a score change came from: the district's own figures, the other districts' figures
(normalisation is relative, so others doing better lowers everyone else's scores), or a
new methodology.

The change is walked as a chain of substitutions, each stage a full run of the race:

    A  the previous methodology, the previous period's figures
    B  the same, but this district's figures of this period
    C  the previous methodology, every figure of this period
    D  this period's methodology and figures

own = B - A, split per indicator by the differences of the district's contributions (which
add up to its score, or ln score, in both runs); others = C - B; methodology = D - C. The
parts telescope, so they add up to D - A exactly but for float rounding. The order of the
chain is a choice (own figures first, as a district would ask "what if only we had
changed?"); another order can give other shares, as with any sequential decomposition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .aggregation import GEOMETRIC, Problems, attribute, evaluate
from .leaves import score_leaf
from .race_setup import RaceSetup, amount
from .results import RaceResult

# Below this (relative) a difference of amounts is float noise; the change of scale of the
# own parts then uses the derivative instead of a ratio of two noises.
NOISE = 1e-12


@dataclass(frozen=True)
class RankChange:
    """The parts of `score_change` (this period's amount minus the previous period's, on
    the contribution scale of this period's methodology): `own` per indicator of the
    previous methodology, largest first, `others` and `methodology`."""

    previous_period: str | None
    score_change: float
    own: dict[str, float]
    others: float
    methodology: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_period": self.previous_period,
            "score_change": self.score_change,
            "own": dict(self.own),
            "others": self.others,
            "methodology": self.methodology,
        }


def contribution_scale(setup: RaceSetup) -> str:
    return "log" if setup.methodology.score.aggregation == GEOMETRIC else "score"


def _scale_ratio(before: float, after: float, natural: str, reported: str) -> float:
    """What turns a difference of amounts on the `natural` scale into one on the `reported`
    scale: (f(after) - f(before)) / (g(after) - g(before)), the logarithmic mean of the two
    scores or its inverse (as in log-mean Divisia index decompositions, Ang 2004), or the
    derivative when the two are equal."""
    if natural == reported:
        return 1.0
    on_natural = amount(after, natural) - amount(before, natural)
    on_reported = amount(after, reported) - amount(before, reported)
    size = max(1.0, abs(amount(after, natural)), abs(amount(before, natural)))
    if abs(on_natural) <= NOISE * size:
        middle = (before + after) / 2
        return middle if natural == "log" else 1.0 / middle
    return on_reported / on_natural


def rank_change_parts(
    *,
    district: str,
    before: RaceSetup,
    after: RaceSetup,
    previous_period: str | None = None,
    after_result: RaceResult | None = None,
) -> RankChange | None:
    """Split the district's score change from `before` (the previous period) to `after`.

    `after.figures` must hold this period's figures of the previous methodology's
    indicators too (stages B and C run the previous methodology on them). None when the
    district was not in the previous race, has no score at some stage, or, on the log
    scale, a score that has no logarithm.
    """
    if district not in before.entrants or district not in after.entrants:
        return None
    indicators = {**before.indicators, **after.indicators}
    own_figures = {key: figure for key, figure in after.figures.items() if key[0] == district}
    others_figures = {key: figure for key, figure in before.figures.items() if key[0] != district}
    stage_a = RaceSetup(before.methodology, before.entrants, before.figures, indicators)
    stage_b = RaceSetup(
        before.methodology, before.entrants, {**others_figures, **own_figures}, indicators
    )
    stage_c = RaceSetup(before.methodology, after.entrants, after.figures, indicators)
    stage_d = RaceSetup(after.methodology, after.entrants, after.figures, indicators)
    same_methodology = before.methodology == after.methodology
    run_a, run_b = stage_a.run(), stage_b.run()
    run_d = after_result or stage_d.run()
    # With the same methodology, stage C is stage D: one run, and a methodology part of 0.
    run_c = run_d if same_methodology else stage_c.run()
    standings = [run.standing(district) for run in (run_a, run_b, run_c, run_d)]
    scores = [standing.score for standing in standings]
    if any(score is None for score in scores):
        return None
    score_a, score_b, score_c, score_d = scores  # type: ignore[misc]
    reported = contribution_scale(after)
    natural = contribution_scale(before)
    if reported == "log" and min(scores) <= 0:  # type: ignore[type-var]
        return None
    ratio = _scale_ratio(score_a, score_b, natural, reported)  # type: ignore[arg-type]
    earlier, later = standings[0].contributions, standings[1].contributions
    own = {
        code: (later[code] - earlier[code]) * ratio for code in before.methodology.indicator_codes
    }
    own = dict(sorted(own.items(), key=lambda item: -abs(item[1])))
    amounts = [amount(score, reported) for score in scores]  # type: ignore[arg-type]
    return RankChange(
        previous_period=previous_period,
        score_change=amounts[3] - amounts[0],
        own=own,
        others=amounts[2] - amounts[1],
        methodology=0.0 if same_methodology else amounts[3] - amounts[2],
    )


def parts_total(change: RankChange) -> float:
    """The sum of the parts, exactly rounded (what `score_change` must equal)."""
    return math.fsum([*change.own.values(), change.others, change.methodology])


def rank_change_parts_each(
    *,
    districts: list[str],
    before: RaceSetup,
    after: RaceSetup,
    previous_period: str | None = None,
    after_result: RaceResult | None = None,
) -> dict[str, RankChange | None]:
    """rank_change_parts for many districts at once: the stages every district shares
    (A, C and D) are run once, only stage B (this district's figures alone) per district.
    Gives exactly what rank_change_parts gives for each."""
    indicators = {**before.indicators, **after.indicators}
    stage_a = RaceSetup(before.methodology, before.entrants, before.figures, indicators)
    same_methodology = before.methodology == after.methodology
    run_a = stage_a.run()
    run_d = (
        after_result
        or RaceSetup(after.methodology, after.entrants, after.figures, indicators).run()
    )
    run_c = (
        run_d
        if same_methodology
        else RaceSetup(before.methodology, after.entrants, after.figures, indicators).run()
    )
    before_entrants, after_entrants = set(before.entrants), set(after.entrants)
    own_by_district: dict[str, dict[tuple[str, str], Any]] = {}
    for key, figure in after.figures.items():
        own_by_district.setdefault(key[0], {})[key] = figure
    changes: dict[str, RankChange | None] = {}
    for district in districts:
        if district not in before_entrants or district not in after_entrants:
            changes[district] = None
            continue
        figures = {key: f for key, f in before.figures.items() if key[0] != district}
        figures.update(own_by_district.get(district, {}))
        run_b = _OneRun(
            district,
            _own_stage(
                RaceSetup(before.methodology, before.entrants, figures, indicators), district
            ),
        )
        changes[district] = _parts(
            district, (run_a, run_b, run_c, run_d), before, after, previous_period
        )
    return changes


@dataclass(frozen=True)
class _Own:
    """A district's score (None without one) and contributions in one run."""

    score: float | None
    contributions: dict[str, float]


@dataclass(frozen=True)
class _OneRun:
    """A run of which only one district's standing was computed."""

    district: str
    own: _Own

    def standing(self, district: str) -> _Own:
        assert district == self.district
        return self.own


def _own_stage(setup: RaceSetup, district: str) -> _Own:
    """The district's score and contributions as run_race gives them, without anybody
    else's standing: every leaf is still scored for the whole group (normalisation is
    relative), but only the district's row is aggregated and attributed, which the
    aggregation does element by element (a tenth of a full run at 100 × 20)."""
    entrants = sorted(set(setup.entrants))
    row = [entrants.index(district)]
    methodology = setup.methodology
    scores, kept = {}, {}
    for leaf in methodology.leaves:
        column = score_leaf(
            leaf,
            higher_is_better=setup.higher_is_better(leaf),
            entrants=entrants,
            figures=setup.figures,
        )
        scores[leaf.indicator] = column.scores[row]
        kept[leaf.indicator] = column.kept[row]
    problems = Problems(failed=np.zeros(1, dtype=bool))
    evaluated = evaluate(methodology.root, scores, kept, problems)
    scored = evaluated.has & ~problems.failed
    if not scored[0]:
        return _Own(None, {})
    attribution = attribute(evaluated, scored)
    return _Own(
        evaluated.score.tolist()[0],
        {code: attribution.leaves[code].tolist()[0] for code in methodology.indicator_codes},
    )


def _parts(
    district: str,
    runs: tuple[RaceResult, Any, RaceResult, RaceResult],
    before: RaceSetup,
    after: RaceSetup,
    previous_period: str | None,
) -> RankChange | None:
    standings = [run.standing(district) for run in runs]
    scores = [standing.score for standing in standings]
    if any(score is None for score in scores):
        return None
    score_a, score_b, _, _ = scores
    reported = contribution_scale(after)
    natural = contribution_scale(before)
    if reported == "log" and min(scores) <= 0:  # type: ignore[type-var]
        return None
    ratio = _scale_ratio(score_a, score_b, natural, reported)  # type: ignore[arg-type]
    earlier, later = standings[0].contributions, standings[1].contributions
    own = {
        code: (later[code] - earlier[code]) * ratio for code in before.methodology.indicator_codes
    }
    own = dict(sorted(own.items(), key=lambda item: -abs(item[1])))
    amounts = [amount(score, reported) for score in scores]  # type: ignore[arg-type]
    return RankChange(
        previous_period=previous_period,
        score_change=amounts[3] - amounts[0],
        own=own,
        others=amounts[2] - amounts[1],
        methodology=0.0 if before.methodology == after.methodology else amounts[3] - amounts[2],
    )
