"""Missing-value policies (average, zero, reweight) and the coverage threshold."""

import pytest

from rankings.engine import Figure

from .builders import dimension, leaf, methodology, race, ranks, reasons

GAPPY = {"A": {"x": 10.0, "y": 1.0}, "B": {"x": 30.0, "y": 2.0}, "C": {"x": None, "y": 3.0}}


def test_average_imputes_the_group_mean_of_present_inputs_before_normalising():
    result = race(methodology(leaf("x", "minmax", missing="average"), leaf("y")), GAPPY)
    x = result.standing("C").indicators["x"]
    # mean of 10 and 30 is 20: halfway between min and max
    assert (x.normalised, x.imputed, x.missing, x.input, x.rank) == (50.0, True, True, None, None)
    (imputed,) = reasons(result, "C", "imputed")
    assert (imputed["indicator"], imputed["imputed_input"], imputed["cause"]) == (
        "x",
        20.0,
        "no_value",
    )


def test_average_is_the_default_policy():
    result = race(methodology(leaf("x", "minmax"), leaf("y")), GAPPY)
    assert result.standing("C").indicators["x"].imputed


def test_imputation_under_log_takes_the_mean_of_the_logs():
    result = race(
        methodology(leaf("x", "raw", transform="log")),
        {"A": {"x": 10.0}, "B": {"x": 1000.0}, "C": {"x": None}},
    )
    (imputed,) = reasons(result, "C", "imputed")
    assert imputed["imputed_input"] == pytest.approx(100.0)  # geometric mean


def test_zero_counts_the_normalised_value_as_zero_and_ignores_the_cap():
    result = race(
        methodology(leaf("x", "minmax", missing="zero", cap={"min": 10}), leaf("y")), GAPPY
    )
    x = result.standing("C").indicators["x"]
    assert (x.normalised, x.imputed, x.missing) == (0.0, False, True)
    assert [p["indicator"] for p in reasons(result, "C", "missing_zero")] == ["x"]
    assert result.standing("C").score == pytest.approx(0.0 + 3.0)


def test_reweight_drops_the_leaf_and_rescales_its_siblings_in_a_weighted_sum():
    method = methodology(leaf("x", missing="reweight"), leaf("y", weight=3))
    result = race(method, {"C": {"x": None, "y": 5.0}})
    standing = result.standing("C")
    # y's weight 3 grows to the full 4
    assert standing.score == pytest.approx(20.0)
    assert standing.indicators["x"].weight == 0.0
    assert standing.indicators["y"].weight == pytest.approx(1.0)
    assert standing.contributions == pytest.approx({"x": 0.0, "y": 20.0})
    assert [p["indicator"] for p in reasons(result, "C", "reweighted")] == ["x"]


def test_reweight_in_a_mean_averages_the_remaining_siblings():
    method = methodology(dimension("d", leaf("x", missing="reweight"), leaf("y"), leaf("z")))
    standing = race(method, {"C": {"x": None, "y": 2.0, "z": 4.0}}).standing("C")
    assert standing.score == pytest.approx(3.0)


def test_a_dimension_whose_leaves_are_all_dropped_is_dropped_from_its_parent():
    method = methodology(
        dimension("d", leaf("x", missing="reweight"), weight=1),
        dimension("e", leaf("y"), weight=1),
    )
    standing = race(method, {"C": {"x": None, "y": 2.0}}).standing("C")
    assert standing.score == pytest.approx(4.0)  # e's weight doubles
    assert standing.dimensions["d"].score is None


def test_average_falls_back_to_reweight_when_nobody_has_the_figure():
    method = methodology(leaf("x", missing="average"), leaf("y"))
    result = race(method, {"A": {"y": 1.0}, "B": {"y": 2.0}})
    assert result.standing("A").indicators["x"].normalised is None
    (reweighted,) = reasons(result, "A", "reweighted")
    assert reweighted["policy"] == "average"


def test_target_ratio_imputes_the_mean_normalised_value_for_a_district_without_a_target():
    values = {
        "A": {"x": Figure(50.0, target=100.0)},
        "B": {"x": Figure(90.0, target=100.0)},
        "C": {"x": Figure(70.0)},
    }
    result = race(methodology(leaf("x", "target_ratio")), values)
    x = result.standing("C").indicators["x"]
    assert (x.normalised, x.imputed) == (pytest.approx(70.0), True)
    assert reasons(result, "C", "imputed")[0]["cause"] == "no_target"


def test_coverage_is_the_weighted_share_of_present_indicators():
    method = methodology(
        dimension("g", leaf("a"), leaf("b", weight=3), weight=60),
        dimension("h", leaf("c"), weight=40),
    )
    result = race(method, {"A": {"a": None, "b": 1.0, "c": None}})
    assert result.standing("A").coverage == pytest.approx(0.6 * 0.75)


def test_a_district_below_min_coverage_is_unranked_and_told_why():
    method = methodology(leaf("x", missing="zero"), leaf("y", weight=3), min_coverage=0.8)
    result = race(method, {"A": {"x": 1.0, "y": 1.0}, "B": {"x": None, "y": 9.0}})
    assert ranks(result) == {"A": 1, "B": None}
    assert reasons(result, "B", "unranked_coverage") == [{"coverage": 0.75, "threshold": 0.8}]
    standing = result.standing("B")
    assert standing.score == pytest.approx(27.0)  # still scored, just not ranked
    assert standing.movement == "unranked"
    assert [s.district for s in result.standings] == ["A", "B"]


def test_a_district_exactly_at_min_coverage_is_ranked():
    method = methodology(leaf("x", missing="zero"), leaf("y", weight=3), min_coverage=0.75)
    result = race(method, {"A": {"x": 1.0, "y": 1.0}, "B": {"x": None, "y": 9.0}})
    assert ranks(result) == {"B": 1, "A": 2}


def test_coverage_threshold_tolerates_float_error_in_the_shares():
    # Exactly 1/3 + 2/3 × 1/10 = 0.4, which floats compute as 0.39999999999999997.
    method = methodology(
        dimension("d", leaf("a"), weight=1),
        dimension("e", leaf("c", weight=1), leaf("f", weight=9, missing="zero"), weight=2),
        min_coverage=0.4,
    )
    result = race(method, {"A": {"a": 1.0, "c": 1.0, "f": None}})
    assert result.standing("A").coverage < 0.4
    assert result.standing("A").rank == 1


def test_a_district_with_nothing_at_all_under_reweight_is_unranked():
    method = methodology(leaf("x", missing="reweight"))
    result = race(method, {"A": {"x": 1.0}, "B": {"x": None}})
    standing = result.standing("B")
    assert (standing.score, standing.rank, standing.coverage) == (None, None, 0.0)
    assert reasons(result, "B", "unranked_coverage") == [{"coverage": 0.0, "threshold": None}]
