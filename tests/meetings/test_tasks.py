"""Deployment tasks: who deploys them, what a task must say, progress by the units, and which
tasks are overdue, carried to the next meeting or flagged on a unit's page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import may_report_progress
from accounts.roles import Role
from meetings.models import Meeting, MeetingStatus, TaskProgress
from meetings.selectors.tasks import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    carried_tasks,
    meeting_tasks,
    overdue_tasks_for_district,
)
from meetings.services.tasks import task_deploy, task_progress_report
from tests.factories import DistrictFactory, GroupFactory

MEETING_DAY = date(2025, 7, 20)
DUE = date(2025, 9, 30)


def make_meeting(published, users, *, day=MEETING_DAY, status=MeetingStatus.HELD, races=None):
    meeting = Meeting.objects.create(
        title=f"Meeting of {day}",
        period="2025Q2",
        date=day,
        status=status,
        created_by=users[Role.REVIEWER],
    )
    meeting.races.set(races or [published.race])
    return meeting


@pytest.fixture
def meeting(published, users):
    return make_meeting(published, users)


@pytest.fixture
def units(published):
    """Two units of the race: the clerk's own (the first) and another."""
    return published.districts[:2]


def deploy(meeting, users, units, *, text="Bring the projects forward.", due=DUE, role=None):
    return task_deploy(
        actor=users[role or Role.OFFICIAL],
        meeting=meeting,
        text=text,
        responsible=units,
        due_date=due,
    )


def report(task, users, district, *, done=False, text="Work started.", role=Role.CLERK):
    return task_progress_report(
        actor=users[role], task=task, district=district, text=text, done=done
    )


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# Deploying


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ADMINISTRATOR, Role.REVIEWER])
def test_leaders_and_the_bureau_deploy_tasks(meeting, users, units, role):
    task = deploy(meeting, users, units, role=role)

    assert task.meeting == meeting
    assert set(task.responsible.all()) == set(units)
    assert task.due_date == DUE
    assert task.created_by == users[role]


@pytest.mark.parametrize("role", [Role.CLERK, Role.VIEWER])
def test_clerks_and_viewers_do_not_deploy_tasks(meeting, users, units, role):
    with pytest.raises(PermissionDenied):
        deploy(meeting, users, units, role=role)
    assert not meeting.tasks.exists()


def test_no_task_is_deployed_once_the_minutes_are_published(meeting, users, units):
    meeting.status = MeetingStatus.MINUTES_PUBLISHED
    meeting.save()

    with pytest.raises(PermissionDenied):
        deploy(meeting, users, units)


def test_a_task_may_be_deployed_on_a_planned_meeting(published, users, units):
    planned = make_meeting(published, users, status=MeetingStatus.PLANNED)

    assert deploy(planned, users, units).pk


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u202e"])
def test_a_task_says_what_is_to_be_done(meeting, users, units, text):
    assert "text" in errors_of(lambda: deploy(meeting, users, units, text=text))


def test_invisible_characters_are_taken_out_of_the_text(meeting, users, units):
    task = deploy(meeting, users, units, text=" Build \u202eroads\u200b. ")

    assert task.text == "Build roads."


def test_a_task_holds_at_most_2000_characters(meeting, users, units):
    assert deploy(meeting, users, units, text="x" * 2000).pk
    assert "text" in errors_of(lambda: deploy(meeting, users, units, text="x" * 2001))


def test_a_task_needs_a_responsible_unit(meeting, users):
    assert "responsible" in errors_of(lambda: deploy(meeting, users, []))


def test_a_unit_outside_the_meetings_races_is_refused_by_name(meeting, users, units):
    stranger = DistrictFactory(group=GroupFactory(), name_en="Faraway County")

    errors = errors_of(lambda: deploy(meeting, users, [units[0], stranger]))

    assert "Faraway County" in " ".join(errors["responsible"])
    assert not meeting.tasks.exists()


def test_the_due_date_cannot_be_before_the_meeting(meeting, users, units):
    assert deploy(meeting, users, units, due=MEETING_DAY).pk
    errors = errors_of(lambda: deploy(meeting, users, units, due=date(2025, 7, 19)))
    assert "2025-07-20" in " ".join(errors["due_date"])


@pytest.mark.parametrize("due", [None, "", "30/09/2025", "2025-02-30"])
def test_a_due_date_that_is_not_a_date_is_named(meeting, users, units, due):
    assert "due_date" in errors_of(lambda: deploy(meeting, users, units, due=due))


def test_every_bad_field_is_named_at_once(meeting, users):
    errors = errors_of(lambda: deploy(meeting, users, [], text="", due=date(2020, 1, 1)))

    assert set(errors) == {"text", "responsible", "due_date"}


# Progress


@pytest.fixture
def task(meeting, users, units):
    return deploy(meeting, users, units)


def test_the_units_clerk_reports_progress(task, users, units):
    progress = report(task, users, units[0], text=" Half the projects started. ", done=False)

    assert progress.text == "Half the projects started."
    assert progress.reported_by == users[Role.CLERK]
    assert not progress.done


def test_a_clerk_does_not_report_for_another_unit(task, users, units):
    with pytest.raises(PermissionDenied):
        report(task, users, units[1])


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_bureau_may_record_a_units_progress(task, users, units, role):
    assert report(task, users, units[1], role=role).district == units[1]


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER])
def test_leaders_and_viewers_do_not_report_progress(task, users, units, role):
    with pytest.raises(PermissionDenied):
        report(task, users, units[0], role=role)


def test_no_progress_is_reported_for_a_unit_without_the_task(published, meeting, users):
    task = deploy(meeting, users, [published.districts[1]])

    with pytest.raises(PermissionDenied):
        report(task, users, published.districts[0])


