"""Helpers for the archive tests: counting what a database holds, emptying it, tampering."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from backups.contents import MANIFEST, archived_models
from districts.models import District
from rankings.models import Publication


def database_contents() -> dict[str, object]:
    """Rows per archived model, and the links that live in many-to-many tables."""
    contents: dict[str, object] = {
        model._meta.label: model._base_manager.count() for model in archived_models()
    }
    contents["district clerks"] = sorted(
        (district.code, user.username)
        for district in District.objects.prefetch_related("clerks")
        for user in district.clerks.all()
    )
    contents["user roles"] = sorted(
        (user.username, role.name) for user in User.objects.all() for role in user.groups.all()
    )
    contents["role permissions"] = sorted(
        (role.name, permission.content_type.app_label, permission.codename)
        for role in Role.objects.all()
        for permission in role.permissions.select_related("content_type")
    )
    contents["publications"] = sorted(
        Publication.objects.values_list(
            "pk", "race__code", "period", "revision", "fingerprint", "published_at", "supersedes"
        )
    )
    return contents


def database_empty() -> None:
    """What a freshly created database looks like to import_all: no Saima data, no users."""
    # Inside the test's transaction PostgreSQL refuses to TRUNCATE tables with foreign key
    # checks still pending; checking them now clears the queue.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)


def archive_rewrite(
    source: Path,
    target: Path,
    *,
    member: Callable[[str, bytes], bytes | None] = lambda name, data: data,
    manifest: Callable[[dict], dict] = lambda data: data,
) -> Path:
    """A copy of an archive with members changed or left out (None) and the manifest edited."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == MANIFEST:
                copy.writestr(name, json.dumps(manifest(json.loads(data))))
            elif (changed := member(name, data)) is not None:
                copy.writestr(name, changed)
    return target
