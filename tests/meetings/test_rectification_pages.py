"""The follow-up pages: readable by every role, actions only for those allowed, bad input named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from meetings.models import RectificationStatus
from meetings.services.rectification import rectification_items_from_publication

PLAN = {
    "causes": "Investment slowed.",
    "measures": "Projects brought forward.",
    "deadline": "2025-12-31",
}


@pytest.fixture
def item(published):
    items = rectification_items_from_publication(publication=published.publications[-1])
    return items[0]


@pytest.fixture
def clerk_of_item(item, users):
    users[Role.CLERK].clerk_districts.set([item.district])
    return users[Role.CLERK]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_list_and_the_item(client_for, item, role):
    reader = client_for(role)
    page = reader.get(reverse("meetings:followup"))
    assert page.status_code == 200
    assert f'data-item="{item.pk}"' in page.content.decode()
    assert reader.get(reverse("meetings:rectification", args=[item.pk])).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(client, item):
    assert client.get(reverse("meetings:followup")).status_code == 302
    response = client.post(reverse("meetings:rectification-act", args=[item.pk, "submit"]), PLAN)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.AWAITING_PLAN


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("race=nope", "Race"),
        ("period=2025Q9", "Period"),
        ("status=lost", "Status"),
        ("district=000", "Unit"),
    ],
)
def test_a_bad_filter_is_named(client_for, item, query, named):
    response = client_for(Role.VIEWER).get(reverse("meetings:followup") + "?" + query)
    assert response.status_code == 400
    assert f"{named}:" in response.content.decode()


def test_filters_narrow_the_list(client_for, item, published):
    reader = client_for(Role.VIEWER)
    url = reverse("meetings:followup")
    shown = reader.get(f"{url}?status=closed").content.decode()
    assert f'data-item="{item.pk}"' not in shown
    shown = reader.get(
        f"{url}?race={published.race.code}&period={item.period}&status=awaiting_plan"
        f"&district={item.district.code}"
    ).content.decode()
    assert f'data-item="{item.pk}"' in shown


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.REVIEWER, True),
        (Role.CLERK, True),
        (Role.OFFICIAL, False),
        (Role.VIEWER, False),
    ],
)
def test_who_may_submit_through_the_page(client_for, item, clerk_of_item, role, allowed):
    response = client_for(role).post(
        reverse("meetings:rectification-act", args=[item.pk, "submit"]), PLAN
    )
    item.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert item.status == RectificationStatus.SUBMITTED
    else:
        assert response.status_code == 403
        assert item.status == RectificationStatus.AWAITING_PLAN


@pytest.mark.parametrize("action", ["accept", "return"])
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.REVIEWER, True),
        (Role.CLERK, False),
        (Role.OFFICIAL, True),
        (Role.VIEWER, False),
    ],
)
def test_who_may_decide_through_the_page(
    client_for, item, clerk_of_item, role, allowed, action, client
):
    client.force_login(clerk_of_item)
    client.post(reverse("meetings:rectification-act", args=[item.pk, "submit"]), PLAN)
    response = client_for(role).post(
        reverse("meetings:rectification-act", args=[item.pk, action]), {"remark": "More."}
    )
    item.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert item.status == (
            RectificationStatus.CLOSED if action == "accept" else RectificationStatus.RETURNED
        )
    else:
        assert response.status_code == 403
        assert item.status == RectificationStatus.SUBMITTED


def test_a_bad_plan_is_shown_again_with_the_field_named(client_for, item, clerk_of_item):
    response = client_for(Role.CLERK).post(
        reverse("meetings:rectification-act", args=[item.pk, "submit"]),
        {**PLAN, "deadline": "soon"},
    )
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert "Investment slowed." in response.content.decode()


def test_an_unknown_action_is_not_found(client_for, item):
    url = reverse("meetings:rectification-act", args=[item.pk, "delete"])
    assert client_for(Role.ADMINISTRATOR).post(url).status_code == 404


def test_the_district_page_lists_the_units_items(client_for, item):
    page = client_for(Role.VIEWER).get(reverse("district", args=[item.district.code]))
    assert page.status_code == 200
    assert f'data-item="{item.pk}"' in page.content.decode()
