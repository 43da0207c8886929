"""The scheduling board's lists, checked against cases computed by hand.

2026 has 53 ISO weeks (1 January 2026 is a Thursday), so the time account of 2026-W13 is
13/53 = 0.24528…: a project planning 1,000 (10,000 yuan) this year should have done
1,000 × 13/53 = 245.283… by the end of W13, and 1,000 × 12/53 = 226.415… by the end of W12.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from districts.periods import Period
from projects.models import ProblemStatus
from projects.selectors.board import scheduling_board
from tests.factories import DistrictFactory
from tests.projects.board_scene import problem_make, project_make, report_make

W13 = Period.parse_week("2026-W13")


@pytest.fixture
def unit(db):
    return DistrictFactory(code="220101", name="南关区", name_en="Nanguan")


def _names(lines):
    return sorted(line.project.name for line in lines)


def test_the_time_account_of_week_13_is_13_of_53():
    assert W13.year_share == pytest.approx(0.245283, abs=1e-6)


def test_a_project_below_the_time_account_is_behind_and_one_above_it_is_not(unit):
    # 240 < 245.28 -> behind; 246 > 245.28 -> on schedule.
    report_make(project_make(unit, name="A 240"), "2026-W13", "240")
    report_make(project_make(unit, name="B 246"), "2026-W13", "246")
    board = scheduling_board(W13)
    assert _names(board.units[0].behind) == ["A 240"]


def test_the_rule_is_exact_at_the_second_decimal(unit):
    # 245.28 × 53 = 12,999.84 < 13,000 = 1,000 × 13 -> behind;
    # 245.29 × 53 = 13,000.37 ≥ 13,000 -> on schedule.
    report_make(project_make(unit, name="A 245.28"), "2026-W13", "245.28")
    report_make(project_make(unit, name="B 245.29"), "2026-W13", "245.29")
    assert _names(scheduling_board(W13).units[0].behind) == ["A 245.28"]


def test_exactly_on_the_time_account_is_not_behind(unit):
    # Plan 530: 530 × 13/53 = 130 exactly; 130 done is not below it.
    report_make(project_make(unit, name="Exact", planned="530"), "2026-W13", "130")
    assert scheduling_board(W13).units[0].behind == []


def test_the_latest_report_up_to_the_week_counts_and_later_ones_do_not(unit):
    project = project_make(unit, name="Late reporter")
    report_make(project, "2026-W10", "100")  # 100 < 245.28 -> behind at W13
    report_make(project, "2026-W14", "900")  # after the board's week: ignored
    board = scheduling_board(W13)
    (line,) = board.units[0].behind
    assert line.report.week == "2026-W10"
    assert line.completed == Decimal("100")


def test_a_project_without_a_report_this_year_is_not_reported_not_behind(unit):
    project = project_make(unit, name="Silent")
    report_make(project, "2025-W52", "0")  # last year's report says nothing of the 2026 plan
    board = scheduling_board(W13).units[0]
    assert _names(board.not_reported) == ["Silent"]
    assert board.behind == []


def test_only_projects_of_the_weeks_plan_year_are_on_the_board(unit):
    report_make(project_make(unit, name="Last year's", year=2025), "2026-W13", "0")
    report_make(project_make(unit, name="Inactive", active=False), "2026-W13", "0")
    assert scheduling_board(W13).units == []


def test_a_project_planning_no_investment_this_year_is_never_behind(unit):
    report_make(project_make(unit, name="Nothing planned", planned="0"), "2026-W13", "0")
    assert scheduling_board(W13).units[0].behind == []


def test_not_started_when_planned(unit):
    # W13 ends on Sunday 29 March 2026.
    due = datetime.date(2026, 3, 29)
    report_make(
        project_make(unit, name="Due, not started", planned_start=due),
        "2026-W13",
        "0",
        started=False,
    )
    report_make(project_make(unit, name="Due, started", planned_start=due), "2026-W13", "300")
    project_make(unit, name="Due, never reported", planned_start=datetime.date(2026, 2, 1))
    report_make(
        project_make(unit, name="Not due yet", planned_start=due + datetime.timedelta(days=1)),
        "2026-W13",
        "0",
        started=False,
    )
    board = scheduling_board(W13).units[0]
    assert _names(board.not_started) == ["Due, never reported", "Due, not started"]


def test_new_problems_are_those_raised_this_week(unit):
    project = project_make(unit)
    old = problem_make(report_make(project, "2026-W12", "200"), text="old")
    new = problem_make(report_make(project, "2026-W13", "250"), text="new")
    resolved_at_once = problem_make(
        report_make(project_make(unit, name="Other"), "2026-W13", "250"),
        status=ProblemStatus.RESOLVED,
        resolved_week="2026-W13",
        text="resolved the same week",
    )
    board = scheduling_board(W13).units[0]
    assert board.new_problems == [new, resolved_at_once]
    assert old not in board.new_problems


def test_problems_open_more_than_n_weeks(unit):
    project = project_make(unit)
    # At W13: raised W09 -> open 4 weeks (not more than 4); W08 -> 5 weeks (listed).
    four = problem_make(report_make(project, "2026-W09", "10"), text="four weeks")
    five = problem_make(
        report_make(project, "2026-W08", "10"), status=ProblemStatus.ESCALATED, text="five weeks"
    )
    # Resolved in W12: no longer open at W13. Resolved in W14: still open at the end of W13.
    problem_make(
        report_make(project, "2026-W02", "0"),
        status=ProblemStatus.RESOLVED,
        resolved_week="2026-W12",
        text="resolved before",
    )
    later = problem_make(
        report_make(project, "2026-W03", "0"),
        status=ProblemStatus.RESOLVED,
        resolved_week="2026-W14",
        text="resolved after",
    )
    lines = scheduling_board(W13).units[0].long_open_problems
    assert [(line.problem, line.weeks_open) for line in lines] == [(later, 10), (five, 5)]
    lines = scheduling_board(W13, open_weeks=3).units[0].long_open_problems
    assert {line.problem for line in lines} == {later, five, four}


def test_weeks_open_count_across_new_year(unit):
    # 2025 has 52 weeks: 2025-W50 -> W51 -> W52 -> 2026-W01 -> W02 is 4 weeks open.
    project = project_make(unit, year=2026)
    last_years = project_make(unit, name="Last year's plan", year=2025)
    problem = problem_make(report_make(last_years, "2025-W50", "0"))
    report_make(project, "2026-W02", "10")
    lines = (
        scheduling_board(Period.parse_week("2026-W02"), open_weeks=3).units[0].long_open_problems
    )
    assert [(line.problem, line.weeks_open) for line in lines] == [(problem, 4)]


def test_totals_per_unit_industry_and_city(unit):
    other = DistrictFactory(code="220102", name="宽城区", name_en="Kuancheng")
    report_make(
        project_make(unit, name="Road", industry="transport", planned="1000"), "2026-W13", "240"
    )
    report_make(
        project_make(unit, name="Plant", industry="industry", planned="500"), "2026-W12", "200"
    )
    report_make(
        project_make(other, name="Bridge", industry="transport", planned="300"), "2026-W13", "30"
    )
    project_make(other, name="Silent", industry="industry", planned="200")
    board = scheduling_board(W13)
    assert [b.unit for b in board.units] == [unit, other]
    first, second = board.units
    assert (first.totals.projects, first.totals.planned, first.totals.completed) == (
        2,
        Decimal("1500"),
        Decimal("440"),
    )
    assert first.totals.share_done == pytest.approx(440 / 1500)
    assert (second.totals.projects, second.totals.planned, second.totals.completed) == (
        2,
        Decimal("500"),
        Decimal("30"),
    )
    assert board.industries["transport"].planned == Decimal("1300")
    assert board.industries["transport"].completed == Decimal("270")
    assert board.industries["industry"].completed == Decimal("200")
    assert (board.totals.projects, board.totals.planned, board.totals.completed) == (
        4,
        Decimal("2000"),
        Decimal("470"),
    )
    # Road: 240 < 245.28 -> behind. Plant (last reported W12): 200 ≥ 500 × 13/53 = 122.64 ->
    # on schedule.
    # Bridge: 30 < 300 × 13/53 = 73.58 -> behind.
    assert _names(first.behind) == ["Road"]
    assert _names(second.behind) == ["Bridge"]


def test_movement_against_last_week(unit):
    # Road: W12 200 (< 226.42, behind), W13 240 (< 245.28, still behind): +40.
    road = project_make(unit, name="Road")
    report_make(road, "2026-W12", "200")
    report_make(road, "2026-W13", "240")
    # Park: W12 220 (< 226.42, behind), W13 260 (≥ 245.28, on schedule): +40.
    park = project_make(unit, name="Park")
    report_make(park, "2026-W12", "220")
    report_make(park, "2026-W13", "260")
    # School: reported W11 only (100), not again: +0, behind both weeks.
    report_make(project_make(unit, name="School"), "2026-W11", "100")
    # Depot: first reported in W13 (50): +50, newly behind.
    report_make(project_make(unit, name="Depot"), "2026-W13", "50")
    board = scheduling_board(W13).units[0]
    assert board.completed_this_week == Decimal("130")
    # Behind at W12: Road, Park, School (3); at W13: Road, School, Depot (3).
    assert board.behind_last_week == 3
    assert _names(board.behind) == ["Depot", "Road", "School"]
    assert board.behind_change == 0


def test_movement_in_the_first_week_starts_from_nothing(unit):
    report_make(project_make(unit), "2026-W01", "5")
    board = scheduling_board(Period.parse_week("2026-W01")).units[0]
    assert board.completed_this_week == Decimal("5")
    assert board.behind_last_week == 0


def test_units_can_be_chosen(unit):
    other = DistrictFactory(code="220102")
    report_make(project_make(unit), "2026-W13", "1")
    report_make(project_make(other), "2026-W13", "1")
    assert [b.unit for b in scheduling_board(W13, units=[other]).units] == [other]


def test_the_board_reads_with_a_constant_number_of_queries(unit, django_assert_num_queries):
    for number in range(12):
        project = project_make(unit, name=f"P{number}")
        problem_make(report_make(project, "2026-W05", "10"))
        report_make(project, "2026-W13", "20")
    with django_assert_num_queries(3):
        board = scheduling_board(W13)
        assert len(board.units[0].behind) == 12
        assert len(board.units[0].long_open_problems) == 12
