"""How robust each rank is: a Monte Carlo uncertainty analysis of the weights and,
optionally, of the normalisation method (OECD/JRC, *Handbook on Constructing Composite
Indicators* (2008), chapter 7, uncertainty and sensitivity analysis).

Each draw multiplies every weight of the tree (leaves and dimensions) by its own
uniform(1 - spread, 1 + spread) factor and, when the methodology lists normalisations,
keeps the leaves' own methods or puts one listed method in place of all of them, each with
equal chance. The race is aggregated and ranked again; a district's interval is the 5th
and 95th percentile of its ranks over the draws.

Everything per draw is done at once with numpy: the normalised values depend only on the
method, so each method's leaf matrix is computed once (by the engine's own leaf scoring)
and the draws only re-weight it. Aggregation in a draw uses numpy's sums and the float
formula for rounding, not run_race's exactly rounded sums and decimal rounding; the two
can differ in the last bit, which decides a rank only between scores that are equal to
the last bit (or a rounding half).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .aggregation import GEOMETRIC
from .leaves import score_leaf
from .methodology import Dimension, Leaf, Node, Normalisation, Robustness
from .race_setup import RaceSetup
from .results import RaceResult

LOW_PERCENTILE, MEDIAN, HIGH_PERCENTILE = 5, 50, 95
# A method that stands in for the leaves' own takes its default parameters (parsing.py).
STAND_IN_PARAMETERS: dict[str, dict[str, Any]] = {
    "rank_points": {"mode": "step", "points": 100.0, "step": 1.0},
}


@dataclass(frozen=True)
class RankInterval:
    """A district's ranks over the draws: `rank_low` (5th percentile, the better end) to
    `rank_high` (95th), and the median; each is a rank some draw gave (inverted CDF)."""

    draws: int
    seed: int
    rank_low: int
    rank_high: int
    rank_median: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "rank_low": self.rank_low,
            "rank_high": self.rank_high,
            "rank_median": self.rank_median,
        }


@dataclass(frozen=True)
class _Normalised:
    """One way of normalising every leaf: values (0 where dropped) and kept masks, a row
    per district and a column per leaf, plus the tie-break keys (smaller is better)."""

    values: np.ndarray
    kept: np.ndarray
    tie_keys: list[np.ndarray]


def _stand_in(leaf: Leaf, method: str | None) -> Leaf:
    """The leaf with `method` in place of its own normalisation (None: as it is). Its cap
    is dropped with its method: it was set on that method's scale."""
    if method is None:
        return leaf
    normalisation = Normalisation(method=method, **STAND_IN_PARAMETERS.get(method, {}))
    return replace(leaf, normalisation=normalisation, cap=None)


def _normalise(setup: RaceSetup, entrants: list[str], method: str | None) -> _Normalised:
    columns = [
        score_leaf(
            _stand_in(leaf, method),
            higher_is_better=setup.higher_is_better(leaf),
            entrants=entrants,
            figures=setup.figures,
        )
        for leaf in setup.methodology.leaves
    ]
    codes = setup.methodology.indicator_codes
    tie_keys = []
    for code in setup.methodology.score.tie_break:
        normalised = columns[codes.index(code)].normalised
        # Better normalised values first; a missing one loses (as in ranking.py).
        tie_keys.append(np.array([np.inf if v is None else -v for v in normalised]))
    return _Normalised(
        values=np.column_stack([c.scores for c in columns]),
        kept=np.column_stack([c.kept for c in columns]),
        tie_keys=tie_keys,
    )


def _all_nodes(nodes: tuple[Node, ...]) -> list[Node]:
    """Every node below the root, in tree order: each has a weight of its own."""
    found: list[Node] = []
    for node in nodes:
        found.append(node)
        if isinstance(node, Dimension):
            found.extend(_all_nodes(node.nodes))
    return found


