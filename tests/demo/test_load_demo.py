from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.roles import Role
from demo.city import (
    CLERK_DISTRICT,
    DEMO_NOTE,
    DEMO_PASSWORD,
    DEMO_QUARTERS,
    DISTRICTS,
    INDICATORS,
    demo_quarters,
)
from districts.models import DataReturn, District, Group, Indicator, PeriodDeadline, Value
from rankings.models import Race
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_a_development_machine(settings):
    # pytest-django runs tests with DEBUG off; the demo is meant for DEBUG on.
    settings.DEBUG = True


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
    published = Value.objects.filter(period__in=[p.code for p in demo_quarters()])
    assert published.count() == len(DISTRICTS) * len(INDICATORS) * DEMO_QUARTERS
    assert set(Group.objects.values_list("code", flat=True)) == {"counties", "zones"}


def test_the_demo_has_approved_returns_and_a_quarter_in_review():
    call_command("load_demo", verbosity=0)
    quarters = [p.code for p in demo_quarters()]
    published = DataReturn.objects.filter(period__in=quarters)
    assert published.count() == len(DISTRICTS) * DEMO_QUARTERS
    assert set(published.values_list("status", flat=True)) == {"approved"}
    assert PeriodDeadline.objects.filter(period__in=quarters).count() == DEMO_QUARTERS

    in_review = demo_quarters()[-1].next().code
    statuses = set(DataReturn.objects.filter(period=in_review).values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "approved", "returned"}
    clerks_return = DataReturn.objects.get(district__code=CLERK_DISTRICT, period=in_review)
    assert clerks_return.status == "returned" and clerks_return.reason
    # A race reads approved figures only: the quarter in review is not published.
    assert not Value.objects.filter(period=in_review, locked=True).exists()


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


def _nothing_written():
    return (
        not Value.objects.exists()
        and not Race.objects.exists()
        and not get_user_model().objects.exists()
    )


def test_it_refuses_to_load_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off.*--force"):
        call_command("load_demo", verbosity=0)
    assert not District.objects.exists()
    assert _nothing_written()


def test_it_refuses_to_load_into_a_database_with_districts_that_are_not_the_demo_s():
    DistrictFactory(code="110101", name="东城区")
    with pytest.raises(CommandError, match="1 district.*not demo districts.*110101.*--force"):
        call_command("load_demo", verbosity=0)
    assert list(District.objects.values_list("code", flat=True)) == ["110101"]
    assert _nothing_written()


def test_force_loads_it_despite_debug_off_and_other_districts(settings):
    settings.DEBUG = False
    DistrictFactory(code="110101", name="东城区")
    call_command("load_demo", "--force", verbosity=0)
    assert District.objects.count() == len(DISTRICTS) + 1
    assert Value.objects.filter(note=DEMO_NOTE).exists()


def test_it_keeps_the_password_an_existing_user_changed():
    call_command("load_demo", verbosity=0)
    reviewer = get_user_model().objects.get(username="reviewer")
    reviewer.set_password("chosen-by-the-bureau")
    reviewer.save()
    call_command("load_demo", verbosity=0)
    reviewer.refresh_from_db()
    assert reviewer.check_password("chosen-by-the-bureau")
    assert not reviewer.check_password(DEMO_PASSWORD)


def test_the_summary_names_the_users_it_created_and_those_that_kept_their_password():
    get_user_model().objects.create_user(username="admin", password="the-real-admin-password")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo users created: reviewer, clerk, official, viewer / saima-demo" in out.getvalue()
    assert "existed already kept their password: admin" in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("the-real-admin-password")
