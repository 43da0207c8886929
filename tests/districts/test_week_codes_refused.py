"""A week code (2026-W14) typed where a year, quarter or month belongs is refused by name,
on every form and command that reads a period: never a 500 or a database error."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.roles import Role
from districts.models import PeriodDeadline, Value
from meetings.models import Meeting
from tests.builders import user_with_role
from tests.factories import DistrictFactory, IndicatorFactory

WEEK = "2026-W14"
SAYS = "are not accepted here"

pytestmark = pytest.mark.django_db


def errors_of(response, field: str = "period") -> str:
    form = response.context.get("adminform")
    form = form.form if form is not None else response.context["form"]
    return " ".join(form.errors.get(field, []))


def test_the_value_admin_names_a_week(client):
    district, indicator = DistrictFactory(), IndicatorFactory()
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.post(
        reverse("admin:districts_value_add"),
        {"district": district.pk, "indicator": indicator.pk, "period": WEEK, "value": "3.5"},
    )
    assert response.status_code == 200
    assert SAYS in errors_of(response)
    assert not Value.objects.exists()


def test_the_deadline_admin_names_a_week(admin_client):
    response = admin_client.post(
        reverse("admin:districts_perioddeadline_add"), {"period": WEEK, "due": "2026-04-20"}
    )
    assert response.status_code == 200
    assert SAYS in errors_of(response)
    assert not PeriodDeadline.objects.exists()


def test_the_period_grid_names_a_week(client):
    district = DistrictFactory()
    client.force_login(user_with_role(Role.REVIEWER))
    url = reverse("admin:districts_value_grid") + f"?district={district.code}&period={WEEK}"
    response = client.get(url)
    assert response.status_code == 200
    assert "Weeks (such as 2026-W14) are not accepted here" in response.content.decode()


def test_planning_a_meeting_names_a_week(client_for, published):
    data = {
        "title": "Week meeting",
        "period": WEEK,
        "races": [published.race.pk],
        "date": "2026-04-15",
        "form": "on_site",
    }
    response = client_for(Role.REVIEWER).post(reverse("meetings:new"), data)
    assert response.status_code == 200
    assert SAYS in errors_of(response)
    assert not Meeting.objects.exists()


def test_the_rectification_filter_names_a_week(client_for, published):
    response = client_for(Role.REVIEWER).get(reverse("meetings:followup") + f"?period={WEEK}")
    assert response.status_code == 400
    assert "weeks (such as 2026-W14) are not accepted here" in response.content.decode()


def test_a_week_in_a_page_address_is_a_page_not_found(client_for, published):
    url = reverse("leaderboard", args=[published.race.code, WEEK])
    assert client_for(Role.VIEWER).get(url).status_code == 404


@pytest.mark.usefixtures("reference_data")
def test_importing_values_names_a_week(csv_file):
    before = Value.objects.count()
    path = csv_file(f"district,indicator,period,value\n220102,gdp_growth,{WEEK},1.5\n")
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("import_values", path, stdout=StringIO(), stderr=stderr)
    assert SAYS in stderr.getvalue()
    assert Value.objects.count() == before


COMMANDS = [
    ["rank", "{race}", WEEK],
    ["publish", "{race}", WEEK],
    ["explain", "{race}", WEEK, "--district", "x"],
    ["store_explanations", "{race}", WEEK],
    ["notice", "{race}", WEEK, "-o", "{out}"],
    ["export_values", "--period", WEEK, "{out}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_commands_name_a_week(published, tmp_path, command):
    out = str(tmp_path / "out.docx")
    args = [a.format(race=published.race.code, out=out) for a in command]
    with pytest.raises(CommandError, match=SAYS):
        call_command(*args, stdout=StringIO(), stderr=StringIO())
