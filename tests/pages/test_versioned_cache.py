"""A versioned cache entry is served only while its versions are the current ones, even when
the read that kept it raced the change."""

import pytest
from django.core.cache import cache

from pages.versioned_cache import versioned_get_or_load, versions_renew

# Renewing a version also asks for it to be renewed again when the transaction commits.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "versioned-cache-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


def read(loads: list, value="fresh", during=None):
    def load():
        loads.append(value)
        if during:
            during()
        return value

    return versioned_get_or_load("entry", version_keys=["v"], load=load, timeout=60)


def test_a_kept_entry_is_served_until_its_version_is_renewed():
    loads = []
    assert read(loads, "first") == "first"
    assert read(loads, "second") == "first"
    versions_renew(["v"])
    assert read(loads, "third") == "third"
    assert loads == ["first", "third"]


def test_an_entry_read_while_a_change_was_made_is_not_served_after_it():
    loads = []
    read(loads, "old rows", during=lambda: versions_renew(["v"]))
    assert read(loads, "new rows") == "new rows"


def test_a_lost_version_is_a_miss():
    loads = []
    read(loads, "first")
    cache.delete("v")
    assert read(loads, "second") == "second"


def test_a_value_not_worth_keeping_is_read_again():
    loads = []

    def load():
        loads.append(1)
        return None

    for _ in range(2):
        versioned_get_or_load(
            "entry", version_keys=["v"], load=load, timeout=60, keep=lambda v: v is not None
        )
    assert loads == [1, 1]
