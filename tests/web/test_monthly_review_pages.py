"""The monthly review (月点评) on the pages: named and marked wherever it appears, previewed
and published like a race, commented on by officials, and apart on the district's history."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from comments.models import Comment
from districts.periods import Period
from rankings.models import Publication
from rankings.services.publishing import standings_publish
from tests.rankings.test_monthly_review import add_month_values

pytestmark = pytest.mark.django_db

MONTH = Period.parse("2025-07")
TITLE = "Monthly review, July 2025"
BADGE = '<span class="badge monthly-review"'


@pytest.fixture
def review(published):
    add_month_values(published, MONTH)
    return standings_publish(race=published.race, period=MONTH).publication


def leaderboard_url(published, period) -> str:
    return reverse("leaderboard", args=[published.race.code, period.code])


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_the_monthly_review_is_titled_and_marked_on_its_leaderboard(published, review, client_for):
    html = squeeze(client_for(Role.OFFICIAL).get(leaderboard_url(published, MONTH)).text)
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert TITLE in heading
    assert BADGE in heading
    assert "It is lighter than the quarterly race" in html
    assert f"<title>{TITLE} · 2025-07" in html


def test_the_quarterly_leaderboard_keeps_its_heading_and_marks_the_month_in_its_periods(
    published, review, client_for
):
    html = squeeze(
        client_for(Role.OFFICIAL).get(leaderboard_url(published, published.latest_period)).text
    )
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert heading == published.race.display_name
    nav = re.search(r'<nav class="period-nav[^>]*>(.*?)</nav>', html).group(1)
    month_item = re.search(r"<li><a [^>]*2025-07/\">2025-07</a>(.*?)</li>", nav).group(1)
    assert BADGE in month_item
    quarter_item = re.search(r"<li><a [^>]*2025Q2/\"[^>]*>2025Q2</a>(.*?)</li>", nav).group(1)
    assert BADGE not in quarter_item


def test_a_reviewer_previews_a_month_and_publishes_the_monthly_review(published, client_for):
    add_month_values(published, MONTH)
    client = client_for(Role.REVIEWER)

    preview = client.get(leaderboard_url(published, MONTH) + "?preview=1")
    assert preview.status_code == 200
    assert TITLE in preview.text
    assert "make the monthly review of this month" in preview.text
    publish_url = reverse("leaderboard-publish", args=[published.race.code, MONTH.code])
    response = client.post(publish_url, follow=True)

    assert response.status_code == 200
    publication = Publication.objects.get(race=published.race, period=MONTH.code)
    assert publication.is_monthly_review
    assert TITLE in response.text


def test_the_race_link_leads_to_the_quarter_not_the_monthly_review(published, review, client_for):
    response = client_for(Role.VIEWER).get(reverse("race-latest", args=[published.race.code]))
    assert response.url == leaderboard_url(published, published.latest_period)


def test_the_home_page_lists_monthly_reviews_apart_from_the_races(published, review, client_for):
    html = squeeze(client_for(Role.VIEWER).get(reverse("home")).text)
    races, reviews = html.split('<h2 id="monthly-reviews">')
    # The race's card shows its quarter, unmarked.
    assert f"{published.latest_period.code}, revision 1" in races
    assert BADGE not in races.split('<select id="period-select"')[-1].split("</select>")[-1]
    assert TITLE in reviews
    assert BADGE in reviews
    assert reverse("race-comments", args=[published.race.code, MONTH.code]) in reviews


def test_the_district_page_opens_on_the_quarter_and_marks_monthly_points(
    published, review, client_for
):
    district = published.districts[0]
    html = squeeze(client_for(Role.VIEWER).get(reverse("district", args=[district.code])).text)
    standing = re.search(r'<h2 id="standing-heading">(.*?)</h2>', html).group(1)
    assert published.latest_period.code in standing and TITLE not in standing
    # The chart: quarterly points are dots on the solid line, the month a hollow square apart.
    assert len(re.findall(r'<circle class="rank-point"', html)) == 2
    assert len(re.findall(r'<rect class="rank-point monthly"', html)) == 1
    assert "Quarterly race" in html and "(monthly review)" in html
    assert "hollow squares" in html
    # The table marks the month's row, and only it.
    rows = re.findall(
        r"<tr> <th scope=\"row\"><a href=\"\?race=[^\"]*period=([^\"]+)\">"
        r"[^<]*</a>(.*?)</th>",
        html,
    )
    marked = {period for period, rest in rows if BADGE in rest}
    assert marked == {MONTH.code}
    assert {period for period, _rest in rows} == {"2025Q1", "2025Q2", MONTH.code}


def test_the_district_page_of_the_monthly_review_is_titled_as_such(published, review, client_for):
    district = published.districts[0]
    url = reverse("district", args=[district.code]) + f"?period={MONTH.code}"
    html = squeeze(client_for(Role.VIEWER).get(url).text)
    standing = re.search(r'<h2 id="standing-heading">(.*?)</h2>', html).group(1)
    assert TITLE in standing and BADGE in standing


def test_an_official_reads_the_monthly_review_and_comments(published, review, client_for):
    client = client_for(Role.OFFICIAL)
    board = client.get(leaderboard_url(published, MONTH)).text
    comments_url = reverse("race-comments", args=[published.race.code, MONTH.code])
    assert comments_url in board

    response = client.post(
        comments_url,
        {"concerning": "race", "body": "July: investment is behind plan."},
        follow=True,
    )

    assert response.status_code == 200
    comment = Comment.objects.get()
    assert (comment.race, comment.period) == (published.race, MONTH.code)
    html = squeeze(response.text)
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert TITLE in heading and BADGE in heading
    assert "investment is behind plan" in html
    listed = squeeze(client.get(reverse("comment-list")).text)
    assert BADGE in listed


def test_the_spreadsheet_export_names_the_monthly_review(published, review, client_for):
    url = reverse("leaderboard-export", args=[published.race.code, MONTH.code, "xlsx"])
    response = client_for(Role.VIEWER).get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert TITLE in sheet["A1"].value


def test_the_indicator_page_opens_on_the_quarter_and_offers_the_month(
    published, review, client_for
):
    url = reverse("indicator", args=[published.indicators[0].code])
    html = client_for(Role.VIEWER).get(url).text
    assert f'<option value="{published.latest_period.code}" selected>' in html
    assert f'<option value="{MONTH.code}"' in html
