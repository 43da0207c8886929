"""The monthly review (月点评): a race published on a month, lighter than the quarterly race.

It is a publication like any other (its own standings, revisions and comments) that the
period's kind marks as a monthly review; it makes no rectification items and no meeting
reports it.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from comments.services import comment_post
from districts.models import Value
from districts.periods import Period
from meetings.models import RectificationItem
from meetings.selectors.notices import notice_for_race, notice_for_races
from meetings.services.meetings import meeting_create
from rankings.charts import RankChartText, RankPoint, rank_history_svg
from rankings.models import Publication, is_monthly_review
from rankings.presenters import monthly_review_title, publication_title
from rankings.selectors.leaderboards import home_overview, publication_latest
from rankings.services.publishing import standings_publish
from tests.builders import build_published_race
from tests.factories import ValueFactory
from tests.web.test_translations import compiled_catalogue  # noqa: F401 (the .mo, compiled)

MONTH = Period.parse("2025-07")


def add_month_values(scene, period: Period = MONTH) -> None:
    """Figures for every district and indicator of the race in ``period``, in a new order."""
    count = len(scene.districts)
    for d, district in enumerate(scene.districts):
        for i, indicator in enumerate(scene.indicators):
            ValueFactory(
                district=district,
                indicator=indicator,
                period=period.code,
                value=Decimal(((count - d) * (i + 3)) % 13 + 1) / 2,
                target=Decimal(20),
            )


@pytest.fixture
def scene(db, django_capture_on_commit_callbacks):
    """A race published for 2025Q1 and 2025Q2, then reviewed for July 2025 (rectification
    items are made once a publication commits, so the callbacks run)."""
    with django_capture_on_commit_callbacks(execute=True):
        scene = build_published_race(periods=2)
        add_month_values(scene)
        scene.review = standings_publish(race=scene.race, period=MONTH).publication
    return scene


def test_a_month_period_makes_a_monthly_review_and_a_quarter_does_not():
    assert is_monthly_review("2026-10")
    assert is_monthly_review(Period.parse("2026-10"))
    assert not is_monthly_review("2026Q3")
    assert not is_monthly_review("2026")
    assert not is_monthly_review("not a period")


def test_publishing_a_month_gives_a_monthly_review_with_its_own_standings(scene):
    review = scene.review
    assert review.period == "2025-07"
    assert review.is_monthly_review
    assert not any(p.is_monthly_review for p in scene.publications)
    assert review.standings.count() == len(scene.districts)
    quarter = scene.publications[-1]
    assert {s.district_id for s in review.standings.all()} == {
        s.district_id for s in quarter.standings.all()
    }
    # Its own standings: another publication, with its own ranks.
    assert not set(review.standings.values_list("pk", flat=True)) & set(
        quarter.standings.values_list("pk", flat=True)
    )


def test_publishing_the_month_again_after_a_correction_adds_a_revision(scene):
    value = Value.objects.filter(period=MONTH.code).order_by("pk").first()
    value.value = Decimal("9.5")
    value.save()
    result = standings_publish(race=scene.race, period=MONTH)
    assert result.publication.revision == 2
    assert result.publication.is_monthly_review
    assert Publication.objects.filter(race=scene.race, period=MONTH.code).count() == 2


def test_it_is_titled_as_a_monthly_review_in_english_and_chinese(scene):
    assert monthly_review_title("2026-10") == "Monthly review, October 2026"
    assert publication_title(scene.race, MONTH) == "Monthly review, July 2025"
    assert publication_title(scene.race, "2025Q2") == scene.race.display_name
    assert monthly_review_title("2025Q2") == ""
    with translation.override("zh-hans"):
        assert monthly_review_title("2026-10") == "2026年10月月度点评"


def test_a_monthly_review_makes_no_rectification_items(scene):
    quarter_items = RectificationItem.objects.exclude(period=MONTH.code)
    assert quarter_items.exists()  # the quarters' yellow flags do
    assert any("yellow" in s.flags for s in scene.review.standings.all())
    assert not RectificationItem.objects.filter(period=MONTH.code).exists()
    assert not RectificationItem.objects.filter(publication=scene.review).exists()


def test_no_results_notice_reports_a_monthly_review(scene):
    notice = notice_for_race(race=scene.race, period=MONTH)
    assert [section.published for section in notice.races] == [False]
    assert notice.races[0].rows == []
    quarter = notice_for_races(title="t", races=[scene.race], period=scene.latest_period)
    assert quarter.races[0].published


def test_a_meeting_cannot_be_planned_on_a_month(scene, users):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            actor=users["reviewer"],
            title="Monthly meeting",
            period=MONTH.code,
            races=[scene.race],
            date=MONTH.last_day,
        )
    assert "monthly review" in str(error.value.message_dict["period"])


def test_an_official_comments_on_a_monthly_review_like_on_a_race(scene, users):
    comment = comment_post(
        author=users["official"],
        race=scene.race,
        period=MONTH,
        body="July is behind plan on investment.",
    )
    assert comment.period == MONTH.code
    assert comment.race == scene.race


def test_the_race_latest_is_its_quarter_and_the_home_lists_the_review_apart(scene):
    assert publication_latest(race=scene.race).period == scene.latest_period.code
    overview = home_overview()
    summary = overview.groups[0].races[0]
    assert summary.publication.period == scene.latest_period.code
    assert [r.pk for r in overview.monthly_reviews] == [scene.review.pk]
    # Asked for the month, the home page shows the review in the race's place.
    by_month = home_overview(period=MONTH)
    assert by_month.groups[0].races[0].publication.pk == scene.review.pk


def test_a_race_with_only_a_monthly_review_leads_to_it(db):
    scene = build_published_race(periods=1, code="monthly-only")
    Publication.objects.filter(race=scene.race).delete()
    add_month_values(scene)
    review = standings_publish(race=scene.race, period=MONTH).publication
    assert publication_latest(race=scene.race) == review


def test_the_rank_chart_draws_monthly_points_as_their_own_series():
    text = RankChartText(
        title="t", description="d", x_axis="x", y_axis="y", main_series="Q", monthly_series="M"
    )
    points = [
        RankPoint("2025Q2", 2),
        RankPoint("2025-07", 1, monthly=True),
        RankPoint("2025-08", 3, monthly=True),
        RankPoint("2025Q3", 3),
    ]
    svg = rank_history_svg(points=points, max_rank=4, text=text, chart_id="c")
    # The quarterly line runs from quarter to quarter past the months between them.
    quarterly = re.findall(r'<path class="rank-line" d="([^"]+)"', svg)
    monthly = re.findall(r'<path class="rank-line monthly" d="([^"]+)"[^>]*stroke-dasharray', svg)
    assert [path.count("L") for path in quarterly] == [1]
    assert [path.count("L") for path in monthly] == [1]
    assert svg.count('<circle class="rank-point"') == 2
    assert svg.count('<rect class="rank-point monthly"') == 2
    assert '<g class="legend"' in svg


def test_a_chart_without_monthly_points_has_no_legend():
    text = RankChartText(title="t", description="d", x_axis="x", y_axis="y")
    svg = rank_history_svg(points=[RankPoint("2025Q1", 1)], max_rank=2, text=text, chart_id="c")
    assert "legend" not in svg and "monthly" not in svg
