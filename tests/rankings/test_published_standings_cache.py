"""A publication's standings are cached for good: a hit can never show anything stale."""

import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from districts.models import District
from rankings.selectors.publications import _standings_cache_key, publication_standings_cached

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["local memory", "redis"])
def each_cache(request, settings):
    """The development cache, and Redis as CACHE_URL configures it when one answers here."""
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis answers on 127.0.0.1:6379 (the cache test needs one)")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS,
                # A prefix of this run's own, in a database number of its own: no collision.
                "KEY_PREFIX": f"saima-test-{uuid.uuid4().hex}",
            }
        }
    used: list[str] = []
    yield used
    cache.delete_many(used)


def _read(publication, used: list[str]):
    used.append(_standings_cache_key(publication))
    with CaptureQueriesContext(connection) as queries:
        standings = publication_standings_cached(publication=publication)
    return standings, len(queries)


def test_the_second_read_is_a_cache_hit(each_cache, published):
    publication = published.publications[-1]
    first, first_queries = _read(publication, each_cache)
    assert cache.get(_standings_cache_key(publication)) is not None
    second, second_queries = _read(publication, each_cache)
    assert (first_queries, second_queries) == (2, 1)  # the districts are read every time
    assert [(s.pk, s.district.code, s.rank, s.score, s.reasons) for s in second] == [
        (s.pk, s.district.code, s.rank, s.score, s.reasons) for s in first
    ]
    stored = publication.standings.order_by("rank", "district__order", "district__code")
    assert [s.pk for s in second] == [s.pk for s in stored]


def test_a_renamed_district_shows_its_new_name_on_a_hit(each_cache, published):
    publication = published.publications[-1]
    _read(publication, each_cache)
    district = published.districts[0]
    District.objects.filter(pk=district.pk).update(name_en="Renamed District")
    standings, _ = _read(publication, each_cache)
    assert "Renamed District" in {s.district.name_en for s in standings}


def test_each_revision_has_its_own_entry(published):
    keys = {_standings_cache_key(p) for p in published.publications}
    assert len(keys) == len(published.publications)


def test_the_leaderboard_export_is_the_same_from_the_cache(each_cache, client_for, published):
    client = client_for(Role.VIEWER)
    period = published.latest_period.code
    url = f"/races/{published.race.code}/{period}/export.csv"
    each_cache.append(_standings_cache_key(published.publications[-1]))
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert cache.get(_standings_cache_key(published.publications[-1])) is not None
