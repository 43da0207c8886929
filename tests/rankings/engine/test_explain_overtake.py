"""What it takes to overtake the district above, and how far one can fall before the
district below passes: each change is checked by re-running the whole race."""

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.engine import (
    Figure,
    RaceSetup,
    ValidRange,
    hold_changes,
    neighbours,
    overtake_changes,
    overtakes,
)

from .builders import dimension, leaf, methodology
from .test_explain_versus import DISTRICTS, setup_of


def with_value(setup, district, indicator, value):
    figures = dict(setup.figures)
    figures[(district, indicator)] = replace(figures[(district, indicator)], value=value)
    return RaceSetup(setup.methodology, setup.entrants, figures, setup.indicators)


def passes(setup, district, rival):
    highest_first = setup.methodology.score.order == "highest_first"
    return overtakes(setup.run(), district=district, rival=rival, highest_first=highest_first)


def by_indicator(changes):
    return {change.indicator: change for change in changes}


PLAIN = methodology(leaf("a"), leaf("b"), aggregation="weighted_sum")


def test_the_smallest_rise_that_gives_a_strictly_higher_score():
    setup = setup_of(PLAIN, {"X": {"a": 5, "b": 5}, "Y": {"a": 4, "b": 5}})
    change = by_indicator(overtake_changes(setup, district="Y", rival="X"))["a"]
    # Y needs a + 5 > 10: a level score is not enough.
    assert change.reachable and change.rival == "X" and change.value == 4
    assert change.needed > 5 and change.needed == pytest.approx(5, abs=1e-12)
    assert change.change == change.needed - 4
    assert passes(with_value(setup, "Y", "a", change.needed), "Y", "X")
    assert not passes(with_value(setup, "Y", "a", 5.0), "Y", "X")


def test_a_rounded_ranking_score_must_round_above_the_rivals():
    method = methodology(leaf("a"), leaf("b"), aggregation="weighted_sum", round=1)
    setup = setup_of(method, {"X": {"a": 5, "b": 5}, "Y": {"a": 4, "b": 5}})
    change = by_indicator(overtake_changes(setup, district="Y", rival="X"))["a"]
    # 10.05 rounds (half away from zero) to 10.1, above X's 10.0; anything less to 10.0.
    assert change.needed == pytest.approx(5.05, abs=1e-9)


def test_the_rival_moves_too_because_normalisation_is_recomputed():
    method = methodology(leaf("a", "minmax"), leaf("b", "minmax"), aggregation="weighted_sum")
    values = {"X": {"a": 8, "b": 10}, "Y": {"a": 10, "b": 0}, "Z": {"a": 0, "b": 5}}
    setup = setup_of(method, values)
    # X: 80 + 100; Y: 100 + 0. Y raising a above 10 lowers X's share of a's range.
    change = by_indicator(overtake_changes(setup, district="Y", rival="X"))["a"]
    # Y scores 100 + 0, X 100 × 8 / a + 100: Y passes only when 800 / a < 0, never.
    assert not change.reachable and change.needed is None and change.change is None
    assert change.value == 10


def test_a_lower_is_better_indicator_is_improved_by_falling():
    method = methodology(leaf("a"), leaf("b"), aggregation="weighted_sum")
    setup = setup_of(method, {"X": {"a": 1, "b": 5}, "Y": {"a": 2, "b": 5}}, lower=("a",))
    change = by_indicator(overtake_changes(setup, district="Y", rival="X"))["a"]
    assert change.change < 0 and change.needed == pytest.approx(1, abs=1e-12)


def test_growth_is_changed_through_the_entered_figure_not_the_rate():
    method = methodology(leaf("g", input="growth"))
    figures = {
        ("X", "g"): Figure(110.0, last_year=100.0),  # +10 %
        ("Y", "g"): Figure(105.0, last_year=100.0),  # +5 %
    }
    setup = RaceSetup(method, ("X", "Y"), figures, setup_of(method, {}).indicators)
    change = by_indicator(overtake_changes(setup, district="Y", rival="X"))["g"]
    assert change.needed == pytest.approx(110, abs=1e-9) and change.change > 0


def test_no_value_within_the_valid_range_is_not_reachable():
    setup = setup_of(PLAIN, {"X": {"a": 5, "b": 5}, "Y": {"a": 4, "b": 5}})
    change = by_indicator(
        overtake_changes(setup, district="Y", rival="X", valid_ranges={"a": ValidRange(max=5)})
    )["a"]
    assert not change.reachable and change.needed is None


def test_without_a_valid_range_the_search_reaches_ten_times_the_groups_range():
    setup = setup_of(PLAIN, {"X": {"a": 5, "b": 25}, "Y": {"a": 4, "b": 5}})
    # Y needs a > 25 on a group range of 1: farther than ten times that.
    assert not by_indicator(overtake_changes(setup, district="Y", rival="X"))["a"].reachable
    assert by_indicator(
        overtake_changes(setup, district="Y", rival="X", valid_ranges={"a": ValidRange(max=100)})
    )["a"].reachable


