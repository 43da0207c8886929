"""The results notice of the demo in real Chromium, printed to PDF on A4, in both languages."""

import shutil
import subprocess

import pytest

from districts.periods import Period
from meetings.selectors.notices import notice_for_race, score_decimals
from pages.formatting import format_number
from rankings.models import Publication
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RACE = "counties-economy"
PERIOD = "2026Q3"


def test_every_demo_race_publication_is_in_its_notice_as_published(demo):
    current = Publication.objects.filter(superseded_at__isnull=True).select_related("race")
    # Monthly reviews are lighter: no notice reports them (tests/rankings/test_monthly_review).
    publications = [p for p in current if not p.is_monthly_review]
    assert publications
    for publication in publications:
        decimals = score_decimals(publication)
        notice = notice_for_race(race=publication.race, period=Period.parse(publication.period))
        got = [(r.district_code, r.rank, r.score_text, r.flags) for r in notice.races[0].rows]
        expected = {
            s.district.code: (s.district.code, s.rank, format_number(s.score, decimals), s.flags)
            for s in publication.standings.select_related("district")
        }
        assert sorted(got, key=lambda r: r[0]) == sorted(expected.values(), key=lambda r: r[0])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_notice_prints_on_a4_in_each_language(
    demo,
    page,
    live_server,
    sign_in,
    language,
):
    sign_in(page, "viewer")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/meetings/notice/{RACE}/{PERIOD}/")
    heading = page.locator("h3").first.inner_text()
    assert heading.startswith("一、" if language == "zh-hans" else "1. ")
    rows = page.locator("table.notice-table tbody tr").count()
    assert (
        rows
        == Publication.objects.get(
            race__code=RACE, period=PERIOD, superseded_at__isnull=True
        ).standings.count()
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    short = "zh" if language == "zh-hans" else "en"
    pdf = SCREENSHOTS / f"notice-{short}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    assert pdf.stat().st_size > 1000
    png = SCREENSHOTS / f"notice-{short}.png"
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(png.with_suffix("")),
            ],
            check=True,
        )
    else:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})
        page.screenshot(path=str(png), full_page=False)
    pdf.unlink()
    assert png.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_follow_up_list_of_the_demo(
    demo,
    page,
    live_server,
    sign_in,
    screenshot,
    language,
):
    from meetings.models import RectificationItem, RectificationStatus

    statuses = set(RectificationItem.objects.values_list("status", flat=True))
    assert RectificationStatus.CLOSED in statuses and RectificationStatus.AWAITING_PLAN in statuses
    sign_in(page, "official")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/meetings/rectification/?race={RACE}")
    rows = page.locator("table.rectification-table tbody tr[data-item]").count()
    assert rows == RectificationItem.objects.filter(race__code=RACE).count()
    screenshot(page, f"follow-up-{'zh' if language == 'zh-hans' else 'en'}")
