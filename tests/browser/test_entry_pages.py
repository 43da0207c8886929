"""The entry pages in real Chromium, in English and in Chinese, as the bureau and a clerk see
them on the demo's quarter in review (2026Q4). The screenshots are looked at by a person."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "2026Q4"
CLERK_DISTRICT = "220106"  # Lüyuan District, the demo clerk's, returned with a reason


def in_chinese(page):
    page.select_option("#language-select", "zh-hans")
    page.click(".language-switcher button[type=submit]")
    page.wait_for_load_state()


def open_and_keep(page, screenshot, url, name):
    page.goto(url)
    page.wait_for_load_state()
    screenshot(page, name)
    return page.locator("h1").inner_text()


def test_the_bureau_reads_completeness_quality_and_a_return_in_both_languages(
    demo, page, live_server, sign_in, screenshot
):
    sign_in(page, "reviewer")
    pages = {
        "completeness": f"{live_server.url}/entry/{PERIOD}/completeness/",
        "quality": f"{live_server.url}/entry/{PERIOD}/quality/",
        "review": f"{live_server.url}/entry/{CLERK_DISTRICT}/{PERIOD}/review/",
    }
    english = {
        name: open_and_keep(page, screenshot, url, f"{name}-en") for name, url in pages.items()
    }
    assert english == {
        "completeness": f"Completeness of returns, {PERIOD}",
        "quality": f"Data quality, {PERIOD}",
        "review": f"Return of Lüyuan District, {PERIOD}",
    }
    # Completeness: one row per district of every group, with a total.
    assert page.goto(pages["completeness"]) and page.locator("table tbody tr").count() > 10

    in_chinese(page)
    chinese = {
        name: open_and_keep(page, screenshot, url, f"{name}-zh") for name, url in pages.items()
    }
    assert chinese == {
        "completeness": f"{PERIOD}报表完整性",
        "quality": f"{PERIOD}数据质量",
        "review": f"绿园区 {PERIOD}报表",
    }
    page.goto(pages["review"])
    assert page.get_by_text("审核员的理由").is_visible()


def test_the_clerk_opens_the_period_grid_in_both_languages(
    demo, page, live_server, sign_in, screenshot
):
    sign_in(page, "clerk")
    url = f"{live_server.url}/admin/districts/value/grid/?district={CLERK_DISTRICT}&period={PERIOD}"
    page.goto(url)
    screenshot(page, "period-grid-en")
    assert page.get_by_role("button", name="Save and submit the return").is_visible()
    value_fields = page.locator("td.grid-input input[name$='-value']")
    assert value_fields.count() > 5

    page.goto(f"{live_server.url}/")
    in_chinese(page)
    page.goto(url)
    screenshot(page, "period-grid-zh")
    assert page.get_by_role("button", name="保存并提交报表").is_visible()
    assert page.get_by_text("已被审核员退回，理由：").is_visible()
