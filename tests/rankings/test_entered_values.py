"""Publishing reads the engine's columns directly: the entered ranks and the indicator
details it stores are exactly those of the generic path, which reads each standing's
results one by one (the path of standings made by hand)."""

from __future__ import annotations

import dataclasses

import numpy as np
import orjson
import pytest

from rankings.engine import parse_methodology, run_race
from rankings.engine.bench import synthetic_inputs, synthetic_spec
from rankings.entered_values import (
    engine_entered_values,
    engine_standings_details,
    entered_values_ranked,
    indicator_details,
    indicators_details,
)
from tests.rankings.engine.test_characterisation import CASES, _case
from tests.rankings.engine.test_hdi2022 import load_spec, run_hdi


def _by_hand(standings):
    """The same standings with their results as plain dicts: the generic path."""
    return [dataclasses.replace(s, indicators=dict(s.indicators)) for s in standings]


def _same_as_the_generic_path(standings, directions) -> None:
    fast = engine_entered_values(standings, directions)
    generic = entered_values_ranked(engine_standings_details(standings), directions)
    assert fast.summary == generic.summary
    assert fast.districts == generic.districts and fast.codes == generic.codes
    assert np.array_equal(fast.ranks, generic.ranks)
    assert np.array_equal(fast.tied, generic.tied)
    stored = list(indicators_details(standings, fast))
    expected = [indicator_details(standing, generic) for standing in standings]
    assert orjson.dumps(stored, option=orjson.OPT_SERIALIZE_NUMPY) == orjson.dumps(
        expected, option=orjson.OPT_SERIALIZE_NUMPY
    )
    assert list(indicators_details(_by_hand(standings), generic)) == expected


def _directions(indicators) -> dict[str, str]:
    return {code: info.direction for code, info in indicators.items()}


@pytest.mark.parametrize("first", range(0, CASES, 100))
def test_the_generated_races_store_the_same_details(first):
    for number in range(first, first + 100):
        methodology, inputs = _case(number)
        try:
            result = run_race(methodology, **inputs)
        except ArithmeticError:
            continue
        _same_as_the_generic_path(result.standings, _directions(inputs["indicators"]))


def test_a_larger_race_and_the_hdi_store_the_same_details():
    bench = parse_methodology(synthetic_spec())
    inputs = synthetic_inputs(bench.indicator_codes, 200)
    result = run_race(bench, **inputs)
    _same_as_the_generic_path(result.standings, _directions(inputs["indicators"]))
    hdi = run_hdi(load_spec())
    _same_as_the_generic_path(hdi.standings, {})


def test_standings_of_several_races_take_the_generic_path():
    bench = parse_methodology(synthetic_spec())
    first = run_race(bench, **synthetic_inputs(bench.indicator_codes, 20))
    second = run_race(bench, **synthetic_inputs(bench.indicator_codes, 20))
    mixed = [*first.standings[:10], *second.standings[10:]]
    _same_as_the_generic_path(mixed, {})