@pytest.mark.parametrize("text", ["", " \u200b ", "x" * 2001])
def test_a_report_says_what_has_been_done_in_at_most_2000_characters(task, users, units, text):
    assert "text" in errors_of(lambda: report(task, users, units[0], text=text))
    assert not TaskProgress.objects.exists()


def test_notes_after_done_are_kept_and_the_latest_report_decides(task, users, units):
    today = date(2025, 8, 1)
    report(task, users, units[0], done=True, text="Done.")
    report(task, users, units[0], done=False, text="One project slipped after all.")

    unit = meeting_tasks(task.meeting, users[Role.VIEWER], today)[0].units[0]

    assert [r.text for r in unit.reports] == ["Done.", "One project slipped after all."]
    assert not unit.done


# Overdue, on hand-made dates


def test_a_unit_is_overdue_only_after_the_due_date_and_while_not_done(task, users, units):
    report(task, users, units[0], done=True, text="Done.")

    def statuses(today):
        row = meeting_tasks(task.meeting, users[Role.VIEWER], today)[0]
        return {unit.district: unit.status for unit in row.units}

    assert statuses(date(2025, 9, 29)) == {units[0]: DONE, units[1]: NOT_STARTED}
    assert statuses(DUE) == {units[0]: DONE, units[1]: NOT_STARTED}
    assert statuses(date(2025, 10, 1)) == {units[0]: DONE, units[1]: OVERDUE}


def test_a_unit_that_reported_but_is_not_done_is_in_progress_then_overdue(task, users, units):
    report(task, users, units[0], done=False)

    def status(today):
        return meeting_tasks(task.meeting, users[Role.VIEWER], today)[0].units[0].status

    assert status(DUE) == IN_PROGRESS
    assert status(date(2025, 10, 1)) == OVERDUE


@pytest.mark.parametrize(
    ("role", "reportable"),
    [
        (Role.CLERK, [0]),
        (Role.REVIEWER, [0, 1]),
        (Role.ADMINISTRATOR, [0, 1]),
        (Role.OFFICIAL, []),
        (Role.VIEWER, []),
    ],
)
def test_each_reader_may_report_for_the_units_the_access_rule_allows(
    task, users, units, role, reportable
):
    row = meeting_tasks(task.meeting, users[role], DUE)[0]

    assert row.reportable == [units[i] for i in reportable]
    for unit in units:
        assert (unit in row.reportable) == may_report_progress(users[role], task, unit)


def test_the_agenda_reads_its_tasks_in_the_same_number_of_queries_for_1_or_5(
    meeting, users, units, django_assert_num_queries
):
    reader = users[Role.CLERK]
    first = deploy(meeting, users, units)
    report(first, users, units[0])
    meeting_tasks(meeting, reader, DUE)  # the reader's roles and units are read once, then kept
    with CaptureQueriesContext(connection) as one:
        assert len(meeting_tasks(meeting, reader, DUE)) == 1
    for n in range(4):
        task = deploy(meeting, users, units, text=f"Task {n}")
        report(task, users, units[0], done=True)
        report(task, users, units[1], role=Role.REVIEWER)

    with django_assert_num_queries(len(one)):
        rows = meeting_tasks(meeting, reader, DUE)
        assert [len(unit.reports) for row in rows for unit in row.units]

    assert len(rows) == 5


# Carried to the next meeting


def test_the_next_meeting_carries_the_overdue_unfinished_tasks_of_the_first(
    published, meeting, users, units
):
    unfinished = deploy(meeting, users, units, text="Unfinished")
    report(unfinished, users, units[0], done=True)
    finished = deploy(meeting, users, units, text="Finished")
    report(finished, users, units[0], done=True)
    report(finished, users, units[1], done=True, role=Role.REVIEWER)
    not_yet_due = deploy(meeting, users, units, text="Due after", due=date(2025, 11, 30))
    second = make_meeting(published, users, day=date(2025, 10, 20), status=MeetingStatus.PLANNED)

    rows = carried_tasks(second, date(2025, 10, 20))

    assert [row.task for row in rows] == [unfinished]
    assert {unit.district: unit.status for unit in rows[0].units} == {
        units[0]: DONE,
        units[1]: OVERDUE,
    }
    assert not_yet_due not in [row.task for row in carried_tasks(second, date(2025, 12, 1))]
    assert carried_tasks(meeting, date(2025, 10, 20)) == []  # nothing earlier than the first


def test_a_meeting_on_other_races_or_still_planned_carries_nothing(published, users, units):
    planned_earlier = make_meeting(published, users, status=MeetingStatus.PLANNED)
    deploy(planned_earlier, users, units)
    other_race = published.race.__class__.objects.create(
        code="other", name="其他", name_en="Other", group=GroupFactory()
    )
    held_elsewhere = make_meeting(published, users, races=[other_race])
    later = make_meeting(published, users, day=date(2025, 10, 20))

    assert carried_tasks(later, date(2025, 10, 20)) == []
    assert carried_tasks(held_elsewhere, date(2025, 10, 20)) == []


# The unit's district page


def test_a_units_overdue_tasks_are_those_past_due_and_not_reported_done(task, users, units):
    report(task, users, units[0], done=True)

    assert overdue_tasks_for_district(units[1], DUE) == []
    assert overdue_tasks_for_district(units[1], date(2025, 10, 1)) == [task]
    assert overdue_tasks_for_district(units[0], date(2025, 10, 1)) == []

    report(task, users, units[0], done=False, text="Reopened.")
    [reopened] = overdue_tasks_for_district(units[0], date(2025, 10, 1))
    assert reopened.unit_reported_at is not None
