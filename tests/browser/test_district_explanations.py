"""The district page's explanation sections in real Chromium at 1,366 px, in English and in
Chinese: the chart and both neighbours' gaps are on the screen, nothing runs off the right."""

import pytest
from django.conf import settings

from accounts.roles import Role
from rankings.services.explanations import store_explanations
from tests.builders import PASSWORD, build_published_race, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "heading"), [("en", "Why here"), ("zh-hans", "为何在此名次")])
def test_the_explanation_sections_fit_a_1366_px_screen(
    browser, live_server, screenshot, language, heading
):
    race = build_published_race(districts=8, periods=2, indicators=4)
    publication = race.publications[-1]
    store_explanations(publication)
    middle = publication.standings.order_by("rank", "district__code")[3].district
    user_with_role(Role.VIEWER, username="viewer")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
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

    page.goto(f"{live_server.url}/districts/{middle.code}/")
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("svg.gap-chart").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.locator("#why-heading").scroll_into_view_if_needed()
    screenshot(page, f"district-explanations-{language.split('-')[0]}")
    context.close()
