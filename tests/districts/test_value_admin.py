"""Data entry in the admin: clerks see and enter only their own districts' values."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from districts.models import Value
from tests.builders import user_with_role
from tests.factories import DistrictFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    own, other = DistrictFactory(), DistrictFactory()
    indicator = IndicatorFactory()
    return {
        "own": own,
        "other": other,
        "indicator": indicator,
        "own_value": ValueFactory(district=own, indicator=indicator),
        "other_value": ValueFactory(district=other, indicator=indicator),
        "clerk": user_with_role(Role.CLERK, districts=[own]),
        "reviewer": user_with_role(Role.REVIEWER),
    }


def test_a_clerk_lists_only_the_values_of_their_own_districts(client, scene):
    client.force_login(scene["clerk"])
    response = client.get(reverse("admin:districts_value_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [scene["own_value"]]


def test_a_clerk_cannot_open_another_districts_value(client, scene):
    client.force_login(scene["clerk"])
    url = reverse("admin:districts_value_change", args=[scene["other_value"].pk])
    assert client.get(url).status_code == 302  # the admin redirects a missing object home


def test_a_clerk_cannot_enter_a_value_for_another_district(client, scene):
    client.force_login(scene["clerk"])
    response = client.post(
        reverse("admin:districts_value_add"),
        {
            "district": scene["other"].pk,
            "indicator": scene["indicator"].pk,
            "period": "2025Q2",
            "value": "3.5",
            "status": "approved",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert "district" in response.context["adminform"].form.errors
    assert not Value.objects.filter(period="2025Q2").exists()


def test_a_clerks_new_value_is_a_draft_recorded_as_theirs_even_when_the_post_says_approved(
    client, scene
):
    client.force_login(scene["clerk"])
    response = client.post(
        reverse("admin:districts_value_add"),
        {
            "district": scene["own"].pk,
            "indicator": scene["indicator"].pk,
            "period": "2025q2",
            "value": "3.5",
            "status": "approved",
        },
    )
    assert response.status_code == 302
    value = Value.objects.get(period="2025Q2")
    assert value.entered_by == scene["clerk"]
    assert value.status == "draft"
    assert value.history.get().history_user == scene["clerk"]


def test_the_bureau_sees_every_districts_values(client, scene):
    client.force_login(scene["reviewer"])
    response = client.get(reverse("admin:districts_value_changelist"))
    assert set(response.context["cl"].queryset) == {scene["own_value"], scene["other_value"]}


def test_the_district_autocomplete_offers_a_clerk_his_own_districts_only(client, scene):
    client.force_login(scene["clerk"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "districts", "model_name": "value", "field_name": "district", "term": ""},
    )

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(scene["own"].pk)]


def test_the_value_list_shows_figures_as_entered(client, scene):
    Value.objects.filter(pk=scene["own_value"].pk).update(value="3.9")
    client.force_login(scene["clerk"])

    html = client.get(reverse("admin:districts_value_changelist")).content.decode()

    assert '<td class="field-figure">3.9</td>' in html
    assert "3.9000000000" not in html


def test_a_form_opened_before_someone_elses_save_is_refused(client, scene):
    value = scene["own_value"]
    client.force_login(scene["clerk"])
    url = reverse("admin:districts_value_change", args=[value.pk])
    form = {
        "district": scene["own"].pk,
        "indicator": scene["indicator"].pk,
        "period": value.period,
        "value": "7.1",
        "expected_version": value.version,
    }
    Value.objects.filter(pk=value.pk).update(value="6.6", version=value.version + 1)

    response = client.post(url, form)

    assert response.status_code == 200
    assert "Someone saved this figure after you opened it" in response.content.decode()
    assert str(Value.objects.get(pk=value.pk).value.normalize()) == "6.6"
