"""Contributions: exact attribution of the score (or ln score) to indicators."""

import math

import pytest

from .builders import dimension, leaf, methodology, race


def test_additive_contributions_are_the_weighted_terms_and_sum_to_the_score():
    method = methodology(
        dimension("g", leaf("a"), leaf("b", weight=3), weight=60),
        dimension("h", leaf("c"), weight=40),
    )
    standing = race(method, {"A": {"a": 10.0, "b": 20.0, "c": 5.0}}).standing("A")
    # a: 60 × 10 / 4; b: 60 × 3 × 20 / 4; c: 40 × 5
    assert standing.contributions == pytest.approx({"a": 150.0, "b": 900.0, "c": 200.0})
    assert standing.dimensions["g"].contribution == pytest.approx(1050.0)
    assert sum(standing.contributions.values()) == pytest.approx(standing.score, abs=1e-9)
    assert standing.contribution_scale == "score"
    assert standing.indicators["b"].contribution == pytest.approx(900.0)


def test_a_geometric_root_attributes_the_log_score_and_splits_an_arithmetic_dimension():
    # HDI shape: health × education(mean of two) × income, each to the power 1/3.
    method = methodology(
        leaf("h"),
        dimension("edu", leaf("e1"), leaf("e2")),
        leaf("i"),
        aggregation="geometric_mean",
    )
    standing = race(method, {"A": {"h": 0.8, "e1": 0.6, "e2": 0.9, "i": 0.5}}).standing("A")
    assert standing.score == pytest.approx((0.8 * 0.75 * 0.5) ** (1 / 3))
    education = math.log(0.75) / 3
    # e1 is 0.3 of education's 0.75, e2 is 0.45 of it
    assert standing.contributions == pytest.approx(
        {
            "h": math.log(0.8) / 3,
            "e1": education * 0.4,
            "e2": education * 0.6,
            "i": math.log(0.5) / 3,
        }
    )
    assert sum(standing.contributions.values()) == pytest.approx(math.log(standing.score), abs=1e-9)
    assert standing.contribution_scale == "log"


def test_a_geometric_dimension_under_an_additive_root_splits_its_amount_by_log_terms():
    method = methodology(
        dimension("g", leaf("a"), leaf("b", weight=3), aggregation="geometric_mean", weight=10),
        leaf("c"),
    )
    standing = race(method, {"A": {"a": 2.0, "b": 4.0, "c": 1.0}}).standing("A")
    g = 2.0**0.25 * 4.0**0.75  # = 2^1.75
    log_a, log_b = 0.25 * math.log(2.0), 0.75 * math.log(4.0)
    assert standing.contributions == pytest.approx(
        {"a": 10 * g * log_a / (log_a + log_b), "b": 10 * g * log_b / (log_a + log_b), "c": 1.0}
    )
    assert sum(standing.contributions.values()) == pytest.approx(standing.score, abs=1e-9)


def test_a_zero_denominator_splits_the_amount_equally():
    # The geometric dimension scores exactly 1, so its log-terms sum to 0.
    method = methodology(
        dimension("g", leaf("a"), leaf("b"), aggregation="geometric_mean", weight=6)
    )
    standing = race(method, {"A": {"a": 2.0, "b": 0.5}}).standing("A")
    assert standing.score == pytest.approx(6.0)
    assert standing.contributions == pytest.approx({"a": 3.0, "b": 3.0})


def test_contributions_of_negative_zscores_still_sum_to_the_score():
    method = methodology(dimension("d", leaf("a", "zscore"), leaf("b", "zscore")), leaf("c"))
    result = race(
        method, {"A": {"a": 1.0, "b": 2.0, "c": 0.5}, "B": {"a": 3.0, "b": 1.0, "c": 0.5}}
    )
    for standing in result.standings:
        assert sum(standing.contributions.values()) == pytest.approx(standing.score, abs=1e-9)
    # A: a = -1/√2, b = +1/√2 in the mean -> -0.3536 and +0.3536
    assert result.standing("A").contributions["a"] == pytest.approx(-0.5 / math.sqrt(2))


def test_group_average_contributions_are_means_over_ranked_districts():
    method = methodology(leaf("a", missing="reweight"), leaf("b"), min_coverage=0.9)
    result = race(
        method, {"A": {"a": 2.0, "b": 4.0}, "B": {"a": 6.0, "b": 0.0}, "C": {"a": None, "b": 100.0}}
    )
    # C is below coverage, so it does not count.
    assert result.group_average_contributions == pytest.approx({"a": 4.0, "b": 2.0})
