"""An indicator says how its months make a quarter or a year: its roll-up."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from districts.models import Indicator, RollUpKind
from districts.rollup import RollUp
from districts.validation import period_problem
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

migration = import_module("districts.migrations.0006_indicator_roll_up")


def test_the_roll_ups_are_those_of_districts_rollup_and_none_is_the_default():
    assert set(RollUpKind.values) == {kind.value for kind in RollUp}
    assert IndicatorFactory().roll_up == RollUp.NONE


def test_the_database_refuses_an_unknown_roll_up():
    indicator = IndicatorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(roll_up="median")


def test_the_migration_rolls_year_to_date_figures_up_as_their_last_month():
    cumulative = IndicatorFactory(cumulative=True)
    flow = IndicatorFactory(cumulative=False)

    migration.year_to_date_figures_roll_up_as_last(apps, None)

    cumulative.refresh_from_db()
    flow.refresh_from_db()
    assert (cumulative.roll_up, flow.roll_up) == ("last", "none")


def test_the_indicator_admin_lists_and_edits_the_roll_up(admin_client):
    indicator = IndicatorFactory(roll_up="sum")
    listing = admin_client.get(reverse("admin:districts_indicator_changelist"))
    assert "roll_up" in listing.context["cl"].list_display
    page = admin_client.get(reverse("admin:districts_indicator_change", args=[indicator.pk]))
    assert page.context["adminform"].form["roll_up"].value() == "sum"


@pytest.mark.parametrize("roll_up", ["sum", "last", "mean"])
def test_an_indicator_that_rolls_up_takes_figures_for_its_months_too(roll_up):
    quarterly = IndicatorFactory(frequency="quarterly", roll_up=roll_up)
    yearly = IndicatorFactory(frequency="yearly", roll_up=roll_up)
    assert period_problem(quarterly, "2026-08") is None
    assert period_problem(quarterly, "2026Q3") is None
    assert period_problem(yearly, "2026-08") is None
    # Its months make quarters and years; nothing makes a quarter into a year here.
    assert "a year period is needed" in period_problem(yearly, "2026Q3")


def test_an_indicator_that_does_not_roll_up_takes_its_own_frequency_only():
    quarterly = IndicatorFactory(frequency="quarterly", roll_up="none")
    assert period_problem(quarterly, "2026-08") == (
        f"{quarterly.code} is entered quarterly: a quarter period is needed, not the month 2026-08"
    )
    monthly = IndicatorFactory(frequency="monthly", roll_up="sum")
    assert "a month period is needed" in period_problem(monthly, "2026Q3")
