"""Every normalisation method, in both directions, against hand-computed values."""

import math

import pytest

from rankings.engine import Figure

from .builders import leaf, methodology, normalised, race, reasons

THREE = {"A": {"x": 2.0}, "B": {"x": 4.0}, "C": {"x": 6.0}}
SPREAD = {"A": {"x": 10.0}, "B": {"x": 20.0}, "C": {"x": 40.0}}


def run(method: str, values: dict, lower: bool = False, **params) -> dict:
    result = race(
        methodology(leaf("x", method, params=params)), values, lower=("x",) if lower else ()
    )
    return normalised(result, "x")


def test_zscore_uses_the_sample_standard_deviation():
    # mean 4, SD sqrt((4 + 0 + 4) / 2) = 2
    assert run("zscore", THREE) == pytest.approx({"A": -1.0, "B": 0.0, "C": 1.0})


def test_zscore_is_negated_when_lower_is_better():
    assert run("zscore", THREE, lower=True) == pytest.approx({"A": 1.0, "B": 0.0, "C": -1.0})


def test_zscore_is_zero_for_a_single_district_or_equal_values():
    assert run("zscore", {"A": {"x": 5.0}}) == {"A": 0.0}
    assert run("zscore", {"A": {"x": 0.1}, "B": {"x": 0.1}, "C": {"x": 0.1}}) == {
        "A": 0.0,
        "B": 0.0,
        "C": 0.0,
    }


def test_minmax_scales_the_worst_to_0_and_the_best_to_100():
    assert run("minmax", SPREAD) == pytest.approx({"A": 0.0, "B": 100 / 3, "C": 100.0})


def test_minmax_measures_from_the_maximum_when_lower_is_better():
    assert run("minmax", SPREAD, lower=True) == pytest.approx({"A": 100.0, "B": 200 / 3, "C": 0.0})


def test_minmax_gives_everyone_100_when_all_are_equal():
    assert run("minmax", {"A": {"x": 7.0}, "B": {"x": 7.0}}) == {"A": 100.0, "B": 100.0}


def test_efficacy_coefficient_maps_the_range_onto_60_to_100():
    # 60 + 40 × (20 - 10) / 30 = 73.33...
    assert run("efficacy", SPREAD) == pytest.approx({"A": 60.0, "B": 60 + 40 / 3, "C": 100.0})


def test_efficacy_coefficient_reverses_when_lower_is_better():
    assert run("efficacy", SPREAD, lower=True) == pytest.approx(
        {"A": 100.0, "B": 60 + 80 / 3, "C": 60.0}
    )


def test_efficacy_coefficient_gives_everyone_100_when_all_are_equal():
    assert run("efficacy", {"A": {"x": 3.0}, "B": {"x": 3.0}}) == {"A": 100.0, "B": 100.0}


def test_goalposts_scale_between_fixed_bounds():
    values = {"A": {"x": 7.5}, "B": {"x": 3.0}}
    assert run("goalposts", values, min=0, max=15) == pytest.approx({"A": 0.5, "B": 0.2})
    assert run("goalposts", values, min=0, max=15, scale=100) == pytest.approx(
        {"A": 50.0, "B": 20.0}
    )


def test_goalposts_count_values_beyond_a_goalpost_as_the_goalpost_and_mark_them_capped():
    values = {"A": {"x": 20.0}, "B": {"x": -3.0}, "C": {"x": 6.0}}
    result = race(methodology(leaf("x", "goalposts", params={"min": 0, "max": 15})), values)
    assert normalised(result, "x") == pytest.approx({"A": 1.0, "B": 0.0, "C": 0.4})
    capped = {s.district: s.indicators["x"].capped for s in result.standings}
    assert capped == {"A": True, "B": True, "C": False}


def test_goalposts_measure_from_the_upper_goalpost_when_lower_is_better():
    values = {"A": {"x": 7.5}, "B": {"x": 3.0}, "C": {"x": 30.0}}
    assert run("goalposts", values, lower=True, min=0, max=15) == pytest.approx(
        {"A": 0.5, "B": 0.8, "C": 0.0}
    )


def test_goalposts_are_logged_along_with_the_input_under_a_log_transform():
    result = race(
        methodology(leaf("x", "goalposts", transform="log", params={"min": 100, "max": 75000})),
        {"A": {"x": 1000.0}, "B": {"x": 100.0}, "C": {"x": 75000.0}},
    )
    # (ln 1000 - ln 100) / (ln 75000 - ln 100) = ln 10 / ln 750
    assert normalised(result, "x") == pytest.approx(
        {"A": math.log(10) / math.log(750), "B": 0.0, "C": 1.0}
    )


def test_rank_points_step_gives_the_leader_the_points_and_ties_share_the_better_place():
    values = {"A": {"x": 50.0}, "B": {"x": 40.0}, "C": {"x": 40.0}, "D": {"x": 30.0}}
    assert run("rank_points", values) == {"A": 100.0, "B": 99.0, "C": 99.0, "D": 97.0}
    assert run("rank_points", values, points=10, step=2) == {
        "A": 10.0,
        "B": 8.0,
        "C": 8.0,
        "D": 4.0,
    }


