"""A published leaderboard answers conditional GETs and keeps its rendered table in the cache,
named by what it shows: a new revision, a comment, the language, the reader's role or a
renamed district gives a new name, so nothing stale is ever served. Previews are computed
afresh on every request."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from accounts.roles import Role
from comments.services import comment_edit, comment_post
from districts.models import Value
from rankings.services.publishing import standings_publish

# Quoted, as the SQL names it: the state also asks about "rankings_standingexplanation".
STANDINGS_TABLE = '"rankings_standing"'


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def board_url(published, query: str = "") -> str:
    url = reverse("leaderboard", args=[published.race.code, published.latest_period.code])
    return f"{url}?{query}" if query else url


def standings_read(client, url: str, **headers) -> tuple[int, bool]:
    """The status of a GET and whether it read any standing from the database."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response.status_code, any(STANDINGS_TABLE in q["sql"] for q in queries)


def publish_a_correction(published):
    value = Value.objects.filter(period=published.latest_period.code).first()
    value.value += 3
    value.save()
    return standings_publish(race=published.race, period=published.latest_period).publication


def test_a_published_leaderboard_carries_an_etag_and_a_last_modified_time(client_for, published):
    response = client_for(Role.VIEWER).get(board_url(published))
    assert response["ETag"].startswith('"')
    published_at = published.publications[-1].published_at
    assert parse_http_date(response["Last-Modified"]) >= int(published_at.timestamp())


def test_it_stays_private_and_is_checked_again_on_every_visit(client_for, published):
    cache_control = client_for(Role.VIEWER).get(board_url(published))["Cache-Control"]
    assert {part.strip() for part in cache_control.split(",")} == {"private", "no-cache"}


