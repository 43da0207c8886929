"""Race figures computed from project reports: drafts citing the reports, never over a
reviewed figure, the bureau only; and the manage.py command.

2026Q1 ends on Tuesday 31 March, in 2026-W14 (whose Thursday is 2 April, in April), so its
last week is 2026-W13 and the time account is 13/53 (see test_board.py).
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from accounts.roles import Role
from districts.models import DataReturn, ReturnStatus, Value, ValueStatus
from districts.periods import Period
from projects.models import ProjectKind
from projects.services.figures import last_week_of, project_figures_compute
from tests.builders import user_with_role
from tests.factories import DistrictFactory, IndicatorFactory, ValueFactory
from tests.projects.board_scene import project_make, report_make

Q1 = Period.parse("2026Q1")


@pytest.fixture
def unit(db):
    return DistrictFactory(code="220101")


@pytest.fixture
def bureau(db):
    return user_with_role(Role.REVIEWER)


@pytest.fixture
def indicators(db):
    return {
        "share_on_schedule": IndicatorFactory(code="on_schedule", unit="%"),
        "investment_completed": IndicatorFactory(code="invest_done", unit="万元"),
        "new_starts": IndicatorFactory(code="new_starts", unit="count"),
    }


@pytest.fixture
def reports(unit):
    """Four projects at the end of 2026-W13 (time account 13/53):
    Road 240 of 1,000 (< 245.28, behind); Park 300 of 1,000 (on schedule);
    Plant, a new start, 100 of 300 (≥ 73.58, on schedule, started); Silent, not reported.
    -> on schedule 2 of 4 = 50%; completed 240 + 300 + 100 = 640; new starts started 1."""
    road = project_make(unit, name="Road")
    park = project_make(unit, name="Park")
    plant = project_make(unit, name="Plant", planned="300", kind=ProjectKind.NEW_START)
    project_make(unit, name="Silent")
    made = [
        report_make(road, "2026-W13", "240"),
        report_make(park, "2026-W12", "300"),
        report_make(plant, "2026-W13", "100"),
    ]
    report_make(road, "2026-W14", "900")  # in April: not Q1's
    return made


def _value(unit, indicator):
    return Value.objects.get(district=unit, indicator=indicator, period="2026Q1")


def test_the_last_week_of_a_period_is_the_last_whose_thursday_is_in_it():
    assert last_week_of(Q1).code == "2026-W13"
    assert last_week_of(Period.parse("2026-04")).code == "2026-W18"  # Thu 30 April
    assert last_week_of(Period.parse("2026Q4")).code == "2026-W53"  # Thu 31 December


def test_figures_are_saved_as_drafts_citing_the_reports(unit, bureau, indicators, reports):
    result = project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    assert (result.written, result.unchanged, result.skipped) == (3, 0, [])
    share = _value(unit, indicators["share_on_schedule"])
    assert share.value == Decimal("50")
    assert _value(unit, indicators["investment_completed"]).value == Decimal("640")
    assert _value(unit, indicators["new_starts"]).value == Decimal("1")
    assert share.status == ValueStatus.DRAFT
    assert share.entered_by == bureau
    road, park, plant = reports
    assert share.note == (
        f"computed from weekly project reports: #{road.pk} (2026-W13), #{park.pk} (2026-W12), "
        f"#{plant.pk} (2026-W13); 1 project not reported"
    )
    assert share.history.first().history_change_reason == "computed from project reports"
    assert DataReturn.objects.get(district=unit, period="2026Q1").status == ReturnStatus.DRAFT


def test_computing_again_changes_nothing(unit, bureau, indicators, reports):
    project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    result = project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    assert (result.written, result.unchanged) == (0, 3)


def test_a_draft_is_recomputed_and_a_returned_figure_becomes_a_draft(
    unit, bureau, indicators, reports
):
    invest = indicators["investment_completed"]
    ValueFactory(district=unit, indicator=invest, period="2026Q1", value=1, status="returned")
    result = project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    assert result.written == 3
    value = _value(unit, invest)
    assert (value.value, value.status) == (Decimal("640"), ValueStatus.DRAFT)


@pytest.mark.parametrize("status", [ValueStatus.APPROVED, ValueStatus.SUBMITTED])
def test_a_reviewed_figure_is_never_overwritten(unit, bureau, indicators, reports, status):
    invest = indicators["investment_completed"]
    ValueFactory(district=unit, indicator=invest, period="2026Q1", value=7, status=status)
    result = project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    assert result.written == 2
    assert result.skipped == [(unit, invest, f"the figure is {status.label}")]
    value = _value(unit, invest)
    assert (value.value, value.status) == (Decimal("7"), status)


def test_a_unit_whose_return_is_submitted_is_skipped(unit, bureau, indicators, reports):
    DataReturn.objects.create(district=unit, period="2026Q1", status=ReturnStatus.SUBMITTED)
    result = project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    assert result.written == 0
    assert len(result.skipped) == 3
    assert not Value.objects.exists()


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICIAL, Role.VIEWER])
def test_only_the_bureau_computes_figures(unit, indicators, reports, role):
    user = user_with_role(role, districts=[unit] if role is Role.CLERK else ())
    with pytest.raises(PermissionDenied):
        project_figures_compute(user=user, period=Q1, indicator_map=indicators)
    assert not Value.objects.exists()


def test_an_indicator_of_another_frequency_is_refused(unit, bureau, reports):
    monthly = IndicatorFactory(code="monthly_invest", frequency="monthly")
    with pytest.raises(ValidationError, match="monthly"):
        project_figures_compute(
            user=bureau, period=Q1, indicator_map={"investment_completed": monthly}
        )


def test_a_year_is_refused(bureau, indicators):
    with pytest.raises(ValidationError, match="month or a quarter"):
        project_figures_compute(user=bureau, period=Period.parse("2026"), indicator_map=indicators)


def test_a_long_citation_is_cut_to_fit_the_note(unit, bureau, indicators):
    for number in range(60):
        report_make(project_make(unit, name=f"P{number}"), "2026-W13", "1")
    project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    note = _value(unit, indicators["share_on_schedule"]).note
    assert len(note) <= 500
    assert note.endswith("more")
    assert "and " in note


def test_a_unit_without_projects_gets_no_figure(unit, bureau, indicators, reports):
    DistrictFactory(code="220199")
    project_figures_compute(user=bureau, period=Q1, indicator_map=indicators)
    assert set(Value.objects.values_list("district__code", flat=True)) == {"220101"}


def _command(*args):
    out = io.StringIO()
    call_command("project_figures", *args, stdout=out)
    return out.getvalue()


def test_the_command_saves_the_figures(unit, bureau, indicators, reports):
    output = _command(
        "2026Q1",
        "--indicator",
        "share_on_schedule=on_schedule",
        "--indicator",
        "investment_completed=invest_done",
        "--indicator",
        "new_starts=new_starts",
        "--user",
        bureau.username,
    )
    assert "2026Q1 (reports up to 2026-W13): 3 figures saved as drafts" in output
    assert _value(unit, indicators["investment_completed"]).value == Decimal("640")


def test_the_command_lists_what_it_skipped(unit, bureau, indicators, reports):
    invest = indicators["investment_completed"]
    ValueFactory(district=unit, indicator=invest, period="2026Q1", value=7)
    output = _command(
        "2026Q1", "--indicator", "investment_completed=invest_done", "--user", bureau.username
    )
    assert "0 figures saved as drafts, 0 unchanged, 1 skipped" in output
    assert "skipped 220101 invest_done: the figure is approved" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026Q1", "--indicator", "investment_completed=nope"], "no indicator with code 'nope'"),
        (["2026Q1", "--indicator", "speed=invest_done"], "no figure 'speed'"),
        (["2026Q1", "--indicator", "invest_done"], "write FIGURE=CODE"),
        (["2026Q1"], "--indicator FIGURE=CODE is needed"),
        (["2026-W13", "--indicator", "investment_completed=invest_done"], "PERIOD '2026-W13'"),
        (["2026", "--indicator", "investment_completed=invest_done"], "month or a quarter"),
    ],
)
def test_the_command_refuses_bad_input_clearly(bureau, indicators, args, message):
    with pytest.raises(CommandError, match=message):
        _command(*args, "--user", bureau.username)


def test_the_command_refuses_an_unknown_or_unauthorised_user(unit, indicators):
    clerk = user_with_role(Role.CLERK, districts=[unit])
    args = ["2026Q1", "--indicator", "investment_completed=invest_done"]
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        _command(*args, "--user", "ghost")
    with pytest.raises(CommandError, match="Only the bureau"):
        _command(*args, "--user", clerk.username)