def test_rank_points_step_puts_the_smallest_first_when_lower_is_better():
    values = {"A": {"x": 50.0}, "B": {"x": 40.0}, "C": {"x": 40.0}, "D": {"x": 30.0}}
    assert run("rank_points", values, lower=True) == {"A": 97.0, "B": 99.0, "C": 99.0, "D": 100.0}


def test_rank_points_proportional_scales_by_the_leader():
    values = {"A": {"x": 50.0}, "B": {"x": 40.0}, "C": {"x": 25.0}}
    assert run("rank_points", values, mode="proportional") == pytest.approx(
        {"A": 100.0, "B": 80.0, "C": 50.0}
    )


def test_rank_points_proportional_divides_the_best_by_the_value_when_lower_is_better():
    values = {"A": {"x": 50.0}, "B": {"x": 40.0}, "C": {"x": 25.0}}
    assert run("rank_points", values, lower=True, mode="proportional") == pytest.approx(
        {"A": 50.0, "B": 62.5, "C": 100.0}
    )


def test_target_ratio_divides_by_the_figures_annual_target():
    values = {"A": {"x": Figure(80.0, target=100.0)}, "B": {"x": Figure(30.0, target=20.0)}}
    assert run("target_ratio", values) == pytest.approx({"A": 80.0, "B": 150.0})
    assert run("target_ratio", values, scale=1) == pytest.approx({"A": 0.8, "B": 1.5})


@pytest.mark.parametrize("lower", [False, True])
def test_under_a_log_transform_a_target_of_1_counts_as_no_target(lower):
    """ln 1 = 0 cannot anchor a ratio of logs: that district's figure is missing (with the
    cause) and the race runs; it used to raise ZeroDivisionError for the whole race."""
    values = {
        "A": {"x": Figure(100.0, target=1.0)},
        "B": {"x": Figure(100.0, target=10.0)},
        "C": {"x": Figure(10.0, target=100.0)},
    }
    result = race(
        methodology(leaf("x", "target_ratio", transform="log", params={"cap": 500})),
        values,
        lower=("x",) if lower else (),
    )
    ratios = {"B": 200.0, "C": 50.0} if not lower else {"B": 50.0, "C": 200.0}
    points = normalised(result, "x")
    assert points["B"] == pytest.approx(ratios["B"]) and points["C"] == pytest.approx(ratios["C"])
    assert reasons(result, "A", "imputed")[0]["cause"] == "no_target"


def test_target_ratio_prefers_a_target_given_in_the_methodology():
    values = {"A": {"x": Figure(40.0, target=100.0)}}
    assert run("target_ratio", values, target=50) == pytest.approx({"A": 80.0})


def test_target_ratio_is_clamped_to_floor_and_cap():
    values = {
        "A": {"x": Figure(120.0, target=100.0)},
        "B": {"x": Figure(20.0, target=100.0)},
        "C": {"x": Figure(90.0, target=100.0)},
    }
    assert run("target_ratio", values, floor=50, cap=100) == pytest.approx(
        {"A": 100.0, "B": 50.0, "C": 90.0}
    )


def test_target_ratio_inverts_when_lower_is_better():
    values = {"A": {"x": Figure(80.0, target=100.0)}}
    assert run("target_ratio", values, lower=True) == pytest.approx({"A": 125.0})


def test_raw_passes_the_value_through_and_negates_it_when_lower_is_better():
    assert run("raw", THREE) == {"A": 2.0, "B": 4.0, "C": 6.0}
    assert run("raw", THREE, lower=True) == {"A": -2.0, "B": -4.0, "C": -6.0}


def test_a_leaf_direction_overrides_the_indicators_own_direction():
    result = race(methodology(leaf("x", "raw", direction="lower")), THREE)
    assert normalised(result, "x") == {"A": -2.0, "B": -4.0, "C": -6.0}


def test_a_cap_bounds_the_normalised_value_and_is_reported():
    result = race(methodology(leaf("x", "minmax", cap={"min": 10, "max": 90})), SPREAD)
    assert normalised(result, "x") == pytest.approx({"A": 10.0, "B": 100 / 3, "C": 90.0})
    (capped,) = [r.params for r in result.standing("C").reasons if r.kind == "capped"]
    assert (capped["indicator"], capped["raw"], capped["capped"], capped["by"]) == (
        "x",
        100.0,
        90.0,
        "cap",
    )
    assert result.standing("C").indicators["x"].capped


def test_indicator_ranks_are_competition_ranks_of_the_input_in_the_indicators_direction():
    values = {"A": {"x": 5.0}, "B": {"x": 9.0}, "C": {"x": 5.0}, "D": {"x": None}}
    higher = race(methodology(leaf("x")), values)
    assert {s.district: s.indicators["x"].rank for s in higher.standings} == {
        "A": 2,
        "B": 1,
        "C": 2,
        "D": None,
    }
    lower = race(methodology(leaf("x")), values, lower=("x",))
    assert {s.district: s.indicators["x"].rank for s in lower.standings} == {
        "A": 1,
        "B": 3,
        "C": 1,
        "D": None,
    }
