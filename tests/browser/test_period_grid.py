"""The period grid in real Chromium: a clerk pastes a spreadsheet column, saves, submits."""

from decimal import Decimal

import pytest
from django.conf import settings

from districts.models import DataReturn, Indicator, Value

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLERK_DISTRICT = "220106"  # the demo clerk looks after Lüyuan District
NEW_PERIOD = "2027Q1"  # nothing entered yet in the demo
RETURNED_PERIOD = "2026Q4"  # the demo clerk's return for it was sent back with a reason
VALUE_FIELDS = "input[data-grid-value]"


def grid_url(live_server, period: str) -> str:
    return (
        f"{live_server.url}/admin/districts/value/grid/?district={CLERK_DISTRICT}&period={period}"
    )


def paste(page, selector: str, text: str) -> None:
    """Paste ``text`` into the field as Ctrl+V does, with the text on the clipboard."""
    page.focus(selector)
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const event = new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            });
            document.querySelector(selector).dispatchEvent(event);
        }""",
        [selector, text],
    )


def value_fields(page) -> list[str]:
    return page.eval_on_selector_all(VALUE_FIELDS, "fields => fields.map(f => f.value)")


def first_value_field(page) -> str:
    return "#" + page.locator(VALUE_FIELDS).first.get_attribute("id")


def test_pasting_a_column_fills_the_value_fields_in_order_and_saves_them(
    demo, page, live_server, sign_in, screenshot
):
    sign_in(page, "clerk")
    page.goto(grid_url(live_server, NEW_PERIOD))
    assert page.locator("table.period-grid caption").is_visible()
    assert value_fields(page)[:4] == ["", "", "", ""]

    paste(page, first_value_field(page), "1.5\t9\n2.5\t9\n3.5\t9\n")

    assert value_fields(page)[:4] == ["1.5", "2.5", "3.5", ""]
    assert page.locator("#grid-paste-status").inner_text() == (
        "Filled 3 fields from 3 pasted lines."
    )
    screenshot(page, "period-grid-pasted-en")

    # A single figure is pasted by the browser itself, into that field only.
    page.fill(first_value_field(page), "")
    page.keyboard.insert_text("4.25")
    assert value_fields(page)[:3] == ["4.25", "2.5", "3.5"]

    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").inner_text() == "Saved 3 figures as drafts."
    saved = Value.objects.filter(district__code=CLERK_DISTRICT, period=NEW_PERIOD)
    assert sorted(saved.values_list("value", flat=True)) == [
        Decimal("2.5"),
        Decimal("3.5"),
        Decimal("4.25"),
    ]
    assert {value.status for value in saved} == {"draft"}


def test_errors_show_on_their_rows_and_a_flagged_figure_needs_a_justification(
    demo, page, live_server, sign_in, screenshot
):
    sign_in(page, "clerk")
    page.goto(grid_url(live_server, NEW_PERIOD))
    codes = page.eval_on_selector_all(
        "table.period-grid tbody th .grid-code", "cells => cells.map(c => c.innerText)"
    )
    # The first indicator flags any change over 10 % against the previous quarter.
    Indicator.objects.filter(code=codes[0]).update(change_threshold=Decimal("10"))

    paste(page, first_value_field(page), "999\n1,234.5\n12.5%\n")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    # Out of the valid range, a thousands separator, a percent sign: each named, none saved.
    assert page.locator("#grid-errors li").count() == 3
    assert page.locator("input[aria-invalid=true]").count() == 3
    assert not Value.objects.filter(district__code=CLERK_DISTRICT, period=NEW_PERIOD).exists()
    screenshot(page, "period-grid-errors-en")

    fields = page.locator(VALUE_FIELDS)
    fields.nth(0).fill("9.9")
    fields.nth(1).fill("2.1")
    fields.nth(2).fill("12.5")
    page.get_by_role("button", name="Save and submit the return").click()
    page.wait_for_load_state()
    assert page.locator("#grid-submit-errors").is_visible()
    assert page.locator(f"#grid-{codes[0]}-checks").is_visible()
    screenshot(page, "period-grid-justification-en")

    page.fill(f"#id_{codes[0]}-justification", "A new plant opened in January.")
    page.get_by_role("button", name="Save and submit the return").click()
    page.wait_for_load_state()
    assert "Submitted the return" in page.locator(".messagelist").inner_text()
    data_return = DataReturn.objects.get(district__code=CLERK_DISTRICT, period=NEW_PERIOD)
    assert data_return.status == "submitted"


def test_a_returned_return_shows_the_reviewers_reason_in_english_and_chinese(
    demo, page, live_server, sign_in, screenshot
):
    sign_in(page, "clerk")
    page.goto(grid_url(live_server, RETURNED_PERIOD))
    assert page.locator(".grid-status strong").inner_text() == "returned"
    reason = DataReturn.objects.get(district__code=CLERK_DISTRICT, period=RETURNED_PERIOD).reason
    assert page.locator(".grid-reason blockquote").inner_text() == reason
    screenshot(page, "period-grid-returned-en")

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    page.reload()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    screenshot(page, "period-grid-returned-zh")


def test_a_published_quarter_is_read_only(demo, page, live_server, sign_in, screenshot):
    sign_in(page, "clerk")
    page.goto(grid_url(live_server, "2026Q3"))
    # Every figure entered for the quarter is locked by its publication. The demo's
    # cumulative indicators are not entered for 2026Q3 (rolled up from their months), so
    # their fields stay empty; the months they came from are locked in the month's grid.
    entered = Value.objects.filter(district__code=CLERK_DISTRICT, period="2026Q3")
    assert entered.exists() and all(entered.values_list("locked", flat=True))
    assert page.locator(f"{VALUE_FIELDS}[readonly]").count() == entered.count()
    assert page.locator(".grid-locked-note").first.is_visible()
    screenshot(page, "period-grid-locked-en")
    page.goto(grid_url(live_server, "2026-09"))
    assert page.locator(VALUE_FIELDS).count() > 0
    assert page.locator(f"{VALUE_FIELDS}[readonly]").count() == page.locator(VALUE_FIELDS).count()
