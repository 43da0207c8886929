"""A standing's indicator results and reasons are built when read, and behave as the plain
dict and tuple they stand for."""

import copy
import pickle

from rankings.engine import Figure, IndicatorInfo, IndicatorResult, run_race

from .builders import leaf, methodology

RACE = methodology(leaf("x", "zscore"), leaf("y", "minmax", weight=2))


def _standing():
    result = run_race(
        RACE,
        entrants=["A", "B", "C"],
        figures={
            ("A", "x"): Figure(1.0, ref={"id": 1}),
            ("B", "x"): Figure(3.0, ref={"id": 2}),
            ("A", "y"): Figure(5.0, ref={"id": 3}),
            ("C", "y"): Figure(2.0, ref={"id": 4}),
        },
        indicators={"x": IndicatorInfo("x"), "y": IndicatorInfo("y")},
    )
    return result.standing("A")


def test_it_reads_like_a_dict_of_indicator_results_in_tree_order():
    indicators = _standing().indicators
    assert list(indicators) == ["x", "y"]
    assert len(indicators) == 2 and "x" in indicators and "z" not in indicators
    assert isinstance(indicators["x"], IndicatorResult)
    assert indicators["x"].ref == {"id": 1}
    assert indicators.get("z") is None
    assert [code for code, _ in indicators.items()] == ["x", "y"]


def test_it_equals_the_plain_dict_it_stands_for():
    indicators = _standing().indicators
    plain = dict(indicators.items())
    assert indicators == plain and plain == indicators
    assert repr(indicators) == repr(plain)


def test_it_pickles_and_copies_as_a_plain_dict():
    standing = _standing()
    plain = dict(standing.indicators.items())
    for copied in (pickle.loads(pickle.dumps(standing)), copy.deepcopy(standing)):
        assert type(copied.indicators) is dict
        assert copied.indicators == plain
        assert copied == standing


def test_reasons_read_like_the_tuple_they_stand_for():
    standing = _standing()
    reasons = standing.reasons
    plain = tuple(reasons)
    assert plain and reasons == plain and plain == reasons
    assert len(reasons) == len(plain) and reasons[0] == plain[0] and reasons[-1:] == plain[-1:]
    assert [r.kind for r in reasons] == [r.kind for r in plain]
    assert repr(reasons) == repr(plain)
    assert reasons + () == plain and () + reasons == plain


def test_reasons_pickle_and_copy_as_a_plain_tuple():
    standing = _standing()
    plain = tuple(standing.reasons)
    for copied in (pickle.loads(pickle.dumps(standing)), copy.deepcopy(standing)):
        assert type(copied.reasons) is tuple
        assert copied.reasons == plain
        assert copied == standing
