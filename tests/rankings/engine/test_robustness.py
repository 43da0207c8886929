"""How robust a rank is: Monte Carlo draws of the weights and the normalisation."""

import random

import numpy as np
import pytest

from rankings.engine import (
    Figure,
    IndicatorInfo,
    RaceSetup,
    parse_methodology,
    rank_draws,
    rank_intervals,
)

from .builders import dimension, leaf

DISTRICTS = [f"D{i:02d}" for i in range(30)]
CODES = ("a", "b", "c", "d", "e")


def spec(robustness=None, **score):
    """A tree with a weighted sum over a mean and a geometric mean, as a plain dict so that
    its weights can be changed."""
    result = {
        "code": "robust",
        "name": "Robustness race",
        "score": {"aggregation": "weighted_sum", **score},
        "nodes": [
            dimension("g", leaf("a", "zscore"), leaf("b", "minmax", weight=2), weight=3),
            dimension(
                "h",
                leaf("c", "efficacy"),
                leaf("d", "efficacy", weight=3, missing="reweight"),
                aggregation="geometric_mean",
                weight=2,
            ),
            leaf("e", "efficacy", weight=0.5),
        ],
    }
    if robustness is not None:
        result["robustness"] = robustness
    return result


def figures(seed=5, missing=0.1):
    rng = random.Random(seed)
    return {
        (district, code): Figure(rng.uniform(1, 100))
        for district in DISTRICTS
        for code in CODES
        if rng.random() >= missing
    }


def setup_of(race_spec, values=None, entrants=DISTRICTS):
    return RaceSetup(
        parse_methodology(race_spec),
        tuple(entrants),
        values if values is not None else figures(),
        {code: IndicatorInfo(code, "lower" if code == "b" else "higher") for code in CODES},
    )


def nominal_ranks(setup):
    result = setup.run()
    return {s.district: s.rank for s in result.standings if s.rank is not None}


def test_the_same_seed_gives_the_same_intervals():
    setup = setup_of(spec({"normalisations": ["efficacy"]}))
    assert rank_intervals(setup, draws=300, seed=42) == rank_intervals(setup, draws=300, seed=42)
    first = rank_draws(setup, draws=300, seed=42, ranked=DISTRICTS)
    assert (first == rank_draws(setup, draws=300, seed=42, ranked=DISTRICTS)).all()
    assert not (first == rank_draws(setup, draws=300, seed=43, ranked=DISTRICTS)).all()


def test_without_spread_every_draw_gives_the_races_own_ranks():
    setup = setup_of(spec({"weight_spread": 0}))
    ranks = nominal_ranks(setup)
    for district, interval in rank_intervals(setup, draws=20, seed=1).items():
        assert interval.rank_low == interval.rank_median == interval.rank_high == ranks[district]


def test_each_draw_is_the_race_run_with_that_draws_weights():
    race_spec = spec({"weight_spread": 0.3}, round=2)
    setup = setup_of(race_spec)
    ranked = sorted(nominal_ranks(setup))
    draws = rank_draws(setup, draws=5, seed=7, ranked=ranked)
    # The draws, made as rank_draws makes them: one factor per node (g, a, b, h, c, d, e),
    # in tree order.
    factors = np.random.default_rng(7).uniform(0.7, 1.3, size=(5, 7))
    for draw in range(5):
        weighted = spec(round=2)
        nodes = iter(factors[draw])
        for node in weighted["nodes"]:
            node["weight"] *= next(nodes)
            for child in node.get("nodes", []):
                child["weight"] *= next(nodes)
        rerun = nominal_ranks(setup_of(weighted))
        assert [rerun[d] for d in ranked] == draws[draw].tolist()


def test_a_draw_may_swap_every_leafs_normalisation_for_a_listed_one():
    setup = setup_of(spec({"weight_spread": 0, "normalisations": ["efficacy"]}))
    own = nominal_ranks(setup)
    swapped_spec = spec()
    for node in swapped_spec["nodes"]:
        for child in node.get("nodes", [node]):
            child["normalisation"] = {"method": "efficacy"}
    swapped = nominal_ranks(setup_of(swapped_spec))
    assert own != swapped
    ranked = sorted(own)
    seen = {tuple(row) for row in rank_draws(setup, draws=40, seed=3, ranked=ranked).tolist()}
    assert seen == {tuple(own[d] for d in ranked), tuple(swapped[d] for d in ranked)}


def test_equal_scores_share_a_rank_unless_the_tie_break_separates_them():
    def flat(**score):
        return {
            "code": "flat",
            "name": "Flat race",
            "score": {"aggregation": "weighted_sum", **score},
            "nodes": [leaf("a"), leaf("e")],
            "robustness": {"weight_spread": 0},
        }

    values = {(d, c): Figure(50.0) for d in DISTRICTS[:3] for c in CODES}
    values[("D02", "a")] = Figure(60.0)
    values[("D02", "e")] = Figure(40.0)
    ranked = ["D00", "D01", "D02"]
    tied = setup_of(flat(), values, ranked)
    broken = setup_of(flat(tie_break=["a"]), values, ranked)
    assert rank_draws(tied, draws=1, seed=0, ranked=ranked).tolist() == [[1, 1, 1]]
    assert rank_draws(broken, draws=1, seed=0, ranked=ranked).tolist() == [[2, 2, 1]]
    assert nominal_ranks(broken) == {"D00": 2, "D01": 2, "D02": 1}


def test_an_interval_runs_from_the_5th_to_the_95th_percentile_of_the_draws():
    setup = setup_of(spec({"weight_spread": 0.5}))
    ranked = sorted(nominal_ranks(setup))
    draws = rank_draws(setup, draws=200, seed=9, ranked=ranked)
    intervals = rank_intervals(setup, draws=200, seed=9)
    for j, district in enumerate(ranked):
        column = sorted(draws[:, j].tolist())
        interval = intervals[district]
        # Inverted CDF: the 10th of 200 sorted draws is the 5th percentile, the 190th the 95th.
        assert (interval.rank_low, interval.rank_median, interval.rank_high) == (
            column[9],
            column[99],
            column[189],
        )
    assert any(i.rank_low < i.rank_high for i in intervals.values())


def test_the_methodologys_draws_are_the_default():
    setup = setup_of(spec({"draws": 25}))
    assert {i.draws for i in rank_intervals(setup).values()} == {25}
    assert {i.draws for i in rank_intervals(setup_of(spec())).values()} == {1000}


def test_fewer_than_one_draw_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        rank_intervals(setup_of(spec()), draws=0)
