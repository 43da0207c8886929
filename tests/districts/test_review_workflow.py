"""The review workflow of a return: a clerk enters and submits, a reviewer approves or returns
it with a reason, publishing locks the figures, a reviewer reopens them with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from districts.models import DataReturn, Value
from districts.periods import Period
from districts.services.entry import ValueConflict, value_save
from districts.services.review import (
    return_approve,
    return_reopen,
    return_send_back,
    return_submit,
)
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db

Q2 = Period.parse("2025Q2")


@pytest.fixture
def scene():
    group = GroupFactory(code="g")
    own, other = DistrictFactory(group=group), DistrictFactory(group=group)
    indicator = IndicatorFactory(code="gdp", decimals=1)
    return {
        "own": own,
        "other": other,
        "indicator": indicator,
        "clerk": user_with_role(Role.CLERK, districts=[own]),
        "reviewer": user_with_role(Role.REVIEWER),
        "official": user_with_role(Role.OFFICIAL),
    }


def enter(scene, figure="6.5", *, user=None, district=None, **extra):
    return value_save(
        user=user or scene["clerk"],
        district=district or scene["own"],
        indicator=scene["indicator"],
        period="2025Q2",
        value=Decimal(figure),
        **extra,
    )


def test_a_clerks_figure_is_a_draft_with_a_history_record(scene):
    value = enter(scene)

    assert value.status == "draft"
    record = value.history.get()
    assert (record.history_type, record.history_user, record.value) == (
        "+",
        scene["clerk"],
        Decimal("6.5"),
    )
    assert DataReturn.objects.get(district=scene["own"], period="2025Q2").status == "draft"


def test_a_clerk_cannot_enter_another_districts_figure(scene):
    with pytest.raises(PermissionDenied):
        enter(scene, district=scene["other"])
    assert not Value.objects.exists()


def test_an_official_enters_no_figures(scene):
    with pytest.raises(PermissionDenied):
        enter(scene, user=scene["official"])


@pytest.mark.parametrize(
    ("period", "figure", "target", "field"),
    [
        ("2025-04", "6.5", None, "period"),  # a quarterly indicator given a month
        ("2025", "6.5", None, "period"),
        ("2025Q2", "6.5", "-1", "target"),
    ],
)
def test_hard_rules_block_the_save_and_name_the_field(scene, period, figure, target, field):
    with pytest.raises(ValidationError) as error:
        value_save(
            user=scene["clerk"],
            district=scene["own"],
            indicator=scene["indicator"],
            period=period,
            value=Decimal(figure),
            target=Decimal(target) if target else None,
        )
    assert field in error.value.message_dict
    assert not Value.objects.exists()


def test_a_figure_outside_the_valid_range_is_refused(scene):
    scene["indicator"].max_value = Decimal("100")
    scene["indicator"].save()
    with pytest.raises(ValidationError) as error:
        enter(scene, "100.5")
    assert "above the highest valid value 100" in error.value.message_dict["value"][0]


def test_a_save_from_a_stale_form_is_refused_as_a_conflict(scene):
    first = enter(scene, "6.5")
    enter(scene, "6.7", user=scene["reviewer"], expected_version=first.version)

    with pytest.raises(ValueConflict):
        enter(scene, "6.9", expected_version=first.version)
    assert Value.objects.get().value == Decimal("6.7")


def test_the_whole_round_submit_return_correct_submit_approve(scene):
    enter(scene, "6.5")
    data_return = return_submit(user=scene["clerk"], district=scene["own"], period=Q2)
    assert data_return.status == "submitted"
    assert Value.objects.get().status == "submitted"

    returned = return_send_back(
        user=scene["reviewer"], district=scene["own"], period=Q2, reason="GDP looks too high"
    )
    assert (returned.status, returned.reason) == ("returned", "GDP looks too high")
    assert Value.objects.get().status == "returned"

    enter(scene, "5.9")
    assert Value.objects.get().status == "draft"
    return_submit(user=scene["clerk"], district=scene["own"], period=Q2)
    approved = return_approve(user=scene["reviewer"], district=scene["own"], period=Q2)

    assert approved.status == "approved"
    assert approved.reviewed_by == scene["reviewer"]
    value = Value.objects.get()
    assert (value.status, value.value) == ("approved", Decimal("5.9"))
    statuses = [r.status for r in value.history.order_by("history_date", "pk")]
    assert statuses == ["draft", "submitted", "returned", "draft", "submitted", "approved"]


def test_a_clerk_can_never_approve_or_return(scene):
    enter(scene)
    return_submit(user=scene["clerk"], district=scene["own"], period=Q2)

    with pytest.raises(PermissionDenied):
        return_approve(user=scene["clerk"], district=scene["own"], period=Q2)
    with pytest.raises(PermissionDenied):
        return_send_back(user=scene["clerk"], district=scene["own"], period=Q2, reason="x")
    assert Value.objects.get().status == "submitted"


def test_returning_needs_a_written_reason(scene):
    enter(scene)
    return_submit(user=scene["clerk"], district=scene["own"], period=Q2)
    with pytest.raises(ValidationError) as error:
        return_send_back(user=scene["reviewer"], district=scene["own"], period=Q2, reason="  ")
    assert "reason" in error.value.message_dict


def test_a_flagged_figure_needs_a_justification_before_submission(scene):
    scene["indicator"].change_threshold = Decimal("30")
    scene["indicator"].save()
    ValueFactory(district=scene["own"], indicator=scene["indicator"], period="2025Q1", value=5)
    enter(scene, "9")  # +80 % on the previous quarter

    with pytest.raises(ValidationError) as error:
        return_submit(user=scene["clerk"], district=scene["own"], period=Q2)
    assert "justification" in error.value.message_dict

    enter(scene, "9", justification="A new car plant opened in April")
    assert return_submit(user=scene["clerk"], district=scene["own"], period=Q2).status == (
        "submitted"
    )


@pytest.fixture
def published(scene):
    """Both districts' Q2 returns approved and the race published."""
    for district in (scene["own"], scene["other"]):
        value_save(
            user=scene["reviewer"],
            district=district,
            indicator=scene["indicator"],
            period="2025Q2",
            value=Decimal("6.5") if district == scene["own"] else Decimal("5.0"),
        )
        return_submit(user=scene["reviewer"], district=district, period=Q2)
        return_approve(user=scene["reviewer"], district=district, period=Q2)
    spec = {
        "code": "r",
        "name": "赛马",
        "group": "g",
        "defaults": {"normalisation": {"method": "minmax"}},
        "nodes": [{"indicator": "gdp", "weight": 1}],
    }
    race = race_load(spec=spec).race
    standings_publish(race=race, period=Q2, user=scene["reviewer"])
    return race


