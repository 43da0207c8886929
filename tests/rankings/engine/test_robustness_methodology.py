"""The [robustness] table of a methodology file."""

import pytest

from rankings.engine import MethodologyError, Robustness, parse_methodology


def spec(robustness=None, aggregation="weighted_sum"):
    result = {
        "code": "r",
        "name": "R",
        "score": {"aggregation": aggregation},
        "nodes": [{"indicator": "a", "normalisation": "efficacy"}],
    }
    if robustness is not None:
        result["robustness"] = robustness
    return result


def problems(robustness, aggregation="weighted_sum"):
    with pytest.raises(MethodologyError) as error:
        parse_methodology(spec(robustness, aggregation))
    return error.value.problems


def test_without_the_table_the_methodology_has_none_and_its_normal_form_is_unchanged():
    methodology = parse_methodology(spec())
    assert methodology.robustness is None
    assert "robustness" not in methodology.to_dict()


def test_every_key_has_a_default():
    assert parse_methodology(spec({})).robustness == Robustness(
        weight_spread=0.2, normalisations=(), draws=1000
    )


def test_the_table_is_kept_in_the_normal_form_and_parses_back_equal():
    methodology = parse_methodology(
        spec({"weight_spread": 0.1, "normalisations": ["zscore", "minmax"], "draws": 500})
    )
    assert methodology.to_dict()["robustness"] == {
        "weight_spread": 0.1,
        "normalisations": ["zscore", "minmax"],
        "draws": 500,
    }
    assert parse_methodology(methodology.to_dict()) == methodology


def test_every_problem_is_named_by_its_path():
    found = problems(
        {
            "weight_spread": 1,
            "normalisations": ["zscore", "goalposts", "zscore"],
            "draws": 0,
            "seed": 4,
        }
    )
    assert found == (
        "robustness.seed: unknown key (expected one of 'weight_spread', 'normalisations', 'draws')",
        "robustness.weight_spread: must be between 0.0 and 0.99, got 1",
        "robustness.draws: must be between 1 and 100000, got 0",
        "robustness.normalisations[1]: unknown method 'goalposts' (expected one of 'zscore', "
        "'minmax', 'efficacy', 'rank_points', 'raw')",
        "robustness.normalisations[2]: 'zscore' is listed twice",
    )


def test_under_a_geometric_mean_only_efficacy_can_stand_in():
    found = problems({"normalisations": ["efficacy", "minmax"]}, aggregation="geometric_mean")
    assert len(found) == 1 and found[0].startswith("robustness.normalisations[1]: 'minmax'")
    geometric = parse_methodology(spec({"normalisations": ["efficacy"]}, "geometric_mean"))
    assert geometric.robustness.normalisations == ("efficacy",)
