"""Structured reasons read as sentences, in English and in Chinese."""

import pytest
from django.utils import translation

from districts.models import Indicator
from rankings.reasons_text import ReasonRenderer, with_unit

GDP = Indicator(
    code="gdp_growth", name="地区生产总值增速", name_en="GDP growth", unit="%", decimals=1
)
REF = {
    "value_id": 7,
    "value": "6.5",
    "period": "2025Q1",
    "entered_by": "clerk",
    "entered_at": "2025-04-10T09:00:00+08:00",
}


@pytest.fixture
def renderer():
    return ReasonRenderer({"gdp_growth": GDP}, "2025Q1")


def strength(**extra):
    params = {
        "indicator": "gdp_growth",
        "value": 6.5,
        "input": 6.5,
        "rank": 2,
        "contribution": 18.0,
        "group_average": 14.25,
        "gap": 3.75,
        "ref": REF,
    }
    return {"kind": "strength", "params": {**params, **extra}}


def test_a_strength_cites_the_figure_as_entered_its_period_rank_and_gap(renderer):
    with translation.override("en"):
        text = renderer.render(strength())
    assert text.startswith("GDP growth lifts the score")
    for fragment in ("6.5%", "2025Q1", "rank 2", "18.00", "14.25", "+3.75"):
        assert fragment in text


def test_a_weakness_says_it_holds_the_score_back(renderer):
    reason = strength(gap=-2.0, contribution=12.25)
    reason["kind"] = "weakness"
    with translation.override("en"):
        assert "holds the score back" in renderer.render(reason)


@pytest.mark.parametrize(
    ("change", "expected"),
    [(2, "Up 2 places"), (1, "Up 1 place "), (-3, "Down 3 places"), (0, "Same place")],
)
def test_rank_changes_say_which_way_and_how_far(renderer, change, expected):
    reason = {
        "kind": "rank_change",
        "params": {
            "previous_rank": 4,
            "rank": 4 - change,
            "change": change,
            "drivers": [{"indicator": "gdp_growth", "delta": 1.5}] if change else [],
        },
    }
    with translation.override("en"):
        text = renderer.render(reason)
    assert expected in text
    if change:
        assert "GDP growth (+1.50)" in text


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("missing_zero", "counted as zero"),
        ("imputed", "group average"),
        ("reweighted", "weight was shared"),
        ("not_loggable", "logarithm"),
        ("capped", "count as"),
    ],
)
def test_data_reasons_say_what_was_done_with_the_figure(renderer, kind, fragment):
    params = {
        "indicator": "gdp_growth",
        "ref": REF,
        "imputed_input": 5.0,
        "raw": 4.2,
        "capped": 3.0,
    }
    with translation.override("en"):
        assert fragment in renderer.render({"kind": kind, "params": params})


def test_unranked_coverage_gives_both_percentages(renderer):
    reason = {"kind": "unranked_coverage", "params": {"coverage": 0.4, "threshold": 0.6}}
    with translation.override("en"):
        text = renderer.render(reason)
    assert "40%" in text and "60%" in text


def test_indicator_names_follow_the_language(renderer):
    with translation.override("zh-hans"):
        text = renderer.render(strength())
    assert "地区生产总值增速" in text
    assert "GDP growth" not in text


def test_an_unknown_reason_kind_is_shown_as_its_kind_rather_than_failing(renderer):
    assert renderer.render({"kind": "something_new", "params": {}}) == "something_new"


@pytest.mark.parametrize(
    ("input_kind", "number", "fragment"),
    [
        ("growth", 3.2, "+3.2% on the same period last year"),
        ("target_completion", 87.5, "87.5% of the annual target"),
        ("progress", -4.0, "-4.0 points against the share of the year elapsed"),
    ],
)
def test_a_reason_on_a_derived_input_cites_the_figure_and_the_input(
    renderer, input_kind, number, fragment
):
    with translation.override("en"):
        text = renderer.render(strength(input_kind=input_kind, input=number))
    assert "6.5%" in text and fragment in text


@pytest.mark.parametrize(
    ("figure", "unit", "shown"),
    [
        ("8.6", "%", "8.6%"),
        ("67.95", "亿元", "67.95亿元"),
        ("12", "years", "12 years"),
        ("5", "", "5"),
    ],
)
def test_units_follow_percent_and_chinese_units_without_a_space(figure, unit, shown):
    assert with_unit(figure, unit) == shown
