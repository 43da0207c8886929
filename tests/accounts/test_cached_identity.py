"""With a cache every process shares (Redis in production; here one locmem cache stands in for
it), sessions, the signed-in user and their permissions are read from the cache, and a kept
leaderboard costs no query at all. Every change that matters takes effect on the very next
request: a role revoked, a user deactivated, a password changed, a role's permissions
changed."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role, ensure_roles
from rankings.leaderboard_cache import _pages_here as pages_here


@pytest.fixture
def shared_cache(settings):
    """The settings of a deployment with CACHE_URL, one locmem cache standing in for Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared-cache-tests",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SAIMA_SHARED_CACHE = True
    cache.clear()
    pages_here.clear()
    yield
    cache.clear()
    pages_here.clear()


pytestmark = pytest.mark.usefixtures("shared_cache")


def board_url(published) -> str:
    return reverse("leaderboard", args=[published.race.code, published.latest_period.code])


def signed_in(client, user):
    # As the sign-in form does: the backend that checked the password reads the user back.
    client.force_login(user, backend="accounts.backends.RoleBackend")
    return client


def queries_of(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def test_a_kept_leaderboard_costs_no_query_at_all(client, users, published):
    signed_in(client, users[Role.VIEWER])
    assert client.get(board_url(published)).status_code == 200  # keeps the page
    assert queries_of(client, board_url(published)) == (200, 0)


def test_without_a_shared_cache_the_user_and_permissions_are_read_every_request(
    client, users, published, settings
):
    settings.SAIMA_SHARED_CACHE = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    signed_in(client, users[Role.VIEWER])
    client.get(board_url(published))
    # The session, the user, the user's permissions and the publication's state.
    assert queries_of(client, board_url(published)) == (200, 4)


def test_a_revoked_role_takes_effect_on_the_next_request(client, users, published):
    viewer = users[Role.VIEWER]
    signed_in(client, viewer)
    assert client.get(board_url(published)).status_code == 200
    viewer.groups.clear()
    assert client.get(board_url(published)).status_code == 403


def test_a_role_revoked_from_the_roles_side_takes_effect_on_the_next_request(
    client, users, published
):
    viewer = users[Role.VIEWER]
    signed_in(client, viewer)
    assert client.get(board_url(published)).status_code == 200
    ensure_roles()[Role.VIEWER].user_set.remove(viewer)
    assert client.get(board_url(published)).status_code == 403


def test_a_role_cleared_of_all_its_users_takes_effect_on_the_next_request(client, users, published):
    signed_in(client, users[Role.VIEWER])
    assert client.get(board_url(published)).status_code == 200
    ensure_roles()[Role.VIEWER].user_set.clear()
    assert client.get(board_url(published)).status_code == 403


def test_a_granted_role_takes_effect_on_the_next_request(client, users, published):
    official = users[Role.OFFICIAL]
    signed_in(client, official)
    assert "?preview=1" not in client.get(board_url(published)).content.decode()
    official.groups.add(ensure_roles()[Role.REVIEWER])
    response = client.get(board_url(published))
    assert "?preview=1" in response.content.decode()  # the bureau's link to the preview


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, users, published):
    viewer = users[Role.VIEWER]
    signed_in(client, viewer)
    assert client.get(board_url(published)).status_code == 200
    viewer.is_active = False
    viewer.save()
    response = client.get(board_url(published))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_changed_password_signs_out_the_other_sessions_on_their_next_request(
    client, users, published
):
    from django.test import Client

    viewer = users[Role.VIEWER]
    signed_in(client, viewer)
    other = signed_in(Client(), viewer)
    assert other.get(board_url(published)).status_code == 200
    viewer.set_password("a new and long passphrase")
    viewer.save()
    assert other.get(board_url(published)).status_code == 302
    assert client.get(board_url(published)).status_code == 302


def test_a_deleted_user_is_signed_out_on_the_next_request(client, users, published):
    viewer = users[Role.VIEWER]
    signed_in(client, viewer)
    assert client.get(board_url(published)).status_code == 200
    viewer.delete()
    assert client.get(board_url(published)).status_code == 302


def test_a_permission_taken_from_a_role_takes_effect_on_the_next_request(client, users, published):
    signed_in(client, users[Role.VIEWER])
    assert client.get(board_url(published)).status_code == 200
    ensure_roles()[Role.VIEWER].permissions.remove(
        Permission.objects.get(content_type__app_label="rankings", codename="view_standing")
    )
    assert client.get(board_url(published)).status_code == 403


def test_an_own_grant_takes_effect_on_the_next_request(client, users, published):
    official = users[Role.OFFICIAL]
    signed_in(client, official)
    assert "?preview=1" not in client.get(board_url(published)).content.decode()
    official.user_permissions.add(
        Permission.objects.get(content_type__app_label="rankings", codename="add_publication")
    )
    assert "?preview=1" in client.get(board_url(published)).content.decode()


def test_signing_out_ends_the_session_in_the_cache_too(client, users, published):
    signed_in(client, users[Role.VIEWER])
    session_cookie = client.cookies["sessionid"].value
    assert client.get(board_url(published)).status_code == 200
    client.post(reverse("logout"))
    client.cookies["sessionid"] = session_cookie  # a copy of the cookie kept elsewhere
    assert client.get(board_url(published)).status_code == 302


def test_signing_in_through_the_form_reads_the_user_from_the_cache_afterwards(
    client, users, published
):
    from tests.builders import PASSWORD

    response = client.post(
        reverse("login"), {"username": users[Role.VIEWER].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(board_url(published)).status_code == 200
    assert queries_of(client, board_url(published)) == (200, 0)
