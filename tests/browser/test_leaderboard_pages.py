"""A national-size leaderboard in real Chromium: a page of 100 districts, the pages below
it, a district found by search; a wide race on a 1,366 px screen; in English and in
Chinese."""

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.builders import PASSWORD, build_published_race, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICTS = 230


@pytest.fixture
def big_race(transactional_db):
    return build_published_race(districts=DISTRICTS, periods=2, indicators=4)


@pytest.fixture
def reader_page(browser, live_server):
    contexts = []

    def open_in(language: str, *, width: int = 1400, height: int = 1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    user_with_role(Role.VIEWER, username="viewer")
    yield open_in
    for context in contexts:
        context.close()


def ranks_shown(page) -> list[str]:
    return page.locator("table.leaderboard tbody tr td:first-child").all_inner_texts()


@pytest.mark.parametrize(("language", "next_page"), [("en", "Next page"), ("zh-hans", "下一页")])
def test_a_reader_pages_through_a_big_race_and_finds_a_district(
    big_race, reader_page, live_server, screenshot, language, next_page
):
    page = reader_page(language)
    period = big_race.latest_period.code
    page.goto(f"{live_server.url}/races/{big_race.race.code}/{period}/")
    assert page.locator("table.leaderboard tbody tr").count() == 100
    last_on_first_page = int(ranks_shown(page)[-1].lstrip("="))

    page.get_by_role("link", name=next_page).first.click()
    page.wait_for_url("**page=2")
    ranks = ranks_shown(page)
    assert len(ranks) == 100
    # The race's own ranks go on from the first page (a shared place may span the two).
    assert last_on_first_page <= int(ranks[0].lstrip("=")) <= 101
    assert page.locator(".pagination [aria-current=page]").inner_text() == "2"
    screenshot(page, f"leaderboard-page-{language.split('-')[0]}")

    wanted = big_race.districts[-1]
    page.fill("input[name=q]", wanted.code)
    page.locator(".toolbar form button[type=submit]").click()
    page.wait_for_url(f"**q={wanted.code}*")
    rows = page.locator("table.leaderboard tbody tr")
    assert rows.count() == 1
    assert wanted.code in rows.first.locator("th a").get_attribute("href")


@pytest.fixture
def wide_race(transactional_db):
    # More indicators than a 1,366 px screen shows beside the reasons.
    return build_published_race(districts=12, periods=2, indicators=14, code="wide")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_at_1366_px_the_indicators_scroll_while_rank_and_district_stay_in_view(
    wide_race, reader_page, live_server, screenshot, language
):
    page = reader_page(language, width=1366, height=900)
    page.goto(f"{live_server.url}/races/wide/{wide_race.latest_period.code}/")
    table = page.locator(".table-scroll")
    scroll_width, client_width = table.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll_width > client_width  # the table scrolls, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    first_row = page.locator("table.leaderboard tbody tr").first
    page.evaluate("y => window.scrollTo(0, y)", first_row.bounding_box()["y"] - 300)

    table.evaluate("el => { el.scrollLeft = el.scrollWidth; }")

    assert table.evaluate("el => el.scrollLeft") > 0
    frame = table.bounding_box()
    for cell in (first_row.locator("td").first, first_row.locator("th")):
        box = cell.bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
        # Nothing scrolled over it: the cell itself is what shows at its middle.
        shown = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('td, th').outerHTML",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert shown == cell.evaluate("el => el.outerHTML")
    last_header = page.locator("table.leaderboard thead th").last
    assert last_header.bounding_box()["x"] + last_header.bounding_box()["width"] <= (
        frame["x"] + frame["width"] + 1
    )
    screenshot(page, f"leaderboard-1366-{language.split('-')[0]}")
