"""Rounding, competition ranks, tie-breaks, order, flags and movement."""

import pytest

from rankings.engine import PreviousStanding, round_half_away

from .builders import leaf, methodology, race, ranks


def one_indicator(values: dict[str, float], **score) -> dict:
    result = race(methodology(leaf("x"), **score), {d: {"x": v} for d, v in values.items()})
    return {s.district: (s.rank, s.tied) for s in result.standings}


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    assert one_indicator({"A": 9.0, "B": 7.0, "C": 7.0, "D": 5.0}) == {
        "A": (1, False),
        "B": (2, True),
        "C": (2, True),
        "D": (4, False),
    }


def test_lowest_first_ranks_the_smallest_score_first():
    assert one_indicator({"A": 9.0, "B": 7.0, "C": 5.0}, order="lowest_first") == {
        "C": (1, False),
        "B": (2, False),
        "A": (3, False),
    }


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0.1235, 3, 0.124),  # half rounds away from zero
        (2.675, 2, 2.68),  # round() gives 2.67: 2.675 is stored as 2.67499999...
        (-2.5, 0, -3.0),
        (0.9496, 3, 0.950),
        (0.12349, 3, 0.123),
    ],
)
def test_rounding_is_half_away_from_zero_on_the_decimal_repr(value, places, expected):
    assert round_half_away(value, places) == expected


def test_scores_equal_after_rounding_share_a_rank():
    result = race(
        methodology(leaf("x"), round=2),
        {"A": {"x": 0.9497}, "B": {"x": 0.9503}, "C": {"x": 0.9449}},
    )
    assert ranks(result) == {"A": 1, "B": 1, "C": 3}
    standing = result.standing("A")
    assert (standing.score, standing.ranking_score) == (0.9497, 0.95)


def test_without_rounding_the_ranking_score_is_the_score():
    result = race(methodology(leaf("x")), {"A": {"x": 0.9497}, "B": {"x": 0.9503}})
    assert ranks(result) == {"B": 1, "A": 2}
    assert result.standing("A").ranking_score == 0.9497


def test_tie_break_separates_equal_scores_by_the_better_normalised_value():
    method = methodology(
        leaf("x"),
        leaf("y", "minmax", weight=0.001),
        leaf("z", weight=0.001),
        round=0,
        tie_break=["y"],
    )
    result = race(
        method,
        {
            "A": {"x": 10.0, "y": 1.0, "z": 1.0},
            "B": {"x": 10.0, "y": 5.0, "z": 1.0},
            "C": {"x": 10.0, "y": 5.0, "z": 1.0},
        },
    )
    assert ranks(result) == {"B": 1, "C": 1, "A": 3}


def test_tie_breaks_apply_in_order_and_respect_the_indicators_direction():
    method = methodology(
        leaf("x"), leaf("y", weight=0.001), leaf("z", weight=0.001), round=0, tie_break=["y", "z"]
    )
    values = {
        "A": {"x": 10.0, "y": 1.0, "z": 3.0},
        "B": {"x": 10.0, "y": 1.0, "z": 2.0},
        "C": {"x": 10.0, "y": 2.0, "z": 9.0},
    }
    # y lower-is-better: A and B (y = 1) beat C; z lower-is-better: B beats A.
    assert ranks(race(method, values, lower=("y", "z"))) == {"B": 1, "A": 2, "C": 3}


def test_a_missing_tie_break_value_loses_the_tie_break():
    method = methodology(
        leaf("x"), leaf("y", weight=0.001, missing="reweight"), round=0, tie_break=["y"]
    )
    result = race(method, {"A": {"x": 10.0, "y": None}, "B": {"x": 10.0, "y": -50.0}})
    assert ranks(result) == {"B": 1, "A": 2}


def test_top_flags_go_to_ranks_up_to_the_count_including_ties():
    flags = [{"name": "red", "position": "top", "count": 2}]
    result = race(
        methodology(leaf("x"), flags=flags),
        {"A": {"x": 9.0}, "B": {"x": 7.0}, "C": {"x": 7.0}, "D": {"x": 5.0}},
    )
    assert {s.district: s.flags for s in result.standings} == {
        "A": ("red",),
        "B": ("red",),
        "C": ("red",),
        "D": (),
    }


def test_bottom_flags_go_to_everyone_tied_with_the_kth_from_last():
    flags = [{"name": "yellow", "position": "bottom", "count": 2}]
    result = race(
        methodology(leaf("x"), flags=flags),
        {"A": {"x": 9.0}, "B": {"x": 7.0}, "C": {"x": 5.0}, "D": {"x": 5.0}, "E": {"x": 5.0}},
    )
    # ranks 1, 2, 3, 3, 3: the 2nd from last has rank 3, so all three at rank 3
    assert {s.district: s.flags for s in result.standings} == {
        "A": (),
        "B": (),
        "C": ("yellow",),
        "D": ("yellow",),
        "E": ("yellow",),
    }


def test_bottom_flags_without_ties_take_exactly_the_count():
    flags = [{"name": "yellow", "position": "bottom", "count": 1}]
    result = race(
        methodology(leaf("x"), flags=flags),
        {"A": {"x": 9.0}, "B": {"x": 7.0}, "C": {"x": 7.0}, "D": {"x": 5.0}},
    )
    assert [s.district for s in result.standings if s.flags] == ["D"]


def test_flags_list_every_rule_that_applies_and_skip_unranked_districts():
    flags = [
        {"name": "red", "position": "top", "count": 1},
        {"name": "yellow", "position": "bottom", "count": 5},
    ]
    method = methodology(leaf("x", missing="reweight"), flags=flags)
    result = race(method, {"A": {"x": 9.0}, "B": {"x": 7.0}, "C": {"x": None}})
    assert {s.district: s.flags for s in result.standings} == {
        "A": ("red", "yellow"),
        "B": ("yellow",),
        "C": (),
    }


def test_movement_compares_with_the_previous_rank():
    previous = {
        "A": PreviousStanding(rank=3, contributions={}),
        "B": PreviousStanding(rank=1, contributions={}),
        "C": PreviousStanding(rank=3, contributions={}),
        "E": PreviousStanding(rank=None, contributions={}),
    }
    method = methodology(leaf("x", missing="reweight"))
    result = race(
        method,
        {
            "A": {"x": 9.0},
            "B": {"x": 8.0},
            "C": {"x": 7.0},
            "D": {"x": 6.0},
            "E": {"x": 5.0},
            "F": {"x": None},
        },
        previous=previous,
    )
    assert {s.district: (s.rank_change, s.movement) for s in result.standings} == {
        "A": (2, "up"),
        "B": (-1, "down"),
        "C": (0, "same"),
        "D": (None, "new"),
        "E": (None, "new"),
        "F": (None, "unranked"),
    }


def test_without_previous_standings_there_is_no_rank_change():
    result = race(methodology(leaf("x")), {"A": {"x": 1.0}})
    standing = result.standing("A")
    assert (standing.rank_change, standing.movement) == (None, "new")
    assert not [r for r in standing.reasons if r.kind in ("rank_change", "new")]


def test_standings_are_sorted_by_rank_then_district_with_unranked_last():
    method = methodology(leaf("x", missing="reweight"))
    result = race(
        method,
        {"D": {"x": 1.0}, "C": {"x": 5.0}, "B": {"x": None}, "A": {"x": 1.0}, "E": {"x": 7.0}},
    )
    assert [(s.district, s.rank) for s in result.standings] == [
        ("E", 1),
        ("C", 2),
        ("A", 3),
        ("D", 3),
        ("B", None),
    ]
