import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.roles import Role
from demo.city import DEMO_NOTE, DEMO_PASSWORD, DEMO_QUARTERS, DISTRICTS, INDICATORS
from districts.models import District, Group, Indicator, Value

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "groups": list(Group.objects.values_list("code", "name")),
        "districts": list(District.objects.values_list("code", "group__code", "kind")),
        "indicators": list(Indicator.objects.values_list("code", "direction", "cumulative")),
        "values": list(
            Value.objects.order_by("pk").values_list(
                "district__code", "indicator__code", "period", "value", "target", "entered_at"
            )
        ),
        "users": list(
            get_user_model().objects.order_by("username").values_list("username", "is_staff")
        ),
    }


def test_the_demo_loads_every_unit_indicator_and_quarter():
    call_command("load_demo", verbosity=0)
    assert District.objects.count() == len(DISTRICTS)
    assert Indicator.objects.count() == len(INDICATORS)
    assert Value.objects.count() == len(DISTRICTS) * len(INDICATORS) * DEMO_QUARTERS
    assert set(Group.objects.values_list("code", flat=True)) == {"counties", "zones"}


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == first


def test_every_demo_value_says_it_is_illustrative():
    call_command("load_demo", verbosity=0)
    assert not Value.objects.exclude(note=DEMO_NOTE).exists()
    assert all(
        "not real" in source for source in Indicator.objects.values_list("source", flat=True)
    )


def test_year_to_date_indicators_have_annual_targets_and_rates_do_not():
    call_command("load_demo", verbosity=0)
    assert not Value.objects.filter(indicator__cumulative=True, target__isnull=True).exists()
    assert not Value.objects.filter(indicator__cumulative=False, target__isnull=False).exists()


def test_demo_users_sign_in_with_the_demo_password_and_have_their_roles():
    call_command("load_demo", verbosity=0)
    users = get_user_model().objects
    for role in Role:
        user = users.get(username="admin" if role is Role.ADMINISTRATOR else role.value)
        assert user.check_password(DEMO_PASSWORD)
        assert user.groups.filter(name=role.value).exists()
    assert list(users.get(username="clerk").clerk_districts.values_list("code", flat=True)) == [
        "220106"
    ]


def test_the_demo_keeps_a_value_someone_entered_by_hand():
    call_command("load_demo", verbosity=0)
    value = Value.objects.first()
    value.value, value.note = 99, "corrected by the bureau"
    value.save()
    call_command("load_demo", verbosity=0)
    value.refresh_from_db()
    assert value.value == 99