def test_asking_again_with_its_etag_gets_a_304_without_a_body(client_for, published):
    client = client_for(Role.VIEWER)
    etag = client.get(board_url(published))["ETag"]
    response = client.get(board_url(published), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_asking_again_since_its_last_modified_time_gets_a_304(client_for, published):
    client = client_for(Role.VIEWER)
    last_modified = client.get(board_url(published))["Last-Modified"]
    response = client.get(board_url(published), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_a_copy_older_than_the_publication_is_sent_afresh(client_for, published):
    earlier = published.publications[-1].published_at - timedelta(minutes=5)
    response = client_for(Role.VIEWER).get(
        board_url(published), headers={"if-modified-since": http_date(earlier.timestamp())}
    )
    assert response.status_code == 200


def test_a_new_revision_changes_the_etag(client_for, published):
    client = client_for(Role.VIEWER)
    before = client.get(board_url(published))["ETag"]
    publish_a_correction(published)
    response = client.get(board_url(published), headers={"if-none-match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert "Revision 2" in response.content.decode()


def test_the_old_revision_says_it_was_superseded_once_a_new_one_is_published(client_for, published):
    client = client_for(Role.VIEWER)
    old = board_url(published, "revision=1")
    before = client.get(old)["ETag"]
    publish_a_correction(published)
    response = client.get(old, headers={"if-none-match": before})
    assert response.status_code == 200
    assert "This revision was superseded on" in response.content.decode()


def test_a_new_comment_changes_the_etag_and_renews_the_kept_table(client_for, users, published):
    client = client_for(Role.VIEWER)
    before = client.get(board_url(published))["ETag"]
    assert standings_read(client, board_url(published)) == (200, False)  # kept

    comment_post(
        author=users[Role.OFFICIAL],
        race=published.race,
        period=published.latest_period,
        body="Good work.",
    )

    assert standings_read(client, board_url(published), if_none_match=before) == (200, True)
    assert client.get(board_url(published))["ETag"] != before


def test_an_edited_comment_changes_the_etag(client_for, users, published):
    comment = comment_post(
        author=users[Role.OFFICIAL],
        race=published.race,
        period=published.latest_period,
        body="Good work.",
    )
    client = client_for(Role.VIEWER)
    before = client.get(board_url(published))["ETag"]
    comment_edit(editor=users[Role.OFFICIAL], comment=comment, body="Very good work.")
    assert client.get(board_url(published), headers={"if-none-match": before}).status_code == 200


def test_the_language_changes_the_etag_and_the_table(client_for, published):
    client = client_for(Role.VIEWER)
    english = client.get(board_url(published))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(board_url(published), headers={"if-none-match": english["ETag"]})
    assert chinese.status_code == 200
    assert chinese["ETag"] != english["ETag"]
    assert published.districts[0].name in chinese.content.decode()
    assert published.districts[0].name_en not in chinese.content.decode()


def test_the_role_changes_the_etag(client_for, published):
    viewer = client_for(Role.VIEWER).get(board_url(published))["ETag"]
    reviewer = client_for(Role.REVIEWER).get(
        board_url(published), headers={"if-none-match": viewer}
    )
    assert reviewer.status_code == 200
    assert reviewer["ETag"] != viewer


def test_a_table_kept_for_a_reviewer_is_not_shown_to_a_viewer(client_for, published):
    preview_link = f'href="{board_url(published, "preview=1")}"'
    assert preview_link in client_for(Role.REVIEWER).get(board_url(published)).content.decode()
    assert preview_link not in client_for(Role.VIEWER).get(board_url(published)).content.decode()


def test_another_reader_of_the_same_role_gets_the_kept_table(client_for, published):
    assert standings_read(client_for(Role.VIEWER), board_url(published)) == (200, True)
    assert standings_read(client_for(Role.CLERK), board_url(published)) == (200, False)


def test_each_page_sort_and_search_is_kept_apart(client_for, published):
    client = client_for(Role.VIEWER)
    ascending = client.get(board_url(published, "sort=score")).content.decode()
    descending = client.get(board_url(published, "sort=-score")).content.decode()
    assert ascending != descending
    assert (
        'aria-sort="ascending"' in client.get(board_url(published, "sort=score")).content.decode()
    )


def test_a_renamed_district_shows_at_once(client_for, published):
    client = client_for(Role.VIEWER)
    client.get(board_url(published))
    district = published.districts[0]
    district.name_en = "Renamed District"
    district.save()
    assert "Renamed District" in client.get(board_url(published)).content.decode()


def test_a_renamed_group_shows_at_once(client_for, published):
    client = client_for(Role.VIEWER)
    client.get(board_url(published))
    published.group.name_en = "Renamed Group"
    published.group.save()
    assert "Renamed Group" in client.get(board_url(published)).content.decode()


def test_a_made_up_parameter_is_answered_but_its_table_is_not_kept(client_for, published):
    client = client_for(Role.VIEWER)
    client.get(board_url(published, "utm=1"))
    assert standings_read(client, board_url(published, "utm=1")) == (200, True)


def test_a_message_waiting_to_be_shown_is_never_hidden_by_a_304(client_for, published):
    client = client_for(Role.REVIEWER)
    etag = client.get(board_url(published))["ETag"]
    publish = reverse("leaderboard-publish", args=[published.race.code, "2025Q2"])
    client.post(publish)  # nothing changed: a message says so, on the same revision
    response = client.get(board_url(published), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "stays current" in response.content.decode()


def test_a_preview_is_never_kept_nor_validated(client_for, published):
    client = client_for(Role.REVIEWER)
    first = client.get(board_url(published, "preview=1"))
    assert "ETag" not in first
    assert "Last-Modified" not in first
    value = Value.objects.filter(
        period=published.latest_period.code, district=published.districts[0]
    ).first()
    value.value = Decimal("99")
    value.save()
    html = client.get(board_url(published, "preview=1&show=values")).content.decode()
    assert ">99%</td>" in html


def test_the_same_reader_asking_again_gets_the_whole_page_kept_without_a_template_rendered(
    client_for, published
):
    client = client_for(Role.VIEWER)
    first = client.get(board_url(published))
    again = client.get(board_url(published))
    assert first.templates and not again.templates
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_page_kept_for_one_reader_is_never_shown_to_another(client, published):
    from django.contrib.auth import get_user_model

    from accounts.roles import ensure_roles

    readers = []
    for name in ("first-reader", "second-reader"):
        user = get_user_model().objects.create_user(name)
        user.groups.add(ensure_roles()[Role.VIEWER])
        readers.append(user)
    client.force_login(readers[0])
    assert "first-reader" in client.get(board_url(published)).content.decode()
    client.force_login(readers[1])
    page = client.get(board_url(published)).content.decode()
    assert "second-reader" in page and "first-reader" not in page
