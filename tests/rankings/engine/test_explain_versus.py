"""Why one district is above another: the score difference split per indicator."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.engine import (
    ExplanationError,
    Figure,
    IndicatorInfo,
    RaceSetup,
    explain_district,
    neighbours,
    parse_methodology,
    versus_parts,
)

from .builders import dimension, leaf, methodology
from .test_hdi2022 import INDICATORS, load_spec, read_csv

DISTRICTS = [f"D{i:02d}" for i in range(10)]
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


def setup_of(method, values, lower=()):
    """values[district][indicator]: a number or None (no figure)."""
    figures = {
        (district, code): Figure(value)
        for district, row in values.items()
        for code, value in row.items()
        if value is not None
    }
    indicators = {
        code: IndicatorInfo(code, "lower" if code in lower else "higher")
        for code in method.indicator_codes
    }
    return RaceSetup(method, tuple(values), figures, indicators)


def figures_for(codes, values=positive):
    row = st.fixed_dictionaries({code: st.one_of(st.none(), values) for code in codes})
    return st.lists(st.sampled_from(DISTRICTS), min_size=2, max_size=10, unique=True).flatmap(
        lambda districts: st.fixed_dictionaries({d: row for d in districts})
    )


ADDITIVE = methodology(
    dimension("g", leaf("a", "zscore"), leaf("b", "minmax", missing="reweight"), weight=3),
    dimension(
        "h",
        leaf("c", "efficacy"),
        leaf("d", "efficacy", transform="log"),
        aggregation="geometric_mean",
    ),
    leaf("e", "raw"),
    aggregation="weighted_sum",
    round=2,
)
GEOMETRIC = methodology(
    dimension("g", leaf("a", "efficacy"), leaf("b", "efficacy", weight=3)),
    leaf("c", "goalposts", params={"min": 1e-4, "max": 2e6}, transform="log"),
    leaf("d", "efficacy", missing="reweight", weight=0.5),
    aggregation="geometric_mean",
    round=3,
)


def test_parts_are_the_differences_of_the_contributions_largest_first():
    method = methodology(leaf("a", weight=3), leaf("b"), aggregation="weighted_mean")
    result = setup_of(method, {"X": {"a": 10, "b": 2}, "Y": {"a": 8, "b": 6}}).run()
    versus = versus_parts(result, district="Y", other="X")
    # Y: 0.75 × 8 + 0.25 × 6 = 7.5; X: 0.75 × 10 + 0.25 × 2 = 8.
    assert versus.score_difference == pytest.approx(-0.5)
    assert list(versus.parts) == ["a", "b"]
    assert versus.parts == pytest.approx({"a": -1.5, "b": 1.0})


def test_the_default_rival_is_the_district_just_above_or_below_for_the_leader():
    method = methodology(leaf("a"))
    setup = setup_of(method, {"X": {"a": 3}, "Y": {"a": 2}, "Z": {"a": 1}})
    assert explain_district(setup, district="Y", draws=10).versus.district == "X"
    assert explain_district(setup, district="X", draws=10).versus.district == "Y"
    assert neighbours(setup.run(), "Y") == ("X", "Z")


def test_the_district_just_above_is_the_nearest_better_rank_not_a_tied_one():
    method = methodology(leaf("a"))
    values = {"P": {"a": 9}, "Q": {"a": 5}, "R": {"a": 5}, "S": {"a": 5}, "T": {"a": 1}}
    assert neighbours(setup_of(method, values).run(), "R") == ("P", "T")


def test_the_leader_has_nobody_to_overtake_and_the_last_nobody_to_hold_off():
    setup = setup_of(methodology(leaf("a")), {"X": {"a": 3}, "Y": {"a": 2}})
    assert explain_district(setup, district="X", draws=10).overtake is None
    assert explain_district(setup, district="Y", draws=10).hold is None


def test_an_unknown_district_or_rival_names_the_argument():
    setup = setup_of(methodology(leaf("a")), {"X": {"a": 3}, "Y": {"a": 2}})
    with pytest.raises(ExplanationError) as unknown:
        explain_district(setup, district="NOPE")
    assert unknown.value.argument == "district"
    with pytest.raises(ExplanationError) as rival:
        explain_district(setup, district="X", versus="NOPE")
    assert rival.value.argument == "versus"
    with pytest.raises(ExplanationError) as itself:
        explain_district(setup, district="X", versus="X")
    assert itself.value.argument == "versus"


def test_a_district_without_a_score_cannot_be_explained():
    method = methodology(leaf("a", missing="reweight"))
    setup = setup_of(method, {"X": {"a": 3}, "Y": {"a": None}})
    with pytest.raises(ExplanationError, match="no score"):
        explain_district(setup, district="Y")


def _check_parts_sum(method, values, pick, other):
    result = setup_of(method, values).run()
    scored = [s.district for s in result.standings if s.score is not None]
    if len(scored) < 2:
        return
    district, rival = scored[pick % len(scored)], scored[other % len(scored)]
    if district == rival:
        return
    versus = versus_parts(result, district=district, other=rival)
    total = math.fsum(versus.parts.values())
    size = max(1.0, abs(versus.score_difference))
    assert abs(total - versus.score_difference) <= 1e-9 * size
    mine, theirs = result.standing(district).score, result.standing(rival).score
    if result.contribution_scale == "log":
        assert versus.score_difference == math.log(mine) - math.log(theirs)
    else:
        assert versus.score_difference == mine - theirs
    sizes = [abs(part) for part in versus.parts.values()]
    assert sizes == sorted(sizes, reverse=True)


@settings(max_examples=80, deadline=None, database=None)
@given(values=figures_for("abcde"), pick=st.integers(0, 9), other=st.integers(0, 9))
def test_parts_sum_to_the_score_difference_for_an_additive_root(values, pick, other):
    _check_parts_sum(ADDITIVE, values, pick, other)


@settings(max_examples=80, deadline=None, database=None)
@given(values=figures_for("abcd"), pick=st.integers(0, 9), other=st.integers(0, 9))
def test_parts_sum_to_the_difference_of_ln_scores_for_a_geometric_root(values, pick, other):
    _check_parts_sum(GEOMETRIC, values, pick, other)


def test_norway_against_switzerland_in_the_hdi_2022_sums_to_the_published_difference():
    rows = read_csv("inputs.csv")
    published = {row["iso3"]: float(row["hdi_2022"]) for row in read_csv("published.csv")}
    figures = {
        (row["iso3"], code): Figure(float(row[f"{code}_2022"]))
        for row in rows
        for code in INDICATORS
    }
    setup = RaceSetup(
        parse_methodology(load_spec()),
        tuple(row["iso3"] for row in rows),
        figures,
        {code: IndicatorInfo(code) for code in INDICATORS},
    )
    versus = explain_district(setup, district="NOR", versus="CHE", draws=50).versus
    assert versus.district == "CHE"
    assert math.fsum(versus.parts.values()) == pytest.approx(versus.score_difference, abs=1e-12)
    # Published to 3 decimals: 0.966 and 0.967.
    published_difference = math.log(published["NOR"]) - math.log(published["CHE"])
    assert versus.score_difference == pytest.approx(published_difference, abs=1e-3)
    # Switzerland lives longer; Norway's schooling closes part of the gap.
    assert versus.parts["le"] < 0 < versus.parts["mys"]
