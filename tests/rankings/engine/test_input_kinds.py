"""Input kinds (value, growth, target completion, progress) and the log transform."""

import math

import pytest

from rankings.engine import Figure

from .builders import leaf, methodology, race, reasons


def inputs_of(input_kind: str, figures: dict, **options) -> dict:
    result = race(
        methodology(leaf("x", "raw", input=input_kind, **options)),
        {district: {"x": figure} for district, figure in figures.items()},
    )
    return {s.district: s.indicators["x"].input for s in result.standings}


def test_value_input_is_the_entered_figure():
    assert inputs_of("value", {"A": Figure(12.5)}) == {"A": 12.5}


def test_growth_is_the_percentage_change_on_the_same_period_last_year():
    figures = {"A": Figure(110.0, last_year=100.0), "B": Figure(45.0, last_year=50.0)}
    assert inputs_of("growth", figures) == pytest.approx({"A": 10.0, "B": -10.0})


def test_growth_is_missing_without_last_year_or_when_last_year_is_zero():
    figures = {
        "A": Figure(110.0, last_year=100.0),
        "B": Figure(5.0, last_year=0.0),
        "C": Figure(5.0),
        "D": Figure(None, last_year=4.0),
    }
    result = race(
        methodology(leaf("x", "raw", input="growth", missing="zero")),
        {district: {"x": figure} for district, figure in figures.items()},
    )
    causes = {d: [p["cause"] for p in reasons(result, d, "missing_zero")] for d in "ABCD"}
    assert causes == {"A": [], "B": ["zero_last_year"], "C": ["no_last_year"], "D": ["no_value"]}


def test_target_completion_is_the_value_as_a_percentage_of_the_annual_target():
    assert inputs_of("target_completion", {"A": Figure(45.0, target=60.0)}) == {"A": 75.0}


def test_target_completion_is_missing_without_a_target():
    result = race(
        methodology(leaf("x", "raw", input="target_completion", missing="zero")),
        {"A": {"x": Figure(45.0)}, "B": {"x": Figure(45.0, target=0.0)}},
    )
    assert [p["cause"] for p in reasons(result, "A", "missing_zero")] == ["no_target"]
    assert [p["cause"] for p in reasons(result, "B", "missing_zero")] == ["zero_target"]


def test_progress_is_points_ahead_of_the_share_of_the_year_elapsed():
    # 45 / 60 = 75 % of the annual task done; half the year gone: 25 points ahead.
    figures = {
        "A": Figure(45.0, target=60.0, year_share=0.5),
        "B": Figure(45.0, target=60.0, year_share=0.9),
    }
    assert inputs_of("progress", figures) == pytest.approx({"A": 25.0, "B": -15.0})


def test_progress_is_missing_without_the_share_of_the_year():
    result = race(
        methodology(leaf("x", "raw", input="progress", missing="zero")),
        {"A": {"x": Figure(45.0, target=60.0)}},
    )
    assert [p["cause"] for p in reasons(result, "A", "missing_zero")] == ["no_year_share"]


def test_log_transform_normalises_the_natural_log_of_the_input():
    result = race(
        methodology(leaf("x", "raw", transform="log")), {"A": {"x": math.e**2}, "B": {"x": 1.0}}
    )
    assert result.standing("A").indicators["x"].normalised == pytest.approx(2.0)
    assert result.standing("B").indicators["x"].normalised == 0.0
    # The input stays as entered, so that it reads naturally.
    assert result.standing("A").indicators["x"].input == pytest.approx(math.e**2)


def test_a_non_positive_input_under_log_is_missing_and_says_it_was_not_loggable():
    result = race(
        methodology(leaf("x", "raw", transform="log", missing="zero")),
        {"A": {"x": -3.0}, "B": {"x": 0.0}, "C": {"x": 10.0}},
    )
    for district in "AB":
        standing = result.standing(district)
        assert standing.indicators["x"].missing
        assert standing.indicators["x"].normalised == 0.0
        assert [r.kind for r in standing.reasons if r.kind != "weakness"] == [
            "not_loggable",
            "missing_zero",
        ]
    assert reasons(result, "A", "not_loggable")[0]["input"] == -3.0


def test_growth_then_log_transform_compose():
    # growth 100 % -> ln 100
    result = race(
        methodology(leaf("x", "raw", input="growth", transform="log")),
        {"A": {"x": Figure(20.0, last_year=10.0)}},
    )
    assert result.standing("A").indicators["x"].normalised == pytest.approx(math.log(100.0))


def test_a_growth_or_completion_overflowing_to_infinity_is_missing_and_says_it_overflowed():
    # Last year 1e-307 (or a target that small) makes the ratio overflow a float: the race
    # must not fail on it, and the figure is missing with its own cause.
    figures = {
        "A": Figure(110.0, last_year=100.0, target=100.0),
        "B": Figure(1e10, last_year=1e-307, target=1e-307),
    }
    for kind in ("growth", "target_completion"):
        result = race(
            methodology(leaf("x", "raw", input=kind, missing="zero")),
            {district: {"x": figure} for district, figure in figures.items()},
        )
        assert [p["cause"] for p in reasons(result, "B", "missing_zero")] == ["overflow"]
        assert reasons(result, "A", "missing_zero") == []
        assert [s.district for s in result.standings] == ["A", "B"]
