"""Saving a race in the admin writes the race once, through race_load."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from rankings.models import Race
from tests.builders import build_published_race, user_with_role
from tests.rankings.test_admin import form_data

pytestmark = pytest.mark.django_db


def test_changing_how_a_race_is_listed_is_saved_in_one_write(client):
    race = build_published_race().race
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    url = reverse("admin:rankings_race_change", args=[race.pk])
    data = form_data(client.get(url))
    data["order"] = 7
    data.pop("active", None)  # an unticked box is not submitted

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)

    assert response.status_code == 302
    race.refresh_from_db()
    assert (race.order, race.active) == (7, False)
    race_writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        and "rankings_race" in q["sql"].split("SET")[0].split("(")[0]
    ]
    assert len(race_writes) == 1, race_writes
    assert Race.objects.count() == 1
