"""import_all refuses a damaged or foreign archive, or a database with data, writing nothing."""

import hashlib
import json
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from backups.selectors import archive_export
from backups.services import ArchiveRefused, archive_import
from districts.models import District, Value
from rankings.models import Publication
from tests.backups.archives import archive_rewrite, database_empty

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(tmp_path, published):
    return archive_export(path=tmp_path / "saima.zip").path


def _refused(path, message: str) -> None:
    with pytest.raises(ArchiveRefused, match=message):
        archive_import(path=path)
    assert District.objects.count() == Value.objects.count() == User.objects.count() == 0
    assert Publication.objects.count() == 0


def test_it_refuses_a_file_that_is_not_a_zip(tmp_path, db):
    path = tmp_path / "saima.zip"
    path.write_text("district,indicator,period,value\n")
    _refused(path, "not a zip archive")


def test_it_refuses_a_member_that_does_not_match_its_checksum(archive, tmp_path):
    damaged = archive_rewrite(
        archive,
        tmp_path / "damaged.zip",
        member=lambda name, data: (
            data.replace(b'"value": "', b'"value": "9') if name == "districts.value.jsonl" else data
        ),
    )
    database_empty()
    _refused(damaged, "districts.value.jsonl does not match the checksum")


def test_it_refuses_an_archive_with_a_member_missing(archive, tmp_path):
    incomplete = archive_rewrite(
        archive,
        tmp_path / "incomplete.zip",
        member=lambda name, data: None if name == "rankings.standing.jsonl" else data,
    )
    database_empty()
    _refused(incomplete, "has no rankings.standing.jsonl")


def test_it_refuses_an_archive_without_a_manifest(archive, tmp_path):
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(bare, "w") as copy:
        for name in original.namelist():
            if name != "manifest.json":
                copy.writestr(name, original.read(name))
    database_empty()
    _refused(bare, "has no manifest.json")


def test_it_refuses_an_archive_from_another_migration_state(archive, tmp_path):
    def newer(manifest: dict) -> dict:
        manifest["migrations"].append(["districts", "0099_future"])
        return manifest

    foreign = archive_rewrite(archive, tmp_path / "foreign.zip", manifest=newer)
    database_empty()
    _refused(foreign, r"different migration state.*Only in the archive: districts\.0099_future")


def test_it_writes_nothing_when_a_row_breaks_a_reference(archive, tmp_path):
    """Rows are loaded in one transaction: a bad row late in the archive undoes the earlier."""

    def dangling(name: str, data: bytes) -> bytes:
        if name != "rankings.standing.jsonl":
            return data
        first, rest = data.split(b"\n", 1)
        row = json.loads(first)
        row["fields"]["district"] = 987654
        return json.dumps(row).encode() + b"\n" + rest

    broken = archive_rewrite(archive, tmp_path / "broken.zip", member=dangling)

    def rehashed(manifest: dict) -> dict:
        with zipfile.ZipFile(broken) as original:
            data = original.read("rankings.standing.jsonl")
        manifest["sha256"]["rankings.standing.jsonl"] = hashlib.sha256(data).hexdigest()
        return manifest

    consistent = archive_rewrite(broken, tmp_path / "consistent.zip", manifest=rehashed)
    database_empty()
    _refused(consistent, "could not be loaded")


def test_it_refuses_a_database_that_holds_data(archive):
    count = Value.objects.count()
    with pytest.raises(ArchiveRefused, match=r"not empty \(it holds districts\.Group, "):
        archive_import(path=archive)
    assert Value.objects.count() == count


def test_the_command_says_nothing_was_imported(archive):
    with pytest.raises(CommandError, match="not empty.*Nothing was imported"):
        call_command("import_all", str(archive))


def test_the_export_command_will_not_overwrite_a_file(archive):
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_all", str(archive))
