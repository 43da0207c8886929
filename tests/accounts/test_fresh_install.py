"""A fresh production install works with nothing but ``migrate``: no demo, no ensure_roles.

The test migrates an empty database in a subprocess, as a deployment would, then runs this
module as a script against it (``python -m tests.accounts.test_fresh_install``): the
reviewer previews and publishes through the real views, and a viewer may not publish.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
RACE = "fresh-race"
PERIOD = "2025Q1"


def _production_environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "fresh-install-test-only",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
    }


def _run(args: list[str], env: dict[str, str]) -> str:
    finished = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert finished.returncode == 0, finished.stderr or finished.stdout
    return finished.stdout


@pytest.fixture
def empty_database_url(tmp_path, django_db_setup):
    """An empty database of the same kind as the test database, dropped afterwards.

    ``django_db_setup`` gives the connection its test database name, which the PostgreSQL
    database is named after.
    """
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    assert connection.vendor == "postgresql", f"no fresh database recipe for {connection.vendor}"
    params = connection.settings_dict
    name = f"{params['NAME']}_fresh"
    server = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        password = f":{server['password']}" if server["password"] else ""
        yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_a_fresh_install_has_its_roles_and_a_reviewer_can_preview_and_publish(
    empty_database_url,
):
    # Imported here: run as a script, this module is loaded before Django is set up.
    from accounts.roles import ROLE_PERMISSIONS

    env = _production_environment(empty_database_url)
    _run(["manage.py", "migrate", "--noinput"], env)
    result = json.loads(_run(["-m", "tests.accounts.test_fresh_install"], env))

    assert result["roles"] == {
        role.value: sorted(names) for role, names in ROLE_PERMISSIONS.items()
    }
    assert result["viewer_publish_status"] == 403
    assert result["preview_status"] == 200
    assert result["preview_shows_every_district"]
    assert result["publish_status"] == 302
    assert result["publications"] == 1


def _first_quarter_on_a_fresh_install() -> dict:
    """What a new deployment does first, through the models and the real views."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group as RoleGroup
    from django.test import Client, override_settings
    from django.urls import reverse

    from districts.models import District, DistrictKind, Group, Indicator, Value, ValueStatus
    from rankings.models import Publication
    from rankings.services.races import race_load
    from tests.builders import race_spec

    roles = {
        group.name: sorted(
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        )
        for group in RoleGroup.objects.all()
    }
    users = get_user_model().objects
    reviewer = users.create_user(username="bureau", password="a-real-password-1")
    reviewer.groups.add(RoleGroup.objects.get(name="reviewer"))
    viewer = users.create_user(username="reader", password="a-real-password-2")
    viewer.groups.add(RoleGroup.objects.get(name="viewer"))

    counties = Group.objects.create(code="counties", name="县区")
    indicator = Indicator.objects.create(code="gdp_growth", name="GDP 增速", unit="%")
    for number, code in enumerate(["220102", "220103", "220104"], start=1):
        district = District.objects.create(
            code=code, name=f"第{number}区", kind=DistrictKind.DISTRICT, group=counties
        )
        Value.objects.create(
            district=district,
            indicator=indicator,
            period=PERIOD,
            value=number,
            status=ValueStatus.APPROVED,
        )
    race_load(spec=race_spec(code=RACE, group="counties", indicators=[indicator]))

    preview_url = reverse("leaderboard", args=[RACE, PERIOD]) + "?preview=1"
    publish_url = reverse("leaderboard-publish", args=[RACE, PERIOD])
    client = Client()
    # Static files are collected at deployment (collectstatic), which this test leaves out;
    # everything else runs with the production settings, so requests come over HTTPS.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        client.force_login(viewer)
        viewer_publish_status = client.post(publish_url, secure=True).status_code
        client.force_login(reviewer)
        preview = client.get(preview_url, secure=True)
        publish_status = client.post(publish_url, secure=True).status_code
    return {
        "roles": roles,
        "viewer_publish_status": viewer_publish_status,
        "preview_status": preview.status_code,
        "preview_shows_every_district": all(
            district.name in preview.content.decode() for district in District.objects.all()
        ),
        "publish_status": publish_status,
        "publications": Publication.objects.filter(race__code=RACE, period=PERIOD).count(),
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(_first_quarter_on_a_fresh_install()))
