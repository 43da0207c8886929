"""The deployment pages: the deploy form, a task's page with its report form, the agenda's
deployment section and a unit's overdue tasks on its district page, for every role."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.roles import Role
from meetings.models import DeploymentTask, Meeting, MeetingStatus, TaskProgress
from meetings.services.tasks import task_deploy, task_progress_report
from meetings.views.tasks import task_sections
from tests.factories import DistrictFactory, GroupFactory

# Dates well in the past, so that a task due then is overdue today.
MEETING_DAY = date(2025, 7, 20)
DUE = "2025-09-30"


@pytest.fixture
def meeting(published, users):
    meeting = Meeting.objects.create(
        title="Second-quarter race meeting",
        period="2025Q2",
        date=MEETING_DAY,
        status=MeetingStatus.HELD,
        created_by=users[Role.REVIEWER],
    )
    meeting.races.set([published.race])
    return meeting


@pytest.fixture
def units(published):
    """The clerk's own unit (the first) and another unit of the race."""
    return published.districts[:2]


@pytest.fixture
def task(meeting, users, units):
    return task_deploy(
        actor=users[Role.OFFICIAL],
        meeting=meeting,
        text="Bring the projects forward.",
        responsible=units,
        due_date=date.fromisoformat(DUE),
    )


def new_url(meeting) -> str:
    return reverse("meetings:task-new", args=[meeting.pk])


def task_url(task) -> str:
    return reverse("meetings:task", args=[task.pk])


def deploy_form(units, **changes) -> dict:
    return {
        "text": "Start the new industrial park.",
        "responsible": [u.pk for u in units],
        "due_date": DUE,
    } | changes


# The deploy form


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.REVIEWER, 200),
        (Role.OFFICIAL, 200),
        (Role.CLERK, 403),
        (Role.VIEWER, 403),
    ],
)
def test_who_opens_the_deploy_form(client_for, meeting, units, role, status):
    response = client_for(role).get(new_url(meeting))

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert f'value="{units[0].pk}"' in page and units[0].display_name in page


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.REVIEWER, True),
        (Role.OFFICIAL, True),
        (Role.CLERK, False),
        (Role.VIEWER, False),
    ],
)
def test_who_deploys_through_the_page(client_for, meeting, units, role, allowed):
    response = client_for(role).post(new_url(meeting), deploy_form(units))

    if allowed:
        task = DeploymentTask.objects.get()
        assert response.status_code == 302
        assert response["Location"] == task_url(task)
        assert set(task.responsible.all()) == set(units)
    else:
        assert response.status_code == 403
        assert not DeploymentTask.objects.exists()


def test_the_deploy_form_is_refused_once_the_minutes_are_published(client_for, meeting, units):
    meeting.status = MeetingStatus.MINUTES_PUBLISHED
    meeting.save()
    official = client_for(Role.OFFICIAL)

    assert official.get(new_url(meeting)).status_code == 403
    assert official.post(new_url(meeting), deploy_form(units)).status_code == 403


def test_the_deploy_form_of_a_missing_meeting_is_404(client_for):
    assert (
        client_for(Role.OFFICIAL).get(reverse("meetings:task-new", args=[9999])).status_code == 404
    )


def test_an_anonymous_visitor_is_sent_to_sign_in(client, meeting, task, units):
    assert client.get(new_url(meeting)).status_code == 302
    assert client.post(new_url(meeting), deploy_form(units)).status_code == 302
    assert client.get(task_url(task)).status_code == 302
    response = client.post(task_url(task), {"district": units[0].pk, "text": "x"})
    assert response.status_code == 302
    assert DeploymentTask.objects.count() == 1 and not TaskProgress.objects.exists()


def _stranger():
    return DistrictFactory(group=GroupFactory(), name_en="Faraway County")


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"text": ""}, "Task:"),
        ({"text": "\u200b"}, "Task:"),
        ({"text": "x" * 2001}, "Task:"),
        ({"responsible": []}, "Responsible units: Name at least one responsible unit."),
        ({"responsible": ["abc"]}, "Responsible units:"),
        ({"responsible": ["99999999999999999999"]}, "Responsible units:"),
        ({"responsible": "stranger"}, "Responsible units: Faraway County does not run"),
        ({"due_date": ""}, "Due date:"),
        ({"due_date": "next week"}, "Due date:"),
        ({"due_date": "2025-07-19"}, "Due date: The due date cannot be before the meeting"),
    ],
)
def test_bad_input_is_named_on_the_form(client_for, meeting, units, changes, named):
    if changes.get("responsible") == "stranger":
        changes = {"responsible": [units[0].pk, _stranger().pk]}

    response = client_for(Role.OFFICIAL).post(new_url(meeting), deploy_form(units, **changes))

    assert response.status_code == 200
    assert named in response.content.decode()
    assert not DeploymentTask.objects.exists()


