"""Where a score change came from: own figures, the others' figures, a new methodology."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.engine import Figure, IndicatorInfo, RaceSetup, rank_change_parts
from rankings.engine.rank_change import parts_total

from .builders import dimension, leaf, methodology

DISTRICTS = ["D0", "D1", "D2", "D3", "D4", "D5"]
CODES = "abcd"
positive = st.floats(min_value=1e-2, max_value=1e5, allow_nan=False, allow_infinity=False)

ADDITIVE = methodology(
    dimension("g", leaf("a", "zscore"), leaf("b", "minmax", missing="reweight"), weight=2),
    leaf("c", "efficacy"),
    leaf("d", "rank_points", missing="zero"),
    aggregation="weighted_sum",
    round=2,
)
REWEIGHTED = methodology(
    dimension("g", leaf("a", "minmax"), leaf("b", "zscore", missing="zero"), weight=1),
    leaf("c", "efficacy", weight=3),
    leaf("d", "raw", transform="log"),
    aggregation="weighted_mean",
)
GEOMETRIC = methodology(
    dimension("g", leaf("a", "efficacy"), leaf("b", "efficacy", weight=3)),
    leaf("c", "goalposts", params={"min": 1e-3, "max": 1e6}, transform="log"),
    leaf("d", "efficacy", missing="reweight", weight=0.5),
    aggregation="geometric_mean",
    round=3,
)
# Fewer indicators than the others: a methodology change may add or drop some.
NARROW = methodology(leaf("a", "efficacy", weight=2), leaf("c", "efficacy"))
METHODOLOGIES = [ADDITIVE, REWEIGHTED, GEOMETRIC, NARROW]


def setup_of(method, values):
    figures = {
        (district, code): Figure(value)
        for district, row in values.items()
        for code, value in row.items()
        if value is not None
    }
    indicators = {code: IndicatorInfo(code) for code in CODES}
    return RaceSetup(method, tuple(sorted(values)), figures, indicators)


def rows(min_size=2):
    row = st.fixed_dictionaries({code: st.one_of(st.none(), positive) for code in CODES})
    return st.lists(st.sampled_from(DISTRICTS), min_size=min_size, max_size=6, unique=True).flatmap(
        lambda districts: st.fixed_dictionaries({d: row for d in districts})
    )


def assert_parts_sum(change):
    size = max(1.0, abs(change.score_change), *(abs(p) for p in change.own.values()))
    assert abs(parts_total(change) - change.score_change) <= 1e-9 * size


@settings(max_examples=80, deadline=None, database=None)
@given(
    before=rows(),
    after=rows(),
    old=st.sampled_from(METHODOLOGIES),
    new=st.sampled_from(METHODOLOGIES),
    pick=st.integers(0, 5),
)
def test_the_parts_sum_to_the_score_change_across_a_methodology_change(
    before, after, old, new, pick
):
    common = sorted(set(before) & set(after))
    if not common:
        return
    district = common[pick % len(common)]
    change = rank_change_parts(
        district=district, before=setup_of(old, before), after=setup_of(new, after)
    )
    if change is None:  # no score at some stage
        return
    assert_parts_sum(change)
    assert list(change.own) == sorted(change.own, key=lambda code: -abs(change.own[code]))
    assert set(change.own) == set(old.indicator_codes)
    if old == new:
        assert change.methodology == 0.0


@settings(max_examples=60, deadline=None, database=None)
@given(before=rows(), after=rows(), method=st.sampled_from(METHODOLOGIES), pick=st.integers(0, 5))
def test_the_change_is_the_difference_of_the_two_periods_scores(before, after, method, pick):
    common = sorted(set(before) & set(after))
    if not common:
        return
    district = common[pick % len(common)]
    earlier, later = setup_of(method, before), setup_of(method, after)
    change = rank_change_parts(district=district, before=earlier, after=later)
    if change is None:
        return
    old_score = earlier.run().standing(district).score
    new_score = later.run().standing(district).score
    if method.score.aggregation == "geometric_mean":
        assert change.score_change == math.log(new_score) - math.log(old_score)
    else:
        assert change.score_change == new_score - old_score


BEFORE = {"X": {"a": 10, "b": 5, "c": 1, "d": 3}, "Y": {"a": 6, "b": 9, "c": 4, "d": 2}}


def test_when_only_the_districts_own_figures_changed_the_others_part_is_zero():
    after = {**BEFORE, "X": {"a": 12, "b": 5, "c": 2, "d": 3}}
    change = rank_change_parts(
        district="X", before=setup_of(ADDITIVE, BEFORE), after=setup_of(ADDITIVE, after)
    )
    assert change.others == 0.0 and change.methodology == 0.0
    assert change.own["b"] == 0.0 or abs(change.own["b"]) < abs(change.own["a"])
    assert_parts_sum(change)


def test_when_only_the_others_figures_changed_every_own_part_is_zero():
    after = {**BEFORE, "Y": {"a": 20, "b": 1, "c": 4, "d": 9}}
    change = rank_change_parts(
        district="X", before=setup_of(ADDITIVE, BEFORE), after=setup_of(ADDITIVE, after)
    )
    assert set(change.own.values()) == {0.0} and change.methodology == 0.0
    assert change.others == pytest.approx(change.score_change)
    assert change.others != 0


def test_when_only_the_methodology_changed_it_is_the_whole_change():
    change = rank_change_parts(
        district="Y",
        before=setup_of(ADDITIVE, BEFORE),
        after=setup_of(GEOMETRIC, BEFORE),
        previous_period="2025Q1",
    )
    assert set(change.own.values()) == {0.0} and change.others == 0.0
    assert change.methodology == change.score_change
    assert change.previous_period == "2025Q1"


def test_a_district_that_was_not_in_the_previous_race_has_no_rank_change():
    after = {**BEFORE, "Z": {"a": 1, "b": 1, "c": 1, "d": 1}}
    assert (
        rank_change_parts(
            district="Z", before=setup_of(ADDITIVE, BEFORE), after=setup_of(ADDITIVE, after)
        )
        is None
    )


def test_the_parts_are_on_this_periods_scale_when_the_methodology_changes_scale():
    after = {"X": {"a": 11, "b": 5, "c": 2, "d": 3}, "Y": {"a": 6, "b": 7, "c": 4, "d": 2}}
    change = rank_change_parts(
        district="X", before=setup_of(GEOMETRIC, BEFORE), after=setup_of(REWEIGHTED, after)
    )
    # The previous methodology's own parts (on the log scale) are carried to the score
    # scale by the logarithmic mean of the two scores, so they still add up.
    assert_parts_sum(change)
    old = setup_of(GEOMETRIC, BEFORE).run().standing("X").score
    new = setup_of(REWEIGHTED, after).run().standing("X").score
    assert change.score_change == new - old
