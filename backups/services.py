"""Writes: a deployment restored from an archive into an empty database (``import_all``).

Everything is checked before anything is written: the file is a zip with a manifest of
this format, made at the same migration state as this database, with every member present
and matching its checksum, and the database holds no data yet. The rows are then loaded in
one transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model

from backups.contents import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    REPLACED_MODELS,
    archived_models,
    member_name,
    migration_state,
)


class ArchiveRefused(Exception):
    """The archive cannot be imported here; nothing was written."""


@dataclass(frozen=True)
class ImportSummary:
    counts: dict[str, int]  # model label -> rows loaded


def archive_import(*, path: Path) -> ImportSummary:
    """Load the archive at ``path`` into this (empty) database, all or nothing."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ArchiveRefused(f"{path}: no such file") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveRefused(f"{path} is not a zip archive written by export_all") from error
    with archive:
        manifest = _manifest(archive)
        models = archived_models()
        _check_members(archive, manifest, models)
        _check_empty(models)
        try:
            with transaction.atomic():
                counts = _load(archive, manifest, models)
                # Foreign keys are checked at commit; checked now, a broken reference is
                # reported with the refusal and the transaction is rolled back.
                connection.check_constraints(table_names=_tables(models))
                _reset_sequences(models)
        except (DeserializationError, DatabaseError, IntegrityError, ValueError) as error:
            raise ArchiveRefused(f"the archive's rows could not be loaded: {error}") from error
    return ImportSummary(counts=counts)


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise ArchiveRefused(
            f"the archive has no {MANIFEST}; it was not written by export_all"
        ) from error
    except (ValueError, zipfile.BadZipFile) as error:
        raise ArchiveRefused(f"the archive's {MANIFEST} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused(f"the archive's {MANIFEST} is not a Saima archive manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            f"the archive has format version {manifest.get('format_version')}; "
            f"this Saima reads version {FORMAT_VERSION}"
        )
    ours = {tuple(item) for item in migration_state()}
    theirs = {tuple(item) for item in manifest.get("migrations", [])}
    if ours != theirs:
        only_archive = sorted(f"{app}.{name}" for app, name in theirs - ours)
        only_here = sorted(f"{app}.{name}" for app, name in ours - theirs)
        raise ArchiveRefused(
            "the archive was made at a different migration state than this database; "
            "migrate both to the same code first. "
            f"Only in the archive: {', '.join(only_archive) or 'none'}. "
            f"Only in this database: {', '.join(only_here) or 'none'}."
        )
    return manifest


def _check_members(archive: zipfile.ZipFile, manifest: dict, models: list[type[Model]]) -> None:
    checksums = manifest.get("sha256", {})
    counts = manifest.get("counts", {})
    present = set(archive.namelist())
    for model in models:
        name = member_name(model)
        if name not in present or name not in checksums or model._meta.label not in counts:
            raise ArchiveRefused(f"the archive has no {name}; it is incomplete")
        digest = hashlib.sha256()
        try:
            with archive.open(name) as member:
                while block := member.read(1 << 20):
                    digest.update(block)
        except (zipfile.BadZipFile, OSError) as error:
            raise ArchiveRefused(f"{name} in the archive is damaged: {error}") from error
        if digest.hexdigest() != checksums[name]:
            raise ArchiveRefused(
                f"{name} does not match the checksum in the manifest; the archive is damaged "
                "or was changed"
            )


def _check_empty(models: list[type[Model]]) -> None:
    holding = [
        model._meta.label
        for model in models
        if model._meta.label not in REPLACED_MODELS and model._base_manager.exists()
    ]
    if holding:
        raise ArchiveRefused(
            "the database is not empty (it holds "
            + ", ".join(holding)
            + "); import_all loads only into a freshly migrated, empty database"
        )


def _load(archive: zipfile.ZipFile, manifest: dict, models: list[type[Model]]) -> dict[str, int]:
    # Natural keys name content types; a cache from before this database was flushed would
    # hand out ids that no longer exist.
    ContentType.objects.clear_cache()
    counts = {}
    for model in models:
        if model._meta.label in REPLACED_MODELS:
            # The roles ``migrate`` created give way to the archive's own (same names).
            model._base_manager.all().delete()
        loaded = 0
        for chunk in _chunks(archive, member_name(model)):
            _insert(model, chunk)
            loaded += len(chunk)
        expected = manifest["counts"][model._meta.label]
        if loaded != expected:
            raise ArchiveRefused(
                f"{member_name(model)} holds {loaded} rows; the manifest says {expected}"
            )
        counts[model._meta.label] = loaded
    return counts


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[list]:
    """The member's rows deserialized, a chunk at a time."""
    with archive.open(name) as member:
        lines: list[dict] = []
        for line in member:
            lines.append(json.loads(line))
            if len(lines) == CHUNK:
                yield list(serializers.deserialize("python", lines))
                lines = []
        if lines:
            yield list(serializers.deserialize("python", lines))


def _insert(model: type[Model], rows: list) -> None:
    objects = [row.object for row in rows]
    # A raw insert, like loaddata's: fields such as ``entered_at`` (auto_now) and
    # ``published_at`` (auto_now_add) keep the archive's time instead of now, and save()
    # overrides (a publication refuses to be saved twice) are not involved.
    fields = list(model._meta.concrete_fields)
    # SQLite limits the parameters of one statement; the backend knows how many rows fit.
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": row.object.pk, f"{target}_id": target_pk})
            for row in rows
            for target_pk in row.m2m_data.get(field.name, [])
        ]
        through._base_manager.bulk_create(links, batch_size=CHUNK)


def _tables(models: list[type[Model]]) -> list[str]:
    tables = [model._meta.db_table for model in models]
    tables += [
        field.remote_field.through._meta.db_table for m in models for field in m._meta.many_to_many
    ]
    return tables


def _reset_sequences(models: list[type[Model]]) -> None:
    """Let the next row of each table get an id after the loaded ones (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
