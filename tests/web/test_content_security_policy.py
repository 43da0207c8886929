"""Every response carries a strict Content-Security-Policy, and no template needs an exception:
no inline script, no event-handler attribute, no inline style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


def _policy(response) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(directive.split(" ", 1) for directive in directives if directive)


def test_the_sign_in_page_has_the_strict_policy(client):
    assert _policy(client.get(reverse("login"))) == POLICY


def test_a_signed_in_page_has_the_strict_policy(client_for, published):
    response = client_for(Role.VIEWER).get(reverse("home"))
    assert response.status_code == 200
    assert _policy(response) == POLICY


def test_the_admin_has_the_strict_policy(client_for, published):
    response = client_for(Role.ADMINISTRATOR).get(reverse("admin:index"))
    assert response.status_code == 200
    assert _policy(response) == POLICY


def test_an_export_has_the_strict_policy(client_for, published):
    url = reverse(
        "leaderboard-export", args=[published.race.code, published.latest_period.code, "csv"]
    )
    response = client_for(Role.VIEWER).get(url)
    assert response.status_code == 200
    assert _policy(response) == POLICY


def test_there_are_templates_to_scan():
    assert len(TEMPLATES) > 20


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


@pytest.mark.parametrize(
    "pattern",
    [INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, STYLE_ELEMENT, JAVASCRIPT_URL],
    ids=["inline script", "on*= handler", "style attribute", "style element", "javascript: URL"],
)
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_no_template_needs_an_exception_to_the_policy(template, pattern):
    html = template.read_text(encoding="utf-8")
    assert not pattern.search(html), f"{template.relative_to(settings.BASE_DIR)}: {pattern.pattern}"


def test_the_scan_recognises_what_it_refuses():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/a.js" defer></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<span class="bar" style="width: 5%">')
    assert not STYLE_ATTRIBUTE.search('<link rel="stylesheet" href="/static/css/saima.css">')
