"""The demo's year-to-date figures of its latest quarter are entered month by month: the races
roll the quarter up from its last month (docs/periods.md), to the same standings."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from demo.city import DEMO_NOTE, INDICATORS, demo_quarters, month_entered_quarters
from demo.departments import DEPARTMENT_INDICATORS
from districts.decimals import format_decimal
from districts.models import Indicator, Value, ValueStatus
from districts.periods import PeriodKind
from rankings.models import Publication

pytestmark = pytest.mark.django_db

LATEST = demo_quarters()[-1]
JULY, AUGUST, SEPTEMBER = (m.code for m in LATEST.parts(PeriodKind.MONTH))


@pytest.fixture(autouse=True)
def on_a_development_machine(settings):
    settings.DEBUG = True


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)


def test_the_year_to_date_indicators_roll_up_from_the_last_month_and_rates_do_not(demo):
    specs = [*INDICATORS, *DEPARTMENT_INDICATORS]
    assert dict(Indicator.objects.values_list("code", "roll_up")) == {
        spec.code: "last" if spec.cumulative else "none" for spec in specs
    }
    assert month_entered_quarters() == [LATEST]


def test_the_latest_quarter_s_year_to_date_figures_are_entered_by_month_only(demo):
    year_to_date = Value.objects.filter(indicator__cumulative=True, note=DEMO_NOTE)
    assert not year_to_date.filter(period=LATEST.code).exists()
    # The quarters before keep their own figures, and the rates stay quarterly.
    assert year_to_date.filter(period=LATEST.previous().code).exists()
    assert Value.objects.filter(indicator__cumulative=False, period=LATEST.code).exists()
    assert not Value.objects.filter(indicator__cumulative=False, period__in=[JULY, AUGUST]).exists()

    months = {}
    for value in year_to_date.filter(period__in=[JULY, AUGUST, SEPTEMBER]):
        assert value.status == ValueStatus.APPROVED
        months.setdefault((value.district_id, value.indicator_id), {})[value.period] = value
    units = Value.objects.filter(period=LATEST.previous().code, indicator__cumulative=True)
    assert len(months) == units.count()
    for by_month in months.values():
        july, august, september = (by_month[m] for m in (JULY, AUGUST, SEPTEMBER))
        # A year to date only grows, towards September's, under the same annual target.
        assert july.value <= august.value <= september.value
        assert august.value >= september.value * 8 / 9 * 9 / 10
        assert july.target == august.target == september.target is not None


def test_the_latest_quarter_s_publication_cites_the_september_figures(demo):
    publication = Publication.objects.get(
        race__code="counties-economy", period=LATEST.code, superseded_at__isnull=True
    )
    standing = publication.standings.filter(rank=1).get()
    ref = standing.indicators["investment_attracted"]["ref"]
    september = Value.objects.get(
        district=standing.district, indicator__code="investment_attracted", period=SEPTEMBER
    )
    assert ref["roll_up"] == "last"
    assert ref["value_id"] is None
    assert ref["months"] == [
        {"value_id": september.pk, "period": SEPTEMBER, "value": format_decimal(september.value)}
    ]
    assert ref["value"] == format_decimal(september.value)
    # Publishing locked the monthly record the standing cites.
    assert september.locked
