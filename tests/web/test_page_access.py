"""Every page of the site, for every role: who may read it and who is turned away.

Write actions (posting, responding, editing, removing comments) have their own matrix in
test_comment_permissions.py; this one covers every page a person can open.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import Role
from comments.services import comment_post

ALL_ROLES = list(Role)
PUBLISHERS = [Role.ADMINISTRATOR, Role.REVIEWER]


def _pages(published, comment):
    race, period = published.race.code, published.latest_period.code
    district, indicator = published.districts[0].code, published.indicators[0].code
    return {
        "home": (reverse("home"), ALL_ROLES),
        "race latest": (reverse("race-latest", args=[race]), ALL_ROLES),
        "leaderboard": (reverse("leaderboard", args=[race, period]), ALL_ROLES),
        "leaderboard preview": (
            reverse("leaderboard", args=[race, period]) + "?preview=1",
            PUBLISHERS,
        ),
        "csv export": (reverse("leaderboard-export", args=[race, period, "csv"]), ALL_ROLES),
        "xlsx export": (reverse("leaderboard-export", args=[race, period, "xlsx"]), ALL_ROLES),
        "methodology": (reverse("methodology", args=[race]), ALL_ROLES),
        "district": (reverse("district", args=[district]), ALL_ROLES),
        "indicator": (reverse("indicator", args=[indicator]), ALL_ROLES),
        "race comments": (reverse("race-comments", args=[race, period]), ALL_ROLES),
        "comment list": (reverse("comment-list"), ALL_ROLES),
        "comment edit": (reverse("comment-edit", args=[comment.pk]), [Role.OFFICIAL]),
        "comment remove": (reverse("comment-remove", args=[comment.pk]), [Role.ADMINISTRATOR]),
        "comment respond": (
            reverse("comment-respond", args=[comment.pk]),
            [Role.ADMINISTRATOR, Role.CLERK],
        ),
        "password change": (reverse("password_change"), ALL_ROLES),
    }


PAGE_NAMES = [
    "home", "race latest", "leaderboard", "leaderboard preview", "csv export", "xlsx export",
    "methodology", "district", "indicator", "race comments", "comment list", "comment edit",
    "comment remove", "comment respond", "password change",
]  # fmt: skip


@pytest.fixture
def comment(users, published):
    """A comment by the official about the district the clerk looks after."""
    return comment_post(
        author=users[Role.OFFICIAL],
        race=published.race,
        period=published.latest_period,
        district=published.districts[0],
        body="Please explain the fall in investment.",
    )


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.value)
def test_each_role_opens_exactly_the_pages_it_may(client_for, published, comment, page, role):
    url, allowed = _pages(published, comment)[page]
    response = client_for(role).get(url, follow=page == "race latest")
    if role in allowed:
        assert response.status_code == 200, f"{role} should open {page}"
    else:
        assert response.status_code == 403, f"{role} must not open {page}"


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_anonymous_visitors_are_sent_to_sign_in(client, published, comment, page):
    url, _ = _pages(published, comment)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", [name for name in PAGE_NAMES if name != "password change"])
def test_a_signed_in_user_without_a_role_is_refused(client, published, comment, page):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123-abc"))
    url, _ = _pages(published, comment)[page]
    assert client.get(url).status_code == 403
