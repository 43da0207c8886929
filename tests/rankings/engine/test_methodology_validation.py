"""Parsing the methodology dict: defaults, normal form, and every problem reported at once."""

import tomllib

import pytest

from rankings.engine import (
    Cap,
    Dimension,
    Leaf,
    MethodologyError,
    Normalisation,
    parse_methodology,
)

COUNTY = """
code = "county-economy"
name = "县域经济赛马"
name_en = "County economy race"
group = "districts"

[score]
aggregation = "weighted_sum"
round = 2
tie_break = ["gdp_growth"]
min_coverage = 0.6

[[flags]]
name = "red"
position = "top"
count = 3

[defaults]
normalisation = { method = "efficacy" }
missing = "average"
cap = { min = -3, max = 3 }

[[nodes]]
code = "growth"
weight = 60
  [[nodes.nodes]]
  indicator = "gdp_growth"
  weight = 20
  input = "growth"
  normalisation = { method = "goalposts", min = 0, max = 15 }
  cap = { min = 0, max = 120 }
  [[nodes.nodes]]
  indicator = "revenue"
  weight = 10
  input = "target_completion"
  cap = {}

[[nodes]]
code = "pollution"
weight = 40
  [[nodes.nodes]]
  indicator = "pm25"
  direction = "lower"
  missing = "zero"
"""


def county() -> dict:
    return tomllib.loads(COUNTY)


def problems_of(spec: dict) -> tuple[str, ...]:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(spec)
    return caught.value.problems


def test_a_valid_methodology_parses_into_a_tree_with_defaults_applied():
    method = parse_methodology(county())
    assert method.indicator_codes == ("gdp_growth", "revenue", "pm25")
    growth, pollution = method.nodes
    assert isinstance(growth, Dimension) and growth.aggregation == "weighted_mean"
    gdp, revenue = growth.nodes
    assert gdp == Leaf(
        indicator="gdp_growth",
        weight=20.0,
        input="growth",
        normalisation=Normalisation("goalposts", min=0.0, max=15.0, scale=1.0),
        cap=Cap(min=0.0, max=120.0),
        missing="average",
    )
    # An empty cap table switches off the default cap.
    assert revenue.cap is None and revenue.normalisation == Normalisation("efficacy")
    (pm25,) = pollution.nodes
    assert (pm25.direction, pm25.missing, pm25.cap) == ("lower", "zero", Cap(-3.0, 3.0))
    assert method.score.tie_break == ("gdp_growth",)
    assert method.score.reasons == 3
    assert method.group == "districts"


def test_to_dict_round_trips_through_parse_methodology():
    method = parse_methodology(county())
    normal = method.to_dict()
    assert "defaults" not in normal  # applied to every leaf
    assert parse_methodology(normal) == method
    assert parse_methodology(normal).to_dict() == normal


def test_normalisation_parameters_get_their_documented_defaults():
    spec = {
        "code": "r",
        "name": "R",
        "nodes": [
            {"indicator": "a", "normalisation": {"method": "rank_points"}},
            {"indicator": "b", "normalisation": {"method": "rank_points", "mode": "proportional"}},
            {"indicator": "c", "normalisation": {"method": "target_ratio"}},
            {"indicator": "d", "normalisation": "minmax"},
        ],
    }
    a, b, c, d = parse_methodology(spec).nodes
    assert a.normalisation == Normalisation("rank_points", mode="step", points=100.0, step=1.0)
    assert b.normalisation == Normalisation("rank_points", mode="proportional", points=100.0)
    assert c.normalisation == Normalisation("target_ratio", scale=100.0)
    assert d.normalisation == Normalisation("minmax") and d.weight == 1.0


def test_an_unknown_method_names_its_path_and_the_choices():
    spec = county()
    spec["nodes"][1]["nodes"][0]["normalisation"] = {"method": "foo"}
    assert problems_of(spec) == (
        "nodes[1].nodes[0].normalisation.method: unknown method 'foo' (expected one of "
        "'zscore', 'minmax', 'goalposts', 'efficacy', 'rank_points', 'target_ratio', 'raw')",
    )


