"""run_race pauses the cyclic garbage collector and leaves it as it found it."""

import gc

import pytest

from rankings.engine import Figure, IndicatorInfo, run_race

from .builders import leaf, methodology

RACE = methodology(leaf("x", "zscore"))


def _run(indicators):
    return run_race(
        RACE, entrants=["A", "B"], figures={("A", "x"): Figure(1.0)}, indicators=indicators
    )


def test_it_turns_the_collector_back_on_after_a_race():
    assert gc.isenabled()
    _run({"x": IndicatorInfo("x")})
    assert gc.isenabled()


def test_it_turns_the_collector_back_on_when_a_race_fails():
    with pytest.raises(ValueError):
        _run({})
    assert gc.isenabled()


def test_it_leaves_a_paused_collector_paused():
    gc.disable()
    try:
        _run({"x": IndicatorInfo("x")})
        assert not gc.isenabled()
    finally:
        gc.enable()
