"""A signed-in session ends after SESSION_IDLE_MINUTES without a request; activity extends it,
but at most one session write a minute, not one per page."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts import sessions
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def _stored_session(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_the_idle_limit_is_eight_hours_by_default():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_signing_in_marks_the_session_as_touched(client_for, users):
    client = client_for(Role.VIEWER)
    assert isinstance(client.session[sessions.TOUCHED_AT_KEY], int)


def test_pages_within_a_minute_of_sign_in_do_not_write_the_session(client_for):
    client = client_for(Role.VIEWER)
    expiry_before = _stored_session(client).expire_date
    client.get(reverse("home"))
    client.get(reverse("home"))
    assert _stored_session(client).expire_date == expiry_before


def test_a_request_a_minute_after_the_last_extends_the_session(client_for, monkeypatch):
    client = client_for(Role.VIEWER)
    expiry_before = _stored_session(client).expire_date
    now = sessions.time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + 61)
    client.get(reverse("home"))
    stored = _stored_session(client)
    assert stored.expire_date > expiry_before
    assert stored.get_decoded()[sessions.TOUCHED_AT_KEY] == int(now + 61)


def test_an_anonymous_page_does_not_read_the_session(client, published):
    response = client.get(reverse("healthz"))
    assert "Cookie" not in response.get("Vary", "")