def test_an_indicator_without_an_own_figure_has_nothing_to_change():
    setup = setup_of(PLAIN, {"X": {"a": 5, "b": 5}, "Y": {"a": None, "b": 5}})
    change = by_indicator(overtake_changes(setup, district="Y", rival="X"))["a"]
    assert (change.value, change.needed, change.reachable) == (None, None, False)


def test_hold_is_the_largest_fall_before_the_rival_gets_a_strictly_higher_score():
    setup = setup_of(PLAIN, {"X": {"a": 5, "b": 5}, "Y": {"a": 4, "b": 5}})
    change = by_indicator(hold_changes(setup, district="X", rival="Y"))["a"]
    # X at a = 4 is level with Y, which does not pass; any lower and it does.
    assert change.reachable and change.needed == pytest.approx(4, abs=1e-12)
    assert change.change == pytest.approx(-1, abs=1e-12)
    assert not passes(with_value(setup, "X", "a", change.needed), "Y", "X")
    assert passes(with_value(setup, "X", "a", 3.99), "Y", "X")


def test_a_fall_that_never_lets_the_rival_pass_is_not_reachable():
    setup = setup_of(PLAIN, {"X": {"a": 5, "b": 50}, "Y": {"a": 4, "b": 5}})
    change = by_indicator(hold_changes(setup, district="X", rival="Y"))["a"]
    assert not change.reachable and change.needed is None and change.change is None


positive = st.floats(min_value=1e-2, max_value=1e4, allow_nan=False, allow_infinity=False)


def figures_for(codes, values=positive, missing=True):
    value = st.one_of(st.none(), values) if missing else values
    row = st.fixed_dictionaries({code: value for code in codes})
    return st.lists(st.sampled_from(DISTRICTS[:7]), min_size=2, max_size=7, unique=True).flatmap(
        lambda districts: st.fixed_dictionaries({d: row for d in districts})
    )


RICH = methodology(
    dimension("g", leaf("a", "zscore"), leaf("b", "minmax", weight=2, missing="zero"), weight=3),
    dimension(
        "h",
        leaf("c", "efficacy", missing="reweight"),
        leaf("d", "rank_points", transform="log"),
        aggregation="geometric_mean",
    ),
    leaf("e", "goalposts", params={"min": 0, "max": 5000}, cap={"max": 0.9}),
    round=1,
    tie_break=["a"],
)
MONOTONE = methodology(
    dimension("g", leaf("a", "minmax"), leaf("b", "efficacy", weight=2, missing="zero")),
    leaf("c", "goalposts", params={"min": 0, "max": 5000}, missing="reweight", weight=2),
    leaf("d", "efficacy", transform="log", missing="zero"),
    aggregation="weighted_mean",
    round=2,
)


def _pair(setup, pick, upwards):
    result = setup.run()
    ranked = [s.district for s in result.standings if s.rank is not None]
    if len(ranked) < 2:
        return None
    district = ranked[pick % len(ranked)]
    above, below = neighbours(result, district)
    rival = above if upwards else below
    return (district, rival) if rival is not None else None


@settings(max_examples=60, deadline=None, database=None)
@given(values=figures_for("abcde"), pick=st.integers(0, 6))
def test_every_reachable_overtake_passes_with_needed_and_not_with_99_percent(values, pick):
    setup = setup_of(RICH, values, lower=("b",))
    pair = _pair(setup, pick, upwards=True)
    if pair is None:
        return
    district, rival = pair
    for change in overtake_changes(setup, district=district, rival=rival):
        if not change.reachable:
            assert change.needed is None and change.change is None
            continue
        assert change.change == change.needed - change.value
        code = change.indicator
        assert passes(with_value(setup, district, code, change.needed), district, rival)
        almost = change.value + 0.99 * change.change
        if almost == change.needed:
            # A change of one float step (the least possible: any fall of a figure level
            # with everyone's makes it the group's best) has no 99 % short of itself.
            continue
        assert not passes(with_value(setup, district, code, almost), district, rival)


@settings(max_examples=60, deadline=None, database=None)
@given(values=figures_for("abcd"), pick=st.integers(0, 6))
def test_every_reachable_hold_keeps_ahead_with_needed_and_not_1_percent_further(values, pick):
    setup = setup_of(MONOTONE, values, lower=("c",))
    pair = _pair(setup, pick, upwards=False)
    if pair is None:
        return
    district, rival = pair
    for change in hold_changes(setup, district=district, rival=rival):
        if not change.reachable:
            continue
        code = change.indicator
        assert not passes(with_value(setup, district, code, change.needed), rival, district)
        further = change.value + 1.01 * change.change
        if further == change.needed:  # a fall of a float step or two: the next float loses
            further = math.nextafter(change.needed, -math.inf if change.change < 0 else math.inf)
        if change.change != 0:
            assert passes(with_value(setup, district, code, further), rival, district)
