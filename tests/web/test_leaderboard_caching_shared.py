"""Every promise of the leaderboard's caching holds as well with a cache every process
shares, where the publication's state itself is kept (rankings.leaderboard_cache): a new
revision, a comment, a renamed district or group, stored explanations show at once."""

import pytest

from accounts.roles import Role
from rankings.models import StandingExplanation
from rankings.services.explanations import store_explanations
from tests.accounts.test_cached_identity import shared_cache  # noqa: F401
from tests.web.test_leaderboard_caching import *  # noqa: F403
from tests.web.test_leaderboard_caching import board_url, publish_a_correction

pytestmark = pytest.mark.usefixtures("shared_cache")


def test_a_kept_state_is_read_without_a_query_until_a_new_revision(client_for, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(Role.VIEWER)
    before = client.get(board_url(published))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(board_url(published))["ETag"] == before["ETag"]
    assert len(queries) == 0
    publish_a_correction(published)
    after = client.get(board_url(published))
    assert after["ETag"] != before["ETag"]
    assert "Revision 2" in after.content.decode()


def test_stored_explanations_change_the_etag(client_for, published):
    client = client_for(Role.VIEWER)
    publication = published.publications[-1]
    StandingExplanation.objects.filter(publication=publication).delete()
    before = client.get(board_url(published))["ETag"]
    store_explanations(publication)
    assert client.get(board_url(published))["ETag"] != before
