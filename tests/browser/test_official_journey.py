"""End to end in real Chromium: what officials, clerks and viewers do in a browser."""

import csv
import io

import pytest

from comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RACE = "counties-economy"
PERIOD = "2026Q3"
CLERK_DISTRICT = "220106"  # the demo clerk looks after Lüyuan District


def leaderboard_url(live_server, query=""):
    return f"{live_server.url}/races/{RACE}/{PERIOD}/{query}"


def score_column(page):
    """The numbers in the leaderboard's Score column, top to bottom."""
    texts = page.evaluate(
        """() => {
            const table = document.querySelector("table.leaderboard");
            const headers = [...table.tHead.rows[0].cells].map(c => c.innerText.trim());
            const index = headers.findIndex(text => text.startsWith("Score"));
            return [...table.tBodies[0].rows].map(row => row.cells[index].innerText);
        }"""
    )
    return [float(text.replace(",", "")) for text in texts]


def switch_language(page, code):
    page.select_option("#language-select", code)
    page.click(".language-switcher button[type=submit]")
    page.wait_for_load_state()


def test_an_official_reads_the_race_comments_on_a_district_and_the_clerk_responds(
    demo, page, live_server, sign_in, screenshot
):
    sign_in(page, "official")

    # The leaderboard lists every district of the group with its rank, movement and reason.
    page.goto(leaderboard_url(live_server))
    rows = page.locator("table.leaderboard tbody tr")
    assert rows.count() == 11
    assert page.locator("table.leaderboard caption").is_visible()
    screenshot(page, "leaderboard-en")

    # Sorting by score, lowest first, puts the scores in ascending order.
    score_header = page.locator("table.leaderboard thead th").filter(has_text="Score")
    score_header.get_by_role("link").click()
    page.wait_for_load_state()
    scores = score_column(page)
    if scores != sorted(scores):  # the first click may sort highest first
        score_header.get_by_role("link").click()
        page.wait_for_load_state()
        scores = score_column(page)
    assert scores == sorted(scores) and len(scores) == 11

    # In Chinese, district names are the official Chinese ones.
    switch_language(page, "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("link", name="绿园区").first.is_visible()
    page.goto(leaderboard_url(live_server))
    screenshot(page, "leaderboard-zh")

    # The district page shows the rank history and the reasons.
    page.get_by_role("link", name="绿园区").first.click()
    page.wait_for_load_state()
    assert page.locator("figure.chart svg").count() == 1
    screenshot(page, "district-zh")
    switch_language(page, "en")
    assert page.locator("h1").inner_text().startswith("Lüyuan District")
    screenshot(page, "district-en")

    # The official comments on the district from the race's comment page.
    page.goto(f"{live_server.url}/races/{RACE}/{PERIOD}/comments/?district={CLERK_DISTRICT}")
    page.fill("textarea[name=body]", "Investment is **behind schedule**; report a plan by May.")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    comment = page.locator("article.comment").filter(has_text="behind schedule")
    assert comment.count() == 1
    assert comment.locator("strong", has_text="behind schedule").count() == 1
    # The demo's monthly review also has a comment on Lüyuan: count this race period's only.
    posted = Comment.objects.filter(district__code=CLERK_DISTRICT, period=PERIOD, parent=None)
    assert posted.count() == 1

    # The clerk of that district responds, and the response shows under the comment.
    page.context.clear_cookies()
    sign_in(page, "clerk")
    page.goto(f"{live_server.url}/races/{RACE}/{PERIOD}/comments/")
    page.locator("article.comment").filter(has_text="behind schedule").get_by_role(
        "link", name="Respond"
    ).first.click()
    page.fill("textarea[name=body]", "We will start two projects in April.")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    response = page.locator(".responses article.comment").filter(has_text="two projects")
    assert response.count() == 1
    assert Comment.objects.filter(parent__isnull=False).count() == 1


def test_a_viewer_reads_but_cannot_comment(demo, page, live_server, sign_in):
    sign_in(page, "viewer")
    page.goto(f"{live_server.url}/races/{RACE}/{PERIOD}/comments/")
    assert page.locator("h1").is_visible()
    assert page.locator("textarea[name=body]").count() == 0
    assert page.get_by_role("button", name="Post comment").count() == 0


def test_the_csv_export_downloads_and_parses(demo, page, live_server, sign_in):
    sign_in(page, "official")
    page.goto(leaderboard_url(live_server))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert "rank" in [h.lower() for h in header]
    assert len(body) == 11
    assert any(CLERK_DISTRICT in row for row in body)


def test_the_print_stylesheet_hides_navigation_for_a_clean_report(demo, page, live_server, sign_in):
    sign_in(page, "official")
    page.goto(leaderboard_url(live_server))
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("table.leaderboard").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
