"""Properties that must hold for any figures (hypothesis)."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.engine import Figure, IndicatorInfo, run_race

from .builders import dimension, leaf, methodology, race

DISTRICTS = [f"D{i:02d}" for i in range(12)]
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


def figures_for(codes, values=finite, missing=True):
    """{district: {indicator: value or None}} for 1..12 districts."""
    value = st.one_of(st.none(), values) if missing else values
    row = st.fixed_dictionaries({code: value for code in codes})
    return st.lists(st.sampled_from(DISTRICTS), min_size=1, max_size=12, unique=True).flatmap(
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
    leaf("e", "goalposts", params={"min": -100, "max": 100}, cap={"max": 0.9}),
    round=1,
    tie_break=["a"],
    min_coverage=0.3,
    flags=[
        {"name": "red", "position": "top", "count": 2},
        {"name": "yellow", "position": "bottom", "count": 2},
    ],
)


@settings(max_examples=60, deadline=None, database=None)
@given(values=figures_for("abcde"), seed=st.randoms(use_true_random=False))
def test_reordering_entrants_and_figures_changes_nothing(values, seed):
    figures = {(d, c): Figure(v, ref={"d": d}) for d, row in values.items() for c, v in row.items()}
    indicators = {c: IndicatorInfo(c, "lower" if c == "b" else "higher") for c in "abcde"}
    entrants = list(values)
    shuffled_entrants = entrants[:]
    seed.shuffle(shuffled_entrants)
    items = list(figures.items())
    seed.shuffle(items)
    first = run_race(RICH, entrants=entrants, figures=figures, indicators=indicators)
    second = run_race(
        RICH, entrants=shuffled_entrants + entrants[:1], figures=dict(items), indicators=indicators
    )
    assert first.to_dict() == second.to_dict()


# Rounding to 6 decimals merges scores that are mathematically equal but whose float sums
# differ in the last bit, which would otherwise decide their order at random.
MINMAX = methodology(
    leaf("a", "minmax"), leaf("b", "minmax", weight=2), leaf("c", "minmax"), round=6
)
ZSCORE = methodology(leaf("a", "zscore"))


@settings(max_examples=100, deadline=None, database=None)
@given(
    values=figures_for("abc", st.integers(-100, 100), missing=False),
    pick=st.integers(0, 11),
    indicator=st.sampled_from("abc"),
    raise_by=st.integers(1, 100),
)
def test_raising_a_value_never_lowers_the_districts_rank_under_minmax(
    values, pick, indicator, raise_by
):
    district = sorted(values)[pick % len(values)]
    before = race(MINMAX, values).standing(district).rank
    values[district] = {**values[district], indicator: values[district][indicator] + raise_by}
    after = race(MINMAX, values).standing(district).rank
    assert after <= before


@settings(max_examples=100, deadline=None, database=None)
@given(
    values=figures_for("a", st.integers(-100, 100), missing=False),
    pick=st.integers(0, 11),
    raise_by=st.integers(1, 100),
)
def test_raising_a_value_never_lowers_the_districts_rank_under_zscore(values, pick, raise_by):
    # A single indicator: with several, z-scores are not rank-monotone (raising an outlier
    # towards the mean shrinks the SD and widens everyone else's gaps); see the docs.
    district = sorted(values)[pick % len(values)]
    before = race(ZSCORE, values).standing(district).rank
    values[district] = {"a": values[district]["a"] + raise_by}
    assert race(ZSCORE, values).standing(district).rank <= before


ADDITIVE_TREE = methodology(
    dimension(
        "g",
        leaf("a", "zscore"),
        leaf("b", "minmax", missing="reweight"),
        weight=3,
        aggregation="weighted_sum",
    ),
    dimension(
        "h",
        leaf("c", "efficacy"),
        dimension("k", leaf("d", "efficacy"), leaf("e", "raw", transform="log")),
        aggregation="geometric_mean",
        weight=2,
    ),
    leaf("f", "raw"),
)
GEOMETRIC_TREE = methodology(
    dimension("g", leaf("a", "efficacy"), leaf("b", "efficacy", weight=3)),
    dimension(
        "h",
        dimension("k", leaf("c", "efficacy"), leaf("d", "efficacy"), aggregation="geometric_mean"),
        leaf("e", "goalposts", params={"min": 1e-4, "max": 2e6}, transform="log"),
    ),
    leaf("f", "efficacy", missing="reweight", weight=0.5),
    aggregation="geometric_mean",
)


@settings(max_examples=80, deadline=None, database=None)
@given(values=figures_for("abcdef", positive))
def test_contributions_sum_to_the_score_for_an_additive_root(values):
    for standing in race(ADDITIVE_TREE, values).standings:
        if standing.score is not None:
            total = math.fsum(standing.contributions.values())
            assert math.isclose(total, standing.score, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=80, deadline=None, database=None)
@given(values=figures_for("abcdef", positive))
def test_contributions_sum_to_the_log_score_for_a_geometric_root(values):
    for standing in race(GEOMETRIC_TREE, values).standings:
        if standing.score is None:  # nothing to impute from when nobody has a figure
            continue
        assert standing.contribution_scale == "log"
        total = math.fsum(standing.contributions.values())
        assert math.isclose(total, math.log(standing.score), rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=100, deadline=None, database=None)
@given(values=figures_for("a", st.integers(0, 5), missing=False))
def test_equal_scores_share_a_rank_and_the_next_rank_skips(values):
    result = race(methodology(leaf("a")), values)
    scores = [s.score for s in result.standings]
    for standing in result.standings:
        better = sum(1 for other in scores if other > standing.score)
        assert standing.rank == 1 + better
        assert standing.tied == (scores.count(standing.score) > 1)


def _comparable(result):
    return [
        (
            s.district,
            s.rank,
            s.tied,
            s.score,
            s.contributions,
            {c: r.normalised for c, r in s.indicators.items()},
        )
        for s in result.standings
    ]


@settings(max_examples=80, deadline=None, database=None)
@given(values=figures_for("abc"))
def test_flipping_direction_and_negating_values_gives_the_same_standings(values):
    method = methodology(leaf("a", "zscore"), leaf("b", "minmax", weight=2), leaf("c", "zscore"))
    flipped = {
        d: {
            **row,
            "b": None if row["b"] is None else -row["b"],
            "c": None if row["c"] is None else -row["c"],
        }
        for d, row in values.items()
    }
    assert _comparable(race(method, values)) == _comparable(race(method, flipped, lower=("b", "c")))
