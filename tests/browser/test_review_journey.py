"""The whole round in real Chromium: a clerk pastes a column into the period grid and submits;
a reviewer returns it with a reason; the clerk corrects and submits again; the reviewer
approves and publishes; a viewer sees the figure only after publishing."""

import pytest

from districts.models import DataReturn, Value

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLERK_DISTRICT = "220106"  # Lüyuan District, the demo clerk's
PERIOD = "2027Q1"  # nothing entered or published for it in the demo
RACE = "counties-economy"
PASSWORD = "saima-demo"


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def paste(page, selector: str, text: str) -> None:
    page.focus(selector)
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        [selector, text],
    )


def test_a_return_goes_from_the_clerk_through_review_to_the_published_page(
    demo, open_as, live_server, screenshot
):
    grid = (
        f"{live_server.url}/admin/districts/value/grid/?district={CLERK_DISTRICT}&period={PERIOD}"
    )
    review = f"{live_server.url}/entry/{CLERK_DISTRICT}/{PERIOD}/review/"
    indicator_page = f"{live_server.url}/indicators/gdp_growth/?group=counties&period={PERIOD}"

    clerk = open_as("clerk")
    clerk.goto(grid)
    fields = clerk.locator("input[data-grid-value]")
    count = fields.count()
    # The demo race's nine indicators, in the grid's order: five growth rates, three
    # year-to-date amounts and energy use per unit of GDP (valid up to 5).
    figures = ["6.0", "6.1", "6.2", "6.3", "6.4", "60", "20", "3000", "0.55"]
    assert count == len(figures)
    column = "\n".join(figures)
    paste(clerk, "#" + fields.first.get_attribute("id"), column)
    clerk.get_by_role("button", name="Save and submit the return").click()
    clerk.wait_for_load_state()
    assert "Submitted the return" in clerk.locator(".messagelist").inner_text()
    assert DataReturn.objects.get(district__code=CLERK_DISTRICT, period=PERIOD).status == (
        "submitted"
    )

    reviewer = open_as("reviewer")
    reviewer.goto(review)
    screenshot(reviewer, "review-submitted-en")
    reviewer.fill("textarea[name=reason]", "GDP growth of 6.0% looks low; check the quarter.")
    reviewer.get_by_role("button", name="Return to the clerk").click()
    reviewer.wait_for_load_state()
    assert "sent back to the clerk" in reviewer.locator("body").inner_text()

    clerk.goto(grid)
    assert "GDP growth of 6.0% looks low" in clerk.locator("#content").inner_text()
    first = "#" + clerk.locator("input[data-grid-value]").first.get_attribute("id")
    clerk.fill(first, "6.4")
    clerk.get_by_role("button", name="Save and submit the return").click()
    clerk.wait_for_load_state()
    assert "Submitted the return" in clerk.locator(".messagelist").inner_text()

    reviewer.goto(review)
    reviewer.get_by_role("button", name="Approve the return").click()
    reviewer.wait_for_load_state()
    assert DataReturn.objects.get(district__code=CLERK_DISTRICT, period=PERIOD).status == (
        "approved"
    )

    viewer = open_as("viewer")
    viewer.goto(indicator_page)
    assert "6.4%" not in viewer.locator("main").inner_text()

    reviewer.goto(f"{live_server.url}/races/{RACE}/{PERIOD}/?preview=1")
    reviewer.get_by_role("button", name="Publish these standings").click()
    reviewer.wait_for_load_state()
    assert "Published revision 1" in reviewer.locator("body").inner_text()
    assert Value.objects.get(
        district__code=CLERK_DISTRICT, period=PERIOD, indicator__code="gdp_growth"
    ).locked

    viewer.goto(indicator_page)
    assert "6.4%" in viewer.locator("main").inner_text()
    screenshot(viewer, "indicator-after-publishing-en")