def test_every_problem_is_reported_at_once_with_its_path():
    spec = county()
    del spec["code"]
    spec["score"]["round"] = -1
    spec["score"]["order"] = "random"
    spec["score"]["tie_break"] = ["nope"]
    spec["flags"][0]["position"] = "middle"
    spec["defaults"]["missing"] = "guess"
    gdp = spec["nodes"][0]["nodes"][0]
    gdp["weight"] = -5
    gdp["normalisation"] = {"method": "goalposts", "min": 10, "colour": "red"}
    gdp["cap"] = {"min": 5, "max": 1}
    spec["nodes"][1]["nodes"][0]["indicator"] = "gdp_growth"
    spec["nodes"][1]["weight"] = "heavy"
    assert set(problems_of(spec)) == {
        "code: required",
        "score.round: must be between 0 and 12, got -1",
        "score.order: unknown order 'random' (expected one of 'highest_first', 'lowest_first')",
        "score.tie_break[0]: unknown indicator 'nope' (not a leaf of the tree)",
        "flags[0].position: unknown position 'middle' (expected one of 'top', 'bottom')",
        "defaults.missing: unknown missing-value policy 'guess' "
        "(expected one of 'average', 'zero', 'reweight')",
        "nodes[0].nodes[0].weight: must be greater than 0, got -5",
        "nodes[0].nodes[0].normalisation.colour: unknown key "
        "(expected one of 'method', 'min', 'max', 'scale')",
        "nodes[0].nodes[0].normalisation.max: required for method 'goalposts'",
        "nodes[0].nodes[0].cap: min (5) is greater than max (1)",
        "nodes[1].weight: expected a number, got 'heavy'",
        "nodes[1].nodes[0].indicator: 'gdp_growth' is already used at nodes[0].nodes[0].indicator",
    }


def test_the_error_message_lists_every_problem():
    spec = county()
    spec["name"] = ""
    spec["code"] = "Not A Slug"
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(spec)
    message = str(caught.value)
    assert "2 problems" in message
    assert "- code: 'Not A Slug' is not a slug" in message
    assert "- name: expected a non-empty string" in message


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.update(colour="red"), "colour: unknown key"),
        (lambda s: s.update(nodes=[]), "nodes: needs at least one node"),
        (lambda s: s.pop("nodes"), "nodes: required: at least one node"),
        (lambda s: s["nodes"][0].update(nodes=[]), "nodes[0].nodes: needs at least one node"),
        (
            lambda s: s["nodes"][0].update(indicator="x"),
            "nodes[0]: a node has either 'indicator' (a leaf) or 'nodes' (a dimension)",
        ),
        (
            lambda s: s["nodes"][1].pop("nodes"),
            "nodes[1]: a node needs 'indicator' (a leaf) or 'nodes' (a dimension)",
        ),
        (
            lambda s: s["nodes"][1]["nodes"][0].update(
                transform="log", normalisation={"method": "goalposts", "min": 0, "max": 10}
            ),
            "nodes[1].nodes[0].normalisation.min: "
            "must be greater than 0 with transform 'log', got 0",
        ),
        (
            lambda s: s["nodes"][1]["nodes"][0].update(
                transform="log", normalisation={"method": "target_ratio", "target": 1}
            ),
            "nodes[1].nodes[0].normalisation.target: "
            "must not be 1 with transform 'log': its log is 0, which no ratio can use",
        ),
        (
            lambda s: s["nodes"][1]["nodes"][0].update(
                normalisation={"method": "rank_points", "mode": "proportional", "step": 2}
            ),
            "nodes[1].nodes[0].normalisation.step: only applies to mode 'step'",
        ),
        (
            lambda s: s["nodes"][1]["nodes"][0].update(
                normalisation={"method": "target_ratio", "floor": 90, "cap": 80}
            ),
            "nodes[1].nodes[0].normalisation: floor (90) is greater than cap (80)",
        ),
        (
            lambda s: s["nodes"][0]["nodes"][0].update(direction="up"),
            "nodes[0].nodes[0].direction: "
            "unknown direction 'up' (expected one of 'higher', 'lower')",
        ),
        (
            lambda s: s["nodes"][0]["nodes"][0].update(input="forecast"),
            "nodes[0].nodes[0].input: unknown input kind 'forecast'",
        ),
        (
            lambda s: s["nodes"][0].update(aggregation="median"),
            "nodes[0].aggregation: unknown aggregation 'median'",
        ),
        (
            lambda s: s["nodes"][0].update(code="pm25"),
            "nodes[2].nodes[0].indicator: 'pm25' is already used at nodes[0].code",
        ),
        (
            lambda s: s["score"].update(min_coverage=1.5),
            "score.min_coverage: must be between 0.0 and 1.0, got 1.5",
        ),
        (
            lambda s: s["flags"].append({"name": "red", "position": "bottom", "count": 0}),
            "flags[1].count: must be at least 1, got 0",
        ),
        (
            lambda s: s["flags"].append({"name": "red", "position": "bottom", "count": 1}),
            "flags[1].name: flag 'red' is defined twice",
        ),
        (
            lambda s: s["defaults"].pop("normalisation"),
            "nodes[2].nodes[0].normalisation: required (set it on the leaf or in [defaults])",
        ),
        (lambda s: s["score"].update(reasons=True), "score.reasons: expected an integer, got True"),
    ],
)
def test_each_mistake_is_named_by_its_path(change, problem):
    spec = county()
    spec["nodes"].insert(1, {"code": "extra", "nodes": [{"indicator": "x2"}]})
    change(spec)
    assert any(p.startswith(problem) for p in problems_of(spec)), problems_of(spec)


def test_a_methodology_that_is_not_a_table_is_rejected():
    assert problems_of(["code"]) == ("(root): expected a table, got list",)  # type: ignore
