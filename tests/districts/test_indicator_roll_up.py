"""An indicator says how its months make a quarter or a year: its roll-up."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from districts.models import Indicator, RollUpKind
from districts.rollup import RollUp
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
