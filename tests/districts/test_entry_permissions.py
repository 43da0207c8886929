"""Who may do each entry action, for every role, on his own district and on another.

Administrators and reviewers (the bureau) may do everything; a clerk enters, submits, uses
the grid and reads history for his own district only, and never approves, returns, reopens
or imports; officials and viewers do none of it.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from districts.models import DataReturn, Value
from districts.periods import Period
from districts.services.entry import value_save
from districts.services.review import (
    return_approve,
    return_reopen,
    return_send_back,
    return_submit,
)
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

Q2 = Period.parse("2025Q2")
BUREAU = {Role.ADMINISTRATOR, Role.REVIEWER}
ACTIONS = ["create", "change", "submit", "approve", "return", "reopen"]
PAGES = ["grid", "import", "history", "review"]


def allowed(role: Role, action: str, whose: str) -> bool:
    if role in BUREAU:
        return True
    if role is Role.CLERK:
        return whose == "own" and action in {"create", "change", "submit", "grid", "history"}
    return False


@pytest.fixture
def scene():
    group = GroupFactory(code="g")
    own, other = DistrictFactory(group=group), DistrictFactory(group=group)
    indicator = IndicatorFactory(code="gdp")
    reviewer = user_with_role(Role.REVIEWER, username="the-bureau")
    users = {
        role: user_with_role(role, districts=[own] if role is Role.CLERK else ()) for role in Role
    }
    return {"own": own, "other": other, "indicator": indicator, "bureau": reviewer, **users}


def _enter(user, district, indicator, figure="5"):
    return value_save(
        user=user, district=district, indicator=indicator, period="2025Q2", value=Decimal(figure)
    )


def _prepare(scene, action: str, district) -> None:
    """Bring the district's return to the state the action starts from, as the bureau."""
    bureau = scene["bureau"]
    if action == "create":
        return
    _enter(bureau, district, scene["indicator"])
    if action in {"approve", "return", "reopen"}:
        return_submit(user=bureau, district=district, period=Q2)
    if action == "reopen":
        return_approve(user=bureau, district=district, period=Q2)


def _perform(scene, action: str, user, district) -> None:
    if action in {"create", "change"}:
        _enter(user, district, scene["indicator"], "6")
    elif action == "submit":
        return_submit(user=user, district=district, period=Q2)
    elif action == "approve":
        return_approve(user=user, district=district, period=Q2)
    elif action == "return":
        return_send_back(user=user, district=district, period=Q2, reason="Check")
    else:
        return_reopen(user=user, district=district, period=Q2, reason="Fix")


def _state(district) -> tuple:
    data_return = DataReturn.objects.filter(district=district).first()
    return (
        data_return.status if data_return else None,
        sorted(Value.objects.filter(district=district).values_list("value", "status")),
    )


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_each_entry_action_only_where_allowed(scene, role, action, whose):
    district = scene[whose]
    _prepare(scene, action, district)
    before = _state(district)

    if allowed(role, action, whose):
        _perform(scene, action, scene[role], district)
        assert _state(district) != before
    else:
        with pytest.raises(PermissionDenied):
            _perform(scene, action, scene[role], district)
        assert _state(district) == before


def _page_url(scene, page: str, district) -> str:
    if page == "grid":
        return reverse("admin:districts_value_grid") + f"?district={district.code}&period=2025Q2"
    if page == "import":
        return reverse("admin:districts_value_import")
    if page == "review":
        return reverse("entry-review", args=[district.code, "2025Q2"])
    value = Value.objects.get(district=district)
    return reverse("value-history", args=[value.pk])


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_each_entry_page_only_where_allowed(client, scene, role, page, whose):
    district = scene[whose]
    _enter(scene["bureau"], district, scene["indicator"])
    client.force_login(scene[role])

    response = client.get(_page_url(scene, page, district))

    # The clerk reads his own return on the review page (without the decision buttons).
    expected = allowed(role, page, whose) or (
        page == "review" and role is Role.CLERK and whose == "own"
    )
    if expected:
        assert response.status_code == 200
    else:
        # Readers are not staff: the admin sends them to its sign-in page.
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]


def test_the_approve_list_action_is_the_bureaus_only(client, scene):
    _prepare(scene, "approve", scene["own"])
    data_return = DataReturn.objects.get(district=scene["own"])
    url = reverse("admin:districts_datareturn_changelist")

    client.force_login(scene[Role.CLERK])
    client.post(url, {"action": "approve_selected", "_selected_action": [data_return.pk]})
    assert DataReturn.objects.get(pk=data_return.pk).status == "submitted"

    client.force_login(scene[Role.REVIEWER])
    client.post(url, {"action": "approve_selected", "_selected_action": [data_return.pk]})
    assert DataReturn.objects.get(pk=data_return.pk).status == "approved"
    assert Value.objects.get(district=scene["own"]).history.first().history_change_reason == (
        "approved"
    )
