"""The production settings: secure by default once DEBUG is off, Django's deployment check
passes with nothing but DEBUG, SECRET_KEY and ALLOWED_HOSTS, and an intranet on plain HTTP
passes only by naming what it turns off. The security headers are on every response."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

ROOT = settings.BASE_DIR
PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}


def _production(**extra: str) -> dict[str, str]:
    """Only what a deployment sets: nothing inherited from the shell or the test settings."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "saima.example.gov.cn",
        **extra,
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def _settings(env: dict[str, str], *names: str) -> dict:
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}))"
    )
    finished = _run(["-c", script], env)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_the_deployment_check_passes_with_only_debug_secret_key_and_hosts():
    finished = _deploy_check(_production())
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "no issues (0 silenced)" in finished.stdout


def test_an_intranet_on_plain_http_passes_by_naming_what_it_turns_off():
    finished = _deploy_check(_production(**PLAIN_HTTP))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "no issues (4 silenced)" in finished.stdout


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("SECURE_HSTS_SECONDS", "security.W004"),
        ("SESSION_COOKIE_SECURE", "security.W012"),
        ("CSRF_COOKIE_SECURE", "security.W016"),
    ],
)
def test_turning_one_setting_off_silences_its_own_warning_only(name, check):
    assert _settings(_production(**{name: "0"}), name, "SILENCED_SYSTEM_CHECKS") == {
        name: 0 if name == "SECURE_HSTS_SECONDS" else False,
        "SILENCED_SYSTEM_CHECKS": [check],
    }


def test_an_empty_value_is_no_choice_and_keeps_the_secure_default():
    env = _production(SESSION_COOKIE_SECURE="", SECURE_HSTS_SECONDS="")
    assert _settings(
        env, "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SILENCED_SYSTEM_CHECKS"
    ) == {
        "SESSION_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SILENCED_SYSTEM_CHECKS": [],
    }


def test_a_weak_secret_key_fails_the_check():
    finished = _deploy_check(_production(SECRET_KEY="short"))
    assert finished.returncode != 0
    assert "security.W009" in finished.stderr + finished.stdout


def test_debug_is_off_unless_the_environment_turns_it_on():
    env = _production()
    del env["DEBUG"]
    assert _settings(env, "DEBUG") == {"DEBUG": False}


def test_without_a_secret_key_production_refuses_to_start():
    env = _production()
    del env["SECRET_KEY"]
    finished = _run(["manage.py", "check"], env)
    assert finished.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in finished.stderr


def test_production_is_secure_by_default():
    assert _settings(
        _production(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "SILENCED_SYSTEM_CHECKS",
    ) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        # gunicorn marks requests from its trusted proxy as HTTPS (gunicorn.conf.py).
        "SECURE_PROXY_SSL_HEADER": None,
        "SILENCED_SYSTEM_CHECKS": [],
    }


def test_the_proxy_ssl_header_can_be_named():
    env = _production(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert _settings(env, "SECURE_PROXY_SSL_HEADER") == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]
    }


# --- headers on responses ------------------------------------------------------------------


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000)
def test_with_the_production_defaults_http_is_redirected_and_https_gets_hsts(client):
    redirected = client.get(reverse("login"))
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")

    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_check_answers_over_plain_http(client):
    assert client.get(reverse("healthz")).status_code == 200
