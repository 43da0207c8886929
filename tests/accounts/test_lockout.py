"""Repeated failed sign-ins lock the username and the address (django-axes); an
administrator sees the lock in the admin and lifts it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from accounts.lockout import client_address
from accounts.roles import Role
from tests.builders import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def _sign_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def official(db):
    return user_with_role(Role.OFFICIAL)


@pytest.fixture
def viewer(db):
    return user_with_role(Role.VIEWER)


def test_the_defaults_are_five_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_a_correct_password_signs_in(client, official):
    response = _sign_in(client, "official", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, official):
    for _ in range(30):
        _sign_in(client, "official", "not-the-password")

    response = _sign_in(client, "official", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)
    assert client.get(reverse("home")).status_code == 302  # to the sign-in page


def test_failures_below_the_limit_still_let_the_right_password_in(client, official):
    for _ in range(LIMIT - 1):
        assert _sign_in(client, "official", "not-the-password").status_code == 200

    assert _sign_in(client, "official", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_username_is_locked_whatever_address_the_failures_came_from(client, official):
    for number in range(LIMIT):
        _sign_in(client, "official", "not-the-password", address=f"198.51.100.{number}")

    response = _sign_in(client, "official", PASSWORD, address="203.0.113.99")

    assert response.status_code == 429
    assert not _signed_in(client)


def test_an_address_is_locked_for_every_username_after_the_limit(client, official, viewer):
    for number in range(LIMIT):
        _sign_in(client, f"guess-{number}", "not-the-password", address="192.0.2.66")

    locked = _sign_in(client, "viewer", PASSWORD, address="192.0.2.66")
    assert locked.status_code == 429
    assert not _signed_in(client)

    elsewhere = _sign_in(client, "viewer", PASSWORD, address="192.0.2.67")
    assert elsewhere.status_code == 302
    assert _signed_in(client)


def test_the_lockout_page_says_when_to_try_again_and_whom_to_ask(client, official):
    for _ in range(LIMIT):
        response = _sign_in(client, "official", "not-the-password")

    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-ins" in html
    assert "Try again after 15 minutes, or ask an administrator" in html
    assert "not-the-password" not in html


def test_the_lockout_page_is_in_chinese_with_the_chinese_language_cookie(client, official):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    for _ in range(LIMIT):
        response = _sign_in(client, "official", "not-the-password")

    html = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="zh-Hans">' in html
    assert "登录失败次数过多" in html
    assert "15 分钟" in html
    assert "Too many failed sign-ins" not in html


def test_the_administrator_sees_the_lock_and_deleting_it_lets_the_user_in(
    client, official, django_user_model
):
    for _ in range(LIMIT):
        _sign_in(client, "official", "not-the-password")
    assert _sign_in(client, "official", PASSWORD).status_code == 429

    admin = user_with_role(Role.ADMINISTRATOR)
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "official" in listing.content.decode()

    attempt = AccessAttempt.objects.get(username="official")
    deleted = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()

    client.logout()
    assert _sign_in(client, "official", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_force_login_in_tests_is_not_counted(client, official):
    client.force_login(official)
    assert client.get(reverse("home")).status_code == 200
    assert not AccessAttempt.objects.exists()


# --- the address of a sign-in --------------------------------------------------------------


def _request(remote_addr="127.0.0.1", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=remote_addr, **headers)


def test_without_proxies_the_address_is_remote_addr_and_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("192.0.2.1", forwarded="203.0.113.5")) == "192.0.2.1"


def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent a made-up X-Forwarded-For; the proxy appended the real address.
    request = _request("127.0.0.1", forwarded="10.9.9.9, 203.0.113.5")
    assert client_address(request) == "203.0.113.5"


def test_behind_two_proxies_the_outer_proxy_saw_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request("127.0.0.1", forwarded="10.9.9.9, 203.0.113.5, 10.0.0.2")
    assert client_address(request) == "203.0.113.5"


def test_behind_a_proxy_without_forwarded_for_the_address_is_remote_addr(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("192.0.2.1")) == "192.0.2.1"


def test_behind_a_proxy_two_people_are_locked_separately(client, official, viewer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(LIMIT):
        _sign_in(client, "nobody", "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")

    response = _sign_in(
        client, "viewer", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.get(username="nobody").ip_address == "203.0.113.5"
