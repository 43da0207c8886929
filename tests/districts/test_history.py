"""Districts, indicators and races keep their history too, with who changed them."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from rankings.services.races import race_load
from tests.builders import race_spec, user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def _admin_post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_renaming_a_district_in_the_admin_is_kept_with_its_author(client):
    admin = user_with_role(Role.ADMINISTRATOR)
    district = DistrictFactory(name="旧名", name_en="Old name")
    client.force_login(admin)

    _admin_post(
        client,
        reverse("admin:districts_district_change", args=[district.pk]),
        {
            "code": district.code,
            "name": "新名",
            "name_en": "New name",
            "kind": district.kind,
            "group": district.group.pk,
            "order": 0,
            "active": "on",
        },
    )

    latest, first = district.history.order_by("-history_date", "-pk")[:2]
    assert (first.name_en, latest.name_en) == ("Old name", "New name")
    assert latest.history_user == admin
    history_page = client.get(reverse("admin:districts_district_history", args=[district.pk]))
    assert history_page.status_code == 200


def test_changing_an_indicators_threshold_is_kept(client):
    admin = user_with_role(Role.ADMINISTRATOR)
    indicator = IndicatorFactory(code="gdp", unit="%")
    client.force_login(admin)

    _admin_post(
        client,
        reverse("admin:districts_indicator_change", args=[indicator.pk]),
        {
            "code": "gdp",
            "name": indicator.name,
            "name_en": indicator.name_en,
            "unit": "%",
            "direction": "higher",
            "decimals": 1,
            "frequency": "quarterly",
            "roll_up": "none",
            "change_threshold": "30",
            "order": 0,
        },
    )

    latest = indicator.history.order_by("-history_date", "-pk").first()
    assert str(latest.change_threshold) == "30.00"
    assert latest.history_user == admin


def test_loading_a_race_and_changing_it_is_kept():
    group = GroupFactory(code="g")
    indicators = [IndicatorFactory(code="a"), IndicatorFactory(code="b")]
    race = race_load(spec=race_spec(code="r", group=group.code, indicators=indicators)).race
    spec = race_spec(code="r", group=group.code, indicators=indicators)
    spec["name"] = "改名的赛马"
    race_load(spec=spec)

    names = list(race.history.order_by("history_date", "pk").values_list("name", flat=True))
    assert names == ["r 赛马", "改名的赛马"]
