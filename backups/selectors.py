"""Reads: the whole deployment written to one archive file (``export_all``)."""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from backups.contents import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NATURAL_KEY_MODELS,
    archived_models,
    member_name,
    migration_state,
)


@dataclass(frozen=True)
class ArchiveSummary:
    path: Path
    counts: dict[str, int]  # model label -> rows
    size: int  # bytes


def archive_export(*, path: Path) -> ArchiveSummary:
    """Write every archived model to a zip at ``path``, with a manifest of counts and checksums.

    Everything is read in one snapshot, so rows, their history and the publications agree
    even while the site keeps working. The archive holds password hashes: it restores
    sign-in as it was, and is as confidential as the database itself.
    """
    counts: dict[str, int] = {}
    checksums: dict[str, str] = {}
    with transaction.atomic(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _read_one_snapshot()
        for model in archived_models():
            name = member_name(model)
            entry = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as member:
                digest = hashlib.sha256()
                count = 0
                for line in _rows_as_lines(model):
                    member.write(line)
                    digest.update(line)
                    count += 1
            counts[model._meta.label] = count
            checksums[name] = digest.hexdigest()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "migrations": migration_state(),
            "counts": counts,
            "sha256": checksums,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return ArchiveSummary(path=path, counts=counts, size=path.stat().st_size)


def _read_one_snapshot() -> None:
    # PostgreSQL's default (READ COMMITTED) gives each statement its own snapshot; REPEATABLE
    # READ keeps the first one for the whole transaction. It can only be set before the
    # transaction's first query, so not inside a caller's transaction (tests), which then
    # decides. SQLite's transaction is already one snapshot.
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


class ArchiveEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; an archive keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _rows_as_lines(model: type[Model]):
    """Each row as one JSON line, read a chunk at a time in primary-key order."""
    many_to_many = [field.name for field in model._meta.many_to_many]
    rows = model._base_manager.order_by("pk")
    if many_to_many:
        rows = rows.prefetch_related(*many_to_many)
    natural = model._meta.label in NATURAL_KEY_MODELS
    chunk: list[Model] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _lines(chunk, natural=natural)
            chunk = []
    yield from _lines(chunk, natural=natural)


def _lines(rows: list[Model], *, natural: bool):
    for data in serializers.serialize("python", rows, use_natural_foreign_keys=natural):
        yield (json.dumps(data, cls=ArchiveEncoder, ensure_ascii=False) + "\n").encode()
