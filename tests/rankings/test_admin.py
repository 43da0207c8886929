"""The admin: methodologies edited as TOML into new versions; published records read-only."""

import tomllib

import pytest
from django.urls import reverse

from accounts.roles import Role
from rankings.methodology_files import methodology_from_toml, methodology_to_toml
from rankings.models import MethodologyVersion, Publication, Race, Standing
from tests.builders import build_published_race, race_spec, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return build_published_race()


@pytest.fixture
def admin_user():
    return user_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:rankings_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(response) -> dict:
    """What the browser would submit from an admin change page, before any edit."""
    data = {}
    form = response.context["adminform"].form
    for field in form:
        value = field.value()
        if value is not None and value is not False:
            data[field.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for inline_form in formset.forms:
            for field in inline_form:
                if field.value() is not None:
                    data[field.html_name] = field.value()
    return data


def test_the_race_page_shows_the_current_methodology_as_toml(published, admin_client):
    page = admin_client.get(change_url(published.race))

    assert page.status_code == 200
    initial = page.context["adminform"].form["methodology_toml"].value()
    # Read back with the standard library, not with the admin's own TOML writer.
    assert tomllib.loads(initial) == published.race.current_methodology.spec
    lines = initial.splitlines()
    assert 'code = "test-race"' in lines
    assert 'name = "test-race 赛马"' in lines
    assert lines.count("[[nodes]]") == 3


def test_saving_a_changed_methodology_creates_a_new_version(published, admin_client, admin_user):
    race = published.race
    page = admin_client.get(change_url(race))
    data = form_data(page)
    spec = methodology_from_toml(data["methodology_toml"])
    spec["nodes"][0]["weight"] = 3
    data["methodology_toml"] = methodology_to_toml(spec)
    data["methodology_note"] = "Growth weighs more"

    response = admin_client.post(change_url(race), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    newest = race.versions.order_by("-number").first()
    assert (newest.number, newest.note, newest.created_by) == (2, "Growth weighs more", admin_user)
    assert newest.spec["nodes"][0]["weight"] == 3
    # The published standings keep the version they were computed with.
    assert {p.methodology.number for p in Publication.objects.filter(race=race)} == {1}


def test_saving_an_unchanged_methodology_adds_no_version(published, admin_client):
    race = published.race
    data = form_data(admin_client.get(change_url(race)))
    data["order"] = 7

    response = admin_client.post(change_url(race), data)

    assert response.status_code == 302
    assert race.versions.count() == 1
    race.refresh_from_db()
    assert race.order == 7


def test_a_methodology_that_is_not_toml_is_refused_with_the_reason(published, admin_client):
    data = form_data(admin_client.get(change_url(published.race)))
    data["methodology_toml"] = "code = 'test-race'\n[score\n"

    response = admin_client.post(change_url(published.race), data)

    assert response.status_code == 200
    assert "not valid TOML" in response.content.decode()
    assert published.race.versions.count() == 1


def test_a_methodology_with_an_unknown_indicator_is_refused(published, admin_client):
    data = form_data(admin_client.get(change_url(published.race)))
    spec = methodology_from_toml(data["methodology_toml"])
    spec["nodes"].append({"indicator": "no_such_indicator", "weight": 1})
    data["methodology_toml"] = methodology_to_toml(spec)

    response = admin_client.post(change_url(published.race), data)

    assert response.status_code == 200
    assert "no_such_indicator" in response.content.decode()
    assert published.race.versions.count() == 1


def test_the_methodology_cannot_rename_the_race(published, admin_client):
    data = form_data(admin_client.get(change_url(published.race)))
    spec = methodology_from_toml(data["methodology_toml"])
    spec["code"] = "renamed-race"
    data["methodology_toml"] = methodology_to_toml(spec)

    response = admin_client.post(change_url(published.race), data)

    assert response.status_code == 200
    assert not Race.objects.filter(code="renamed-race").exists()


def test_a_race_is_added_from_its_methodology(published, admin_client, admin_user):
    spec = race_spec(code="new-race", group=published.group.code, indicators=published.indicators)

    response = admin_client.post(
        reverse("admin:rankings_race_add"),
        {
            "methodology_toml": methodology_to_toml(spec),
            "methodology_note": "First version",
            "order": 3,
            "active": "on",
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    race = Race.objects.get(code="new-race")
    assert (race.name_en, race.group, race.order) == ("new-race race", published.group, 3)
    assert race.current_methodology.created_by == admin_user


def test_a_reviewer_sees_the_methodology_but_cannot_change_it(published, client):
    client.force_login(user_with_role(Role.REVIEWER))

    page = client.get(change_url(published.race))

    assert page.status_code == 200
    assert 'class="methodology-toml"' in page.content.decode()
    assert 'name="methodology_toml"' not in page.content.decode()


@pytest.mark.parametrize("model", [Publication, Standing, MethodologyVersion])
def test_published_records_are_read_only(published, admin_client, model):
    record = model.objects.first()
    name = model._meta.model_name

    listing = admin_client.get(reverse(f"admin:rankings_{name}_changelist"))
    page = admin_client.get(change_url(record))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse(f"admin:rankings_{name}_add")).status_code == 403
    assert admin_client.post(change_url(record), {}).status_code == 403
    delete_url = reverse(f"admin:rankings_{name}_delete", args=[record.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", [Race, MethodologyVersion, Publication, Standing])
def test_the_admin_lists_open(published, admin_client, model):
    response = admin_client.get(reverse(f"admin:rankings_{model._meta.model_name}_changelist"))

    assert response.status_code == 200