def _aggregate(
    node: Node,
    weights: np.ndarray,
    positions: dict[int, int],
    leaf_columns: dict[str, int],
    normalised: _Normalised,
) -> tuple[np.ndarray, np.ndarray]:
    """(score per draw and district, NaN where a geometric mean met a part <= 0; whether
    the node has a score per district). `weights` has a row per draw and a column per node."""
    if isinstance(node, Leaf):
        j = leaf_columns[node.indicator]
        return normalised.values[:, j][np.newaxis, :], normalised.kept[:, j]
    parts = [_aggregate(c, weights, positions, leaf_columns, normalised) for c in node.nodes]
    child_weights = [weights[:, positions[id(child)]][:, np.newaxis] for child in node.nodes]
    has = np.logical_or.reduce([child_has for _, child_has in parts])
    present = sum(w * child_has for w, (_, child_has) in zip(child_weights, parts, strict=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        if node.aggregation == GEOMETRIC:
            logs = [
                np.where(child_has, np.log(np.where(score > 0, score, np.nan)), 0.0)
                for score, child_has in parts
            ]
            total = sum(w * log for w, log in zip(child_weights, logs, strict=True))
            score = np.exp(total / present)
        else:
            total = sum(
                w * np.where(child_has, score, 0.0)
                for w, (score, child_has) in zip(child_weights, parts, strict=True)
            )
            score = total / present
            if node.aggregation == "weighted_sum":
                # Dropped children's weight goes to the others, keeping the total.
                score = score * sum(child_weights)
    return np.where(has, score, 0.0), has


def _round_half_away(scores: np.ndarray, places: int | None) -> np.ndarray:
    if places is None:
        return scores
    scale = 10.0**places
    return np.sign(scores) * np.floor(np.abs(scores) * scale + 0.5) / scale


def _competition_ranks(keys: np.ndarray, tie_keys: list[np.ndarray]) -> np.ndarray:
    """Per draw (row), competition ranks ("1224") of the districts (columns) by `keys`
    (smaller is better), then each tie-break key."""
    draws, districts = keys.shape
    everything = [np.broadcast_to(t, keys.shape) for t in tie_keys]
    # np.lexsort sorts by its last key first.
    order = np.lexsort([*reversed(everything), keys], axis=-1)
    same = np.ones((draws, max(districts - 1, 0)), dtype=bool)
    for key in (keys, *everything):
        ordered = np.take_along_axis(key, order, axis=-1)
        same &= ordered[:, 1:] == ordered[:, :-1]
    places = np.arange(1, districts + 1)
    starts = np.where(np.column_stack([np.ones(draws, dtype=bool), ~same]), places, 0)
    ranks_in_order = np.maximum.accumulate(starts, axis=1)
    ranks = np.empty_like(ranks_in_order)
    np.put_along_axis(ranks, order, ranks_in_order, axis=-1)
    return ranks


def rank_draws(setup: RaceSetup, *, draws: int, seed: int, ranked: list[str]) -> np.ndarray:
    """The ranks of the `ranked` districts (columns) in each draw (rows). A district that
    cannot be scored in a draw (a geometric mean met a part <= 0) is ranked last."""
    methodology = setup.methodology
    config = methodology.robustness or Robustness()
    entrants = sorted(set(setup.entrants))
    index = {code: i for i, code in enumerate(entrants)}
    rows = np.array([index[code] for code in ranked], dtype=int)
    nodes = _all_nodes(methodology.nodes)
    # Keyed by identity: equal dimensions of different parents are still two weights.
    positions = {id(node): j for j, node in enumerate(nodes)}
    base = np.array([node.weight for node in nodes])
    generator = np.random.default_rng(seed)
    spread = config.weight_spread
    weights = base * generator.uniform(1.0 - spread, 1.0 + spread, size=(draws, len(nodes)))
    methods: list[str | None] = [None, *config.normalisations]
    # Drawn after the weights, so that listing methods leaves the weight draws as they were.
    chosen = (
        generator.integers(0, len(methods), size=draws)
        if len(methods) > 1
        else np.zeros(draws, dtype=int)
    )
    leaf_columns = {code: j for j, code in enumerate(methodology.indicator_codes)}
    highest_first = methodology.score.order == "highest_first"
    ranks = np.zeros((draws, len(ranked)), dtype=np.int64)
    for option, method in enumerate(methods):
        taken = np.flatnonzero(chosen == option)
        if not len(taken):
            continue
        normalised = _normalise(setup, entrants, method)
        score, has = _aggregate(
            methodology.root, weights[taken], positions, leaf_columns, normalised
        )
        ranking = _round_half_away(score[:, rows], methodology.score.round)
        keys = -ranking if highest_first else ranking
        keys = np.where(np.isfinite(keys) & has[rows], keys, np.inf)
        ranks[taken] = _competition_ranks(keys, [t[rows] for t in normalised.tie_keys])
    return ranks


def rank_intervals(
    setup: RaceSetup,
    *,
    draws: int | None = None,
    seed: int = 0,
    result: RaceResult | None = None,
) -> dict[str, RankInterval]:
    """Each ranked district's rank interval over `draws` draws (default: the
    methodology's [robustness] draws, else 1,000). The same seed gives the same answer."""
    config = setup.methodology.robustness or Robustness()
    draws = config.draws if draws is None else draws
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    result = result or setup.run()
    ranked = sorted(s.district for s in result.standings if s.rank is not None)
    if not ranked:
        return {}
    ranks = rank_draws(setup, draws=draws, seed=seed, ranked=ranked)
    # "inverted_cdf": the smallest rank that at least p % of the draws reach, so always a
    # rank some draw gave (Hyndman and Fan 1996, definition 1).
    low, median, high = np.percentile(
        ranks, [LOW_PERCENTILE, MEDIAN, HIGH_PERCENTILE], axis=0, method="inverted_cdf"
    ).astype(int)
    return {
        district: RankInterval(
            draws=draws,
            seed=seed,
            rank_low=int(low[i]),
            rank_high=int(high[i]),
            rank_median=int(median[i]),
        )
        for i, district in enumerate(ranked)
    }
