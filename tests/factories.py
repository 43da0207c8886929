"""Small factories for the domain models; each test builds only what it needs."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from districts.models import District, DistrictKind, Group, Indicator, Value, ValueStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group{n}")
    name = factory.Sequence(lambda n: f"第{n}组")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{220100 + n}")
    name = factory.Sequence(lambda n: f"第{n}区")
    name_en = factory.Sequence(lambda n: f"District {n}")
    kind = DistrictKind.DISTRICT
    group = factory.SubFactory(GroupFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"indicator{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"
    direction = "higher"


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    district = factory.SubFactory(DistrictFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = "2025Q1"
    value = Decimal("5.5")
    # Most tests need figures a race reads; review tests ask for drafts explicitly.
    status = ValueStatus.APPROVED
