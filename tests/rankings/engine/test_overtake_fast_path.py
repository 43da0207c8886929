"""The fast search of overtake and hold (every search in step, the two compared rows
re-normalised from the group's statistics) finds exactly what the reference finds: the
search run one try at a time, each try scoring the changed leaf for the whole group
(reference_overtaking.py, the engine's code before the fast path)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.engine import Figure, IndicatorInfo, RaceSetup, ValidRange, neighbours
from rankings.engine.overtaking import changes_each

from . import reference_overtaking as reference
from .builders import dimension, leaf, methodology
from .test_explain_versus import DISTRICTS

positive = st.floats(min_value=1e-2, max_value=1e4, allow_nan=False, allow_infinity=False)
# Last year's figures away from 0: a growth rate that overflows to infinity makes the race
# itself raise (fsum of -inf and inf), in the reference as in the fast search.
signed = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False).filter(
    lambda x: abs(x) >= 1e-3
)

# Every fast method, each missing-value policy, caps, a log transform (tries at or below
# zero fall back to the whole group), growth, a geometric dimension, rounding, and the
# methods scored the slow way (rank_points, target_ratio) beside them.
METHODS = {
    "zscore": methodology(
        leaf("a", "zscore", missing="average"),
        leaf("b", "zscore", weight=2, missing="zero", cap={"min": -1, "max": 1.5}),
        leaf("c", "zscore", input="growth"),
        aggregation="weighted_mean",
        round=2,
    ),
    "range": methodology(
        dimension(
            "g",
            leaf("a", "minmax", missing="average"),
            leaf("b", "efficacy", weight=2, missing="reweight", transform="log"),
        ),
        leaf("c", "minmax", missing="zero", cap={"max": 80}),
        aggregation="weighted_sum",
        round=1,
    ),
    "posts": methodology(
        dimension(
            "h",
            leaf("a", "goalposts", params={"min": 0, "max": 5000}, missing="average"),
            leaf("b", "raw", missing="zero"),
            aggregation="geometric_mean",
        ),
        leaf("c", "efficacy", input="growth", missing="average", cap={"min": 65}),
    ),
    "mixed": methodology(
        dimension("g", leaf("a", "zscore"), leaf("b", "minmax", weight=2, missing="zero")),
        leaf("c", "rank_points", params={"points": 10, "step": 1}, missing="average"),
        leaf("d", "target_ratio", params={"scale": 100, "target": 500}, missing="reweight"),
        round=1,
    ),
}


def setup_of(method, values, lower):
    figures = {}
    for district, row in values.items():
        for code, (value, last_year) in row.items():
            if value is not None:
                figures[(district, code)] = Figure(value, last_year=last_year)
    indicators = {
        code: IndicatorInfo(code, "lower" if code in lower else "higher")
        for code in method.indicator_codes
    }
    return RaceSetup(method, tuple(values), figures, indicators)


def races():
    figure = st.tuples(st.one_of(st.none(), positive), st.one_of(st.none(), signed))
    row = st.fixed_dictionaries({code: figure for code in "abcd"})
    rows = st.lists(st.sampled_from(DISTRICTS[:8]), min_size=2, max_size=8, unique=True).flatmap(
        lambda districts: st.fixed_dictionaries({d: row for d in districts})
    )
    return st.tuples(
        st.sampled_from(sorted(METHODS)), rows, st.sets(st.sampled_from("abcd"), max_size=2)
    )


def neighbour_pairs(setup):
    result = setup.run()
    above, below = {}, {}
    for standing in result.standings:
        if standing.rank is None:
            continue
        up, down = neighbours(result, standing.district)
        if up is not None:
            above[standing.district] = up
        if down is not None:
            below[standing.district] = down
    return above, below


def assert_same(fast, slow):
    assert [c.indicator for c in fast] == [c.indicator for c in slow]
    for mine, theirs in zip(fast, slow, strict=True):
        assert mine.reachable == theirs.reachable, (mine, theirs)
        assert mine.value == theirs.value
        assert mine.needed == theirs.needed, (mine, theirs)
        assert mine.change == theirs.change


@settings(max_examples=100, deadline=None, database=None)
@given(race=races(), ranged=st.booleans())
def test_the_fast_search_finds_exactly_what_the_reference_finds(race, ranged):
    name, values, lower = race
    setup = setup_of(METHODS[name], values, lower)
    ranges = {"a": ValidRange(min=0, max=20_000)} if ranged else {}
    above, below = neighbour_pairs(setup)
    overtaking = changes_each(setup, pairs=above, valid_ranges=ranges, overtake=True)
    holding = changes_each(setup, pairs=below, valid_ranges=ranges, overtake=False)
    for district, rival in above.items():
        expected = reference.overtake_changes(
            setup, district=district, rival=rival, valid_ranges=ranges
        )
        assert_same(overtaking[district], expected)
    for district, rival in below.items():
        expected = reference.hold_changes(
            setup, district=district, rival=rival, valid_ranges=ranges
        )
        assert_same(holding[district], expected)
