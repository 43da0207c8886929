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


def in_a_request(action):
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    try:
        return action()
    finally:
        request_finished.send(sender=None)


def test_within_a_request_versions_read_once_are_trusted_until_it_ends():
    loads = []
    in_a_request(lambda: read(loads, "first"))
    cache.set("v", "renewed by another process")

    # The request read "v" before the other process renewed it: like a request that read
    # the database just before a change, it finishes with what it read.
    assert in_a_request(lambda: [read(loads, "second"), read(loads, "third")]) == [
        "second",
        "second",
    ]
    assert in_a_request(lambda: read(loads, "fourth")) == "second"


def test_a_change_made_by_the_request_itself_is_seen_by_its_next_read():
    loads = []

    def change_then_read():
        first = read(loads, "before")
        versions_renew(["v"])
        return first, read(loads, "after")

    assert in_a_request(change_then_read) == ("before", "after")


def test_versions_read_with_every_request_come_with_the_first_read(monkeypatch):
    from pages import versioned_cache

    monkeypatch.setattr(versioned_cache, "_with_every_request", {"other-v"})
    loads = []

    def two_reads():
        read(loads, "x")
        return versioned_get_or_load(
            "other", version_keys=["other-v"], load=lambda: "other", timeout=9
        )

    in_a_request(two_reads)  # both entries now held by this process
    calls = []

    class Spy:
        def __getattr__(self, name):
            method = getattr(cache, name)
            return lambda *args, **kwargs: calls.append((name, *args)) or method(*args, **kwargs)

    monkeypatch.setattr(versioned_cache, "cache", Spy())
    assert in_a_request(two_reads) == "other"
    assert calls == [("get_many", ["entry", "v", "other-v"])]  # one round trip for both