# The task page


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_a_task_of_a_held_meeting(client_for, task, units, role):
    response = client_for(role).get(task_url(task))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bring the projects forward." in page
    assert units[0].display_name in page and units[1].display_name in page
    assert "task-overdue" in page and "overdue" in page  # due 2025-09-30, nobody reported done


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.REVIEWER, 200),
        (Role.OFFICIAL, 200),
        (Role.CLERK, 200),  # the clerk's unit is charged with the task
        (Role.VIEWER, 403),
    ],
)
def test_a_task_of_a_planned_meeting_is_for_those_preparing_it(
    client_for, meeting, task, role, status
):
    meeting.status = MeetingStatus.PLANNED
    meeting.save()

    assert client_for(role).get(task_url(task)).status_code == status


def test_a_missing_task_is_404(client_for):
    assert client_for(Role.VIEWER).get(reverse("meetings:task", args=[9999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "units_offered"),
    [
        (Role.CLERK, [0]),
        (Role.REVIEWER, [0, 1]),
        (Role.ADMINISTRATOR, [0, 1]),
        (Role.OFFICIAL, []),
        (Role.VIEWER, []),
    ],
)
def test_the_report_form_offers_only_the_readers_own_units(
    client_for, task, units, role, units_offered
):
    page = client_for(role).get(task_url(task)).content.decode()

    assert ('name="district"' in page) == bool(units_offered)
    for i, unit in enumerate(units):
        assert (f'<option value="{unit.pk}"' in page) == (i in units_offered)


def test_the_units_clerk_reports_progress_through_the_page(client_for, task, units, users):
    clerk = client_for(Role.CLERK)

    response = clerk.post(task_url(task), {"district": units[0].pk, "text": "Done.", "done": "on"})

    assert response.status_code == 302
    progress = TaskProgress.objects.get()
    assert (progress.district, progress.done, progress.reported_by) == (
        units[0],
        True,
        users[Role.CLERK],
    )
    page = clerk.get(task_url(task)).content.decode()
    assert "reported done" in page and "task-done" in page


def test_a_clerk_reporting_for_another_unit_is_refused(client_for, task, units):
    response = client_for(Role.CLERK).post(task_url(task), {"district": units[1].pk, "text": "x"})

    assert response.status_code == 403
    assert not TaskProgress.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER])
def test_readers_without_a_unit_to_report_for_are_refused(client_for, task, units, role):
    response = client_for(role).post(task_url(task), {"district": units[0].pk, "text": "x"})

    assert response.status_code == 403
    assert not TaskProgress.objects.exists()


@pytest.mark.parametrize(
    ("form", "named"),
    [
        ({"text": ""}, "Progress:"),
        ({"text": "\u200b\u200b"}, "Progress:"),
        ({"text": "x" * 2001}, "Progress:"),
        ({"district": "", "text": "x"}, "Unit:"),
        ({"district": "abc", "text": "x"}, "Unit:"),
        ({"district": "99999999999999999999", "text": "x"}, "Unit:"),
    ],
)
def test_a_bad_report_is_named_on_the_form(client_for, task, units, form, named):
    response = client_for(Role.CLERK).post(task_url(task), {"district": units[0].pk} | form)

    assert response.status_code == 200
    assert named in response.content.decode()
    assert not TaskProgress.objects.exists()


# The agenda's deployment section and the district page


def test_the_agenda_section_shows_status_due_date_and_carried_tasks(
    published, meeting, task, units, users
):
    task_progress_report(
        actor=users[Role.CLERK], task=task, district=units[0], text="Done.", done=True
    )
    later = Meeting.objects.create(
        title="Third-quarter race meeting",
        period="2025Q3",
        date=date(2025, 10, 20),
        created_by=users[Role.REVIEWER],
    )
    later.races.set([published.race])

    first = render_to_string(
        "meetings/_tasks_section.html",
        {"meeting": meeting} | task_sections(meeting, users[Role.OFFICIAL]),
    )
    second = render_to_string(
        "meetings/_tasks_section.html",
        {"meeting": later} | task_sections(later, users[Role.VIEWER]),
    )

    assert "2025-09-30" in first and "task-done" in first and "task-overdue" in first
    assert ">overdue<" in first  # said in words, not by colour alone
    assert reverse("meetings:task-new", args=[meeting.pk]) in first
    assert "Carried over" in second and f'data-task="{task.pk}"' in second
    assert reverse("meetings:task-new", args=[later.pk]) not in second  # a viewer deploys nothing


def test_the_district_page_shows_the_units_overdue_task(client_for, task, units, users):
    task_progress_report(
        actor=users[Role.CLERK], task=task, district=units[0], text="Done.", done=True
    )
    viewer = client_for(Role.VIEWER)

    overdue = viewer.get(reverse("district", args=[units[1].code])).content.decode()
    done = viewer.get(reverse("district", args=[units[0].code])).content.decode()

    assert "Overdue deployment tasks" in overdue and f'data-task="{task.pk}"' in overdue
    assert task_url(task) in overdue
    assert "Overdue deployment tasks" not in done


@pytest.mark.parametrize("name", ["meetings:task", "meetings:task-new"])
def test_an_id_beyond_any_database_integer_is_404(client_for, name):
    url = reverse(name, args=[1]).replace("/1/", "/99999999999999999999/")

    assert client_for(Role.OFFICIAL).get(url).status_code == 404
