"""What an archive holds and how it is laid out; shared by the export and the import.

An archive is one zip file: ``manifest.json`` and one JSON-lines member per model, each line
one row as Django's "python" serializer writes it (primary keys kept, so every reference,
the publications' ``supersedes`` chain and the fingerprints that name the previous
publication stay as they were).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

FORMAT = "saima-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Rows serialized, deserialized and inserted at a time: memory stays flat whatever the size.
CHUNK = 2000

# Django's own tables that an archive carries. Permissions and content types are not
# carried: ``migrate`` creates them, with ids of its own, so references to them are
# written as natural keys (app label, model, codename) instead of ids.
AUTH_MODELS = ["auth.Group", "auth.User"]
AUDIT_MODELS = ["admin.LogEntry"]
# Models whose foreign keys are written as natural keys: they point at permissions or
# content types, whose ids differ between databases. Their tables are small.
NATURAL_KEY_MODELS = {"auth.Group", "auth.User", "admin.LogEntry"}
# Tables that ``migrate`` fills on a fresh database (the five roles): the archive's rows
# replace them.
REPLACED_MODELS = {"auth.Group"}
# Saima's apps that hold no rows worth keeping (or none at all).
SKIPPED_APPS = {"backups"}


def saima_models() -> list[type[Model]]:
    """The models of Saima's own apps (and their history tables), in INSTALLED_APPS order."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        model
        for app in apps.get_app_configs()
        if Path(app.path).resolve().parent == root and app.label not in SKIPPED_APPS
        for model in app.get_models()
    ]


def archived_models() -> list[type[Model]]:
    """Every model an archive holds, in the order the import loads them.

    Users come before the rows naming them and groups before users (natural keys are
    looked up while loading); foreign keys between Saima's tables are checked at commit,
    so their order among themselves does not matter.
    """
    return (
        [apps.get_model(label) for label in AUTH_MODELS]
        + saima_models()
        + [apps.get_model(label) for label in AUDIT_MODELS]
    )


def member_name(model: type[Model]) -> str:
    return f"{model._meta.label_lower}.jsonl"


def migration_state() -> list[list[str]]:
    """The applied migrations, sorted: an archive loads only into the same schema."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)
