"""Who may open each comment page and take each comment action: the full matrix.

The comment every action targets was written a moment ago by the official about the clerk's
district, so the official may edit it, the clerk may respond and administrators may remove it.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import Role
from comments.services import comment_post

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
NO_ROLE = "no role"
EVERY_ROLE = [*Role]

# (page or action, method, form data, the roles allowed)
ACTIONS = [
    ("race-comments", "get", None, EVERY_ROLE),
    (
        "race-comments",
        "post",
        {"concerning": "race", "body": "Hi"},
        [Role.OFFICIAL, Role.ADMINISTRATOR],
    ),
    ("comment-list", "get", None, EVERY_ROLE),
    ("comment-edit", "get", None, [Role.OFFICIAL]),
    ("comment-edit", "post", {"body": "Changed"}, [Role.OFFICIAL]),
    ("comment-remove", "get", None, [Role.ADMINISTRATOR]),
    ("comment-remove", "post", {"reason": "Off topic"}, [Role.ADMINISTRATOR]),
    ("comment-respond", "get", None, [Role.CLERK, Role.ADMINISTRATOR]),
    ("comment-respond", "post", {"body": "Noted"}, [Role.CLERK, Role.ADMINISTRATOR]),
]


def expected_status(who, method, allowed) -> int:
    if who == ANONYMOUS:
        return 302  # to the sign-in page
    if who == NO_ROLE or who not in allowed:
        return 403
    return 302 if method == "post" else 200


@pytest.fixture
def comment(published, users):
    return comment_post(
        author=users[Role.OFFICIAL],
        race=published.race,
        period=published.latest_period,
        district=published.districts[0],
        body="Why did retail fall?",
    )


def url_for(name, published, comment) -> str:
    if name == "race-comments":
        return reverse(name, args=[published.race.code, published.latest_period.code])
    if name == "comment-list":
        return reverse(name)
    return reverse(name, args=[comment.pk])


@pytest.mark.parametrize("who", [ANONYMOUS, NO_ROLE, *Role], ids=str)
@pytest.mark.parametrize(
    ("name", "method", "data", "allowed"),
    ACTIONS,
    ids=[f"{method} {name}" for name, method, _, _ in ACTIONS],
)
def test_each_role_may_do_exactly_what_it_is_allowed(
    client, published, users, comment, who, name, method, data, allowed
):
    if who == NO_ROLE:
        client.force_login(get_user_model().objects.create_user("nobody", password="x-123456"))
    elif who != ANONYMOUS:
        client.force_login(users[who])
    url = url_for(name, published, comment)

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected_status(who, method, allowed)
    if who == ANONYMOUS:
        assert response["Location"].startswith(reverse("login"))
