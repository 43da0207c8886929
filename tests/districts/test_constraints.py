"""The database itself refuses inconsistent data, whatever path it comes in by."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from districts.models import District, Indicator, Value
from tests.factories import DistrictFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db


def test_a_district_has_one_value_per_indicator_and_period():
    value = ValueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Value.objects.create(
            district=value.district, indicator=value.indicator, period=value.period, value=1
        )


def test_the_same_district_and_indicator_may_have_values_for_other_periods():
    value = ValueFactory(period="2025Q1")
    ValueFactory(district=value.district, indicator=value.indicator, period="2025Q2")
    assert Value.objects.count() == 2


@pytest.mark.parametrize("period", ["2025Q5", "2025-13", "25Q1", "2025q1", ""])
def test_the_database_refuses_malformed_period_codes(period):
    with pytest.raises(IntegrityError), transaction.atomic():
        ValueFactory(period=period)


def test_values_keep_their_decimals_exactly_as_entered():
    value = ValueFactory(value=Decimal("0.123456"))
    value.refresh_from_db()
    assert value.value == Decimal("0.123456")


def test_district_codes_are_unique():
    DistrictFactory(code="220102")
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(
            code="220102", name="重复", kind="district", group=DistrictFactory().group
        )


def test_the_database_refuses_an_unknown_district_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictFactory(kind="province")


def test_the_database_refuses_an_unknown_indicator_direction():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(direction="sideways")


def test_an_indicator_valid_range_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(min_value=10, max_value=5)


def test_validation_normalises_the_period_code_and_checks_the_valid_range():
    indicator = IndicatorFactory(min_value=0, max_value=100)
    value = Value(district=DistrictFactory(), indicator=indicator, period="2025q1", value=5)
    value.full_clean()
    assert value.period == "2025Q1"
    value.value = Decimal("120")
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "value" in error.value.message_dict


def test_validation_names_a_bad_period():
    value = Value(
        district=DistrictFactory(), indicator=IndicatorFactory(), period="2025Q9", value=5
    )
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "period" in error.value.message_dict


def test_a_district_in_use_cannot_be_deleted_out_from_under_its_values():
    value = ValueFactory()
    with pytest.raises(Exception) as error, transaction.atomic():
        value.district.delete()
    assert "protected" in str(error.value).lower()
    assert Indicator.objects.filter(pk=value.indicator.pk).exists()