def test_publishing_locks_the_figures_it_used(scene, published):
    assert set(Value.objects.values_list("locked", flat=True)) == {True}
    for value in Value.objects.all():
        newest = value.history.first()
        assert (newest.locked, newest.history_type, newest.history_change_reason) == (
            True,
            "~",
            "published",
        )
        assert newest.history_user == scene["reviewer"]
    with pytest.raises(ValidationError) as error:
        enter(scene, "7.0")
    assert "locked" in error.value.message_dict["value"][0]


def test_a_reviewer_reopens_with_a_reason_and_the_figure_can_be_corrected(scene, published):
    with pytest.raises(ValidationError):
        return_reopen(user=scene["reviewer"], district=scene["own"], period=Q2, reason="")
    with pytest.raises(PermissionDenied):
        return_reopen(user=scene["clerk"], district=scene["own"], period=Q2, reason="typo")

    reopened = return_reopen(
        user=scene["reviewer"], district=scene["own"], period=Q2, reason="Typo in GDP"
    )

    assert (reopened.status, reopened.reason) == ("reopened", "Typo in GDP")
    own_value = Value.objects.get(district=scene["own"])
    assert not own_value.locked
    assert own_value.status == "approved"  # the race keeps reading it until it changes
    corrected = enter(scene, "6.4")
    assert (corrected.status, corrected.value) == ("draft", Decimal("6.4"))
    assert Value.objects.get(district=scene["other"]).locked


def test_two_people_creating_the_same_figure_at_once_is_a_conflict_not_an_error(scene):
    from unittest import mock

    # The second save's read finds nothing (the first has not committed when it looks).
    enter(scene, "6.5")
    with mock.patch("districts.services.entry.Value.objects.select_for_update") as read:
        read.return_value.filter.return_value.first.return_value = None
        with pytest.raises(ValueConflict):
            enter(scene, "7.0", user=scene["reviewer"])
    assert Value.objects.get().value == Decimal("6.5")
