"""Structured reasons: strengths, weaknesses, rank changes and their drivers, data notes."""

import json

import pytest

from rankings.engine import Figure, PreviousStanding

from .builders import leaf, methodology, race, reasons

# minmax: a -> A 100, B 0, C 50; b -> A 0, B 100, C 50; c -> A 100, B 100, C 0
# group averages of contributions: a 50, b 50, c 66.67
VALUES = {
    "A": {"a": Figure(10.0, ref={"id": 1}), "b": 0.0, "c": 5.0},
    "B": {"a": 0.0, "b": 10.0, "c": 5.0},
    "C": {"a": 5.0, "b": 5.0, "c": 0.0},
}


def three_indicators(**score):
    return methodology(leaf("a", "minmax"), leaf("b", "minmax"), leaf("c", "minmax"), **score)


def test_strengths_are_the_indicators_furthest_above_the_group_average_contribution():
    result = race(three_indicators(), VALUES)
    assert result.group_average_contributions == pytest.approx({"a": 50, "b": 50, "c": 200 / 3})
    assert [p["indicator"] for p in reasons(result, "A", "strength")] == ["a", "c"]
    assert [p["indicator"] for p in reasons(result, "A", "weakness")] == ["b"]


def test_a_strength_cites_the_figure_behind_it():
    (first, _) = reasons(race(three_indicators(), VALUES), "A", "strength")
    assert first == {
        "indicator": "a",
        "input_kind": "value",
        "contribution": 100.0,
        "group_average": 50.0,
        "gap": 50.0,
        "value": 10.0,
        "input": 10.0,
        "normalised": 100.0,
        "rank": 1,
        "input_average": 5.0,
        "ref": {"id": 1},
    }


def test_only_negative_gaps_are_weaknesses_and_only_positive_gaps_strengths():
    result = race(three_indicators(), VALUES)
    # C is exactly average on a and b, below on c
    assert reasons(result, "C", "strength") == []
    assert [p["indicator"] for p in reasons(result, "C", "weakness")] == ["c"]


def test_identical_districts_have_neither_strengths_nor_weaknesses():
    same = {"A": {"a": 0.1, "b": 0.7}, "B": {"a": 0.1, "b": 0.7}, "C": {"a": 0.1, "b": 0.7}}
    result = race(methodology(leaf("a", "zscore"), leaf("b", weight=0.3)), same)
    assert [r.kind for r in result.standing("A").reasons] == []


def test_the_reasons_setting_limits_how_many_are_cited():
    result = race(three_indicators(reasons=1), VALUES)
    assert [p["indicator"] for p in reasons(result, "A", "strength")] == ["a"]


def test_rank_change_names_the_indicators_that_moved_the_way_the_rank_did():
    previous = {
        "A": PreviousStanding(rank=3, contributions={"a": 40.0, "b": 20.0, "c": 100.0}),
        "B": PreviousStanding(rank=1, contributions={"a": 30.0, "b": 100.0, "c": 100.0}),
        "C": PreviousStanding(rank=2, contributions={"a": 50.0, "b": 50.0, "c": 50.0}),
    }
    result = race(three_indicators(), VALUES, previous=previous)
    # A and B both score 200 (rank 1), C 100 (rank 3)
    assert reasons(result, "A", "rank_change") == [
        {"previous_rank": 3, "rank": 1, "change": 2, "drivers": [{"indicator": "a", "delta": 60.0}]}
    ]
    assert reasons(result, "B", "rank_change") == [
        {"previous_rank": 1, "rank": 1, "change": 0, "drivers": []}
    ]
    assert reasons(result, "C", "rank_change") == [
        {
            "previous_rank": 2,
            "rank": 3,
            "change": -1,
            "drivers": [{"indicator": "c", "delta": -50.0}],
        }
    ]


def test_a_district_without_a_previous_standing_is_new():
    result = race(three_indicators(), VALUES, previous={})
    assert reasons(result, "A", "new") == [{"rank": 1, "previously_unranked": False}]
    assert result.standing("A").reasons[0].kind == "new"


def test_an_unranked_district_leads_with_why_it_is_unranked():
    method = methodology(leaf("a", missing="reweight"), leaf("b"), min_coverage=0.9)
    result = race(method, {"A": {"a": 1.0, "b": 1.0}, "B": {"a": None, "b": 2.0}}, previous={})
    kinds = [r.kind for r in result.standing("B").reasons]
    assert kinds[0] == "unranked_coverage"
    assert "reweighted" in kinds
    assert "new" not in kinds


def test_data_reasons_follow_tree_order_and_cite_the_reference():
    values = {
        "A": {"a": Figure(None, ref={"id": 7}), "b": 50.0},
        "B": {"a": 1.0, "b": Figure(200.0, ref={"id": 8})},
    }
    method = methodology(
        leaf("a", missing="zero"), leaf("b", "goalposts", params={"min": 0, "max": 100})
    )
    result = race(method, values)
    assert [
        (r.kind, r.params["ref"])
        for r in result.standing("A").reasons
        if r.kind in ("missing_zero", "capped")
    ] == [("missing_zero", {"id": 7})]
    (capped,) = reasons(result, "B", "capped")
    assert (capped["raw"], capped["capped"], capped["by"], capped["ref"]) == (
        2.0,
        1.0,
        "goalposts",
        {"id": 8},
    )


def test_the_result_converts_to_plain_json():
    previous = {"A": PreviousStanding(rank=2, contributions={"a": 1.0})}
    result = race(three_indicators(), VALUES, previous=previous)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["methodology"] == "test-race"
    first = data["standings"][0]
    assert set(first) >= {
        "district",
        "score",
        "ranking_score",
        "rank",
        "tied",
        "flags",
        "rank_change",
        "movement",
        "coverage",
        "indicators",
        "contributions",
        "contribution_scale",
        "reasons",
    }
    assert first["indicators"]["a"]["ref"] == {"id": 1}
    assert first["reasons"][0] == {
        "kind": "rank_change",
        "params": {
            "previous_rank": 2,
            "rank": 1,
            "change": 1,
            "drivers": [{"indicator": "a", "delta": 99.0}],
        },
    }
