"""With a read replica configured, only reads that cannot be stale go to it.

The replica here is a second connection to the test database (Django's TEST MIRROR), as
DATABASE_REPLICA_URL configures it, so the routing runs in every test run.
"""

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from config.db_routers import ReplicaRouter, replica_alias
from districts.models import Value
from rankings.models import Publication, Standing
from rankings.selectors import publications as publication_reads
from rankings.selectors.publications import publication_standings_cached


@pytest.fixture
def replica(settings):
    """The router installed; the "replica" alias (see conftest.py) mirrors the test database."""
    settings.DATABASE_ROUTERS = ["config.db_routers.ReplicaRouter"]
    return "replica"


def test_without_the_router_immutable_reads_use_the_primary():
    assert replica_alias() == "default"


@pytest.mark.django_db(databases=["default", "replica"])
def test_every_query_goes_to_the_primary_unless_it_names_the_replica(replica):
    assert replica_alias() == "replica"
    for model in (Value, Publication, Standing):
        assert router.db_for_read(model) == "default"
        assert router.db_for_write(model) == "default"
        assert model.objects.all().db == "default"
    assert ReplicaRouter().allow_migrate("default", "rankings")
    assert not ReplicaRouter().allow_migrate("replica", "rankings")


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_published_standings_are_read_from_the_replica(replica, published):
    publication = published.publications[-1]
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        standings = publication_standings_cached(publication=publication)
    assert [s.district.code for s in standings] == [
        s.district.code for s in publication.standings.order_by("rank", "district__code")
    ]
    assert len(on_replica) == 1 and "rankings_standing" in on_replica[0]["sql"]
    # The districts, which staff edit, come from the primary.
    assert len(on_primary) == 1 and "districts_district" in on_primary[0]["sql"]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_replica_that_lags_behind_is_not_believed(replica, published, monkeypatch):
    read = publication_reads._standings_fields

    def replica_behind(publication, *, using):
        return [] if using == "replica" else read(publication, using=using)

    monkeypatch.setattr(publication_reads, "_standings_fields", replica_behind)
    publication = published.publications[-1]
    standings = publication_standings_cached(publication=publication)
    assert len(standings) == publication.standings.count() > 0
