"""Weighted sum, weighted mean and geometric mean, at the root and inside dimensions."""

import pytest

from .builders import dimension, leaf, methodology, race, reasons

VALUES = {"A": {"a": 10.0, "b": 20.0}}


def test_weighted_sum_adds_weighted_scores():
    method = methodology(leaf("a", weight=2), leaf("b", weight=3), aggregation="weighted_sum")
    assert race(method, VALUES).standing("A").score == pytest.approx(2 * 10 + 3 * 20)


def test_the_root_defaults_to_weighted_sum():
    method = methodology(leaf("a", weight=2), leaf("b", weight=3))
    assert race(method, VALUES).standing("A").score == pytest.approx(80.0)


def test_weighted_mean_divides_by_the_total_weight():
    method = methodology(leaf("a", weight=2), leaf("b", weight=3), aggregation="weighted_mean")
    assert race(method, VALUES).standing("A").score == pytest.approx((20 + 60) / 5)


def test_geometric_mean_uses_weight_shares_as_exponents():
    equal = methodology(leaf("a"), leaf("b"), aggregation="geometric_mean")
    assert race(equal, {"A": {"a": 4.0, "b": 16.0}}).standing("A").score == pytest.approx(8.0)
    # 4^(1/4) × 16^(3/4) = √2 × 8
    skewed = methodology(leaf("a"), leaf("b", weight=3), aggregation="geometric_mean")
    assert race(skewed, {"A": {"a": 4.0, "b": 16.0}}).standing("A").score == pytest.approx(
        2**0.5 * 8
    )


def test_dimensions_default_to_weighted_mean_and_nest():
    method = methodology(
        dimension("g", leaf("a"), leaf("b", weight=3), weight=60),
        dimension("h", leaf("c"), weight=40),
    )
    standing = race(method, {"A": {"a": 10.0, "b": 20.0, "c": 5.0}}).standing("A")
    # g = (10 + 3 × 20) / 4 = 17.5; score = 60 × 17.5 + 40 × 5
    assert standing.dimensions["g"].score == pytest.approx(17.5)
    assert standing.dimensions["h"].score == pytest.approx(5.0)
    assert standing.score == pytest.approx(1250.0)


def test_a_dimension_can_use_a_geometric_mean_under_an_additive_root():
    method = methodology(
        dimension("g", leaf("a"), leaf("b"), aggregation="geometric_mean", weight=2),
        leaf("c"),
        aggregation="weighted_mean",
    )
    standing = race(method, {"A": {"a": 1.0, "b": 9.0, "c": 6.0}}).standing("A")
    assert standing.score == pytest.approx((2 * 3 + 6) / 3)


def test_effective_weights_are_products_of_weight_shares_along_the_path():
    method = methodology(
        dimension("g", leaf("a"), leaf("b", weight=3), weight=60),
        dimension("h", leaf("c"), weight=40),
    )
    indicators = race(method, {"A": {"a": 1.0, "b": 1.0, "c": 1.0}}).standing("A").indicators
    assert {code: r.weight for code, r in indicators.items()} == pytest.approx(
        {"a": 0.6 * 0.25, "b": 0.6 * 0.75, "c": 0.4}
    )


def test_a_non_positive_child_of_a_geometric_mean_leaves_the_district_unranked():
    method = methodology(leaf("a"), leaf("b"), aggregation="geometric_mean")
    result = race(method, {"A": {"a": 4.0, "b": 0.0}, "B": {"a": 4.0, "b": 1.0}})
    standing = result.standing("A")
    assert (standing.score, standing.rank, standing.movement) == (None, None, "unranked")
    assert standing.contributions == {}
    assert reasons(result, "A", "non_positive_in_geometric_mean") == [
        {"node": None, "child": "b", "value": 0.0, "indicator": "b"}
    ]
    assert result.standing("B").rank == 1


def test_a_non_positive_dimension_inside_a_geometric_mean_names_the_dimension():
    method = methodology(
        dimension("g", leaf("a"), leaf("b")), leaf("c"), aggregation="geometric_mean"
    )
    result = race(method, {"A": {"a": -1.0, "b": 1.0, "c": 2.0}})
    assert reasons(result, "A", "non_positive_in_geometric_mean") == [
        {"node": None, "child": "g", "value": 0.0, "indicator": None}
    ]
    # The weights of an unscored district are still reported.
    assert result.standing("A").indicators["c"].weight == pytest.approx(0.5)
