from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

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
from demo.departments import DEPARTMENT_INDICATORS, DEPARTMENTS
from districts.models import (
    DataReturn,
    District,
    DistrictKind,
    Group,
    Indicator,
    PeriodDeadline,
    Value,
)
from meetings.models import Meeting, RectificationItem
from rankings.models import Publication, Race
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
        "rectification": list(
            RectificationItem.objects.order_by("pk").values_list("district__code", "status")
        ),
        "meetings": list(
            Meeting.objects.order_by("pk").values_list("title", "status", "tasks__progress__done")
        ),
    }


def test_the_demo_loads_every_unit_indicator_and_quarter():
    call_command("load_demo", verbosity=0)
    assert District.objects.count() == len(DISTRICTS) == 16 + 7
    assert Indicator.objects.count() == len(INDICATORS) + len(DEPARTMENT_INDICATORS) == 9 + 4
    published = Value.objects.filter(period__in=[p.code for p in demo_quarters()])
    # The districts and zones report the economic indicators, the departments their own.
    economy = len(DISTRICTS) - len(DEPARTMENTS)
    # The latest quarter's year-to-date figures are entered by month instead (rolled up).
    year_to_date = economy * sum(i.cumulative for i in INDICATORS) + len(DEPARTMENTS) * sum(
        i.cumulative for i in DEPARTMENT_INDICATORS
    )
    assert (
        published.count()
        == (economy * len(INDICATORS) + len(DEPARTMENTS) * len(DEPARTMENT_INDICATORS))
        * DEMO_QUARTERS
        - year_to_date
    )
    assert set(Group.objects.values_list("code", flat=True)) == {
        "counties",
        "zones",
        "departments",
    }


def test_the_municipal_departments_race_on_their_key_tasks_in_every_demo_quarter():
    call_command("load_demo", verbosity=0)
    departments = Group.objects.get(code="departments")
    assert (departments.name, departments.name_en) == ("市直部门", "Municipal departments")
    bureau = District.objects.get(name="市工业和信息化局")
    assert bureau.name_en == "Municipal Bureau of Industry and Information Technology"
    assert (bureau.group, bureau.kind) == (departments, DistrictKind.DEPARTMENT)
    assert departments.districts.count() == len(DEPARTMENTS) == 7
    assert set(departments.districts.values_list("kind", flat=True)) == {DistrictKind.DEPARTMENT}

    race = Race.objects.get(group=departments)
    assert race.code == "departments-tasks"
    published = Publication.objects.filter(race=race, superseded_at__isnull=True)
    # Every quarter; the monthly reviews come besides (tests/demo/test_demo_monthly_reviews.py).
    assert sorted(p.period for p in published if not p.is_monthly_review) == [
        p.code for p in demo_quarters()
    ]
    for publication in published:
        assert publication.standings.count() == 7
        assert publication.standings.filter(district=bureau, rank__isnull=False).exists()


def test_the_departments_are_ranked_against_the_year_elapsed():
    call_command("load_demo", verbosity=0)
    version = Race.objects.get(code="departments-tasks").versions.order_by("-number")[0]
    inputs = {
        leaf["indicator"]: leaf["input"] for node in version.spec["nodes"] for leaf in node["nodes"]
    }
    assert inputs == {
        "key_tasks_done": "progress",
        "key_project_investment": "progress",
        "higher_level_funds": "progress",
        "matters_on_time": "value",
    }
    # A department's tasks come with an annual target; none reports a district's figures.
    tasks = Value.objects.filter(indicator__code="key_tasks_done")
    assert not tasks.filter(target__isnull=True).exists()
    assert not Value.objects.filter(
        district__kind=DistrictKind.DEPARTMENT, indicator__code__in=[i.code for i in INDICATORS]
    ).exists()


def test_the_third_group_leaves_the_other_groups_counts_as_they_were():
    call_command("load_demo", verbosity=0)
    quarters = [p.code for p in demo_quarters()]
    current = Publication.objects.filter(superseded_at__isnull=True, period__in=quarters)
    assert Race.objects.count() == 3
    assert current.count() == 3 * DEMO_QUARTERS
    counts = {
        group: (
            District.objects.filter(group__code=group).count(),
            current.filter(race__group__code=group).count(),
            RectificationItem.objects.filter(race__group__code=group).count(),
        )
        for group in ("counties", "zones", "departments")
    }
    # Three yellow flags a quarter among the districts, one among the zones, two departments.
    assert counts == {
        "counties": (11, DEMO_QUARTERS, 3 * DEMO_QUARTERS),
        "zones": (5, DEMO_QUARTERS, 1 * DEMO_QUARTERS),
        "departments": (7, DEMO_QUARTERS, 2 * DEMO_QUARTERS),
    }


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


def test_every_demo_value_is_within_its_indicator_s_bounds():
    # Including the quarter in review, whose rates move from the last published quarter.
    call_command("load_demo", verbosity=0)
    assert not Value.objects.filter(
        indicator__max_value__isnull=False, value__gt=F("indicator__max_value")
    ).exists()
    assert not Value.objects.filter(
        indicator__min_value__isnull=False, value__lt=F("indicator__min_value")
    ).exists()


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
