"""Whether a publication's inputs changed is kept under a digest of those inputs: reviewers
reading the leaderboard again do not recompute the race, and a correction, however it is
made, is announced on the very next request."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from districts.models import Value
from districts.periods import Period
from districts.services.entry import value_save
from districts.services.review import return_approve, return_reopen, return_submit
from rankings.selectors import leaderboard_pages
from rankings.selectors.leaderboard_pages import publication_inputs_changed_cached
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db

NOTICE = "The inputs have changed since revision 1 was published."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published():
    return build_published_race(districts=3, periods=1)


@pytest.fixture
def computations(monkeypatch):
    """How many times the race was computed to answer the question."""
    calls = []
    compute = leaderboard_pages.publication_inputs_changed

    def counted(*, publication):
        calls.append(publication.pk)
        return compute(publication=publication)

    monkeypatch.setattr(leaderboard_pages, "publication_inputs_changed", counted)
    return calls


def board_url(published):
    return reverse("leaderboard", args=[published.race.code, published.latest_period.code])


def test_asking_again_about_the_same_inputs_does_not_compute_the_race_again(
    published, computations
):
    publication = published.publications[-1]
    assert publication_inputs_changed_cached(publication=publication) is False
    assert publication_inputs_changed_cached(publication=publication) is False
    assert computations == [publication.pk]


def test_a_corrected_and_approved_figure_is_announced_after_a_kept_no_change(client, published):
    reviewer = user_with_role(Role.REVIEWER)
    client.force_login(reviewer)
    assert NOTICE not in client.get(board_url(published)).content.decode()  # kept: no change

    district, period = published.districts[0], Period.parse("2025Q1")
    return_reopen(user=reviewer, district=district, period=period, reason="Typo")
    value_save(
        user=reviewer,
        district=district,
        indicator=published.indicators[0],
        period="2025Q1",
        value=Decimal("8.5"),
        target=Decimal(20),
    )
    return_submit(user=reviewer, district=district, period=period)
    return_approve(user=reviewer, district=district, period=period)

    assert NOTICE in client.get(board_url(published)).content.decode()


def test_a_figure_changed_by_a_bulk_update_is_announced_after_a_kept_no_change(client, published):
    client.force_login(user_with_role(Role.REVIEWER))
    assert NOTICE not in client.get(board_url(published)).content.decode()
    Value.objects.filter(district=published.districts[0]).update(value=Decimal("8.5"))
    assert NOTICE in client.get(board_url(published)).content.decode()


def test_a_district_leaving_the_race_is_announced_after_a_kept_no_change(client, published):
    client.force_login(user_with_role(Role.REVIEWER))
    assert NOTICE not in client.get(board_url(published)).content.decode()
    district = published.districts[2]
    district.active = False
    district.save()
    assert NOTICE in client.get(board_url(published)).content.decode()


def test_the_notice_also_changes_the_etag_so_no_304_hides_it(client, published):
    client.force_login(user_with_role(Role.REVIEWER))
    client.get(board_url(published))
    etag = client.get(board_url(published))["ETag"]
    Value.objects.filter(district=published.districts[0]).update(value=Decimal("8.5"))
    response = client.get(board_url(published), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
