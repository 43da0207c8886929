"""Rectification (整改): items from yellow flags, plans, decisions, carry-over, permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from districts.models import Value
from meetings.models import RectificationItem, RectificationStatus
from meetings.selectors.rectification import (
    rectifications_filtered,
    rectifications_of_district,
)
from meetings.services.rectification import (
    plan_accept,
    plan_return,
    plan_submit,
    rectification_items_from_publication,
)
from rankings.services.publishing import standings_publish
from tests.builders import build_published_race, user_with_role

PLAN = {
    "causes": "Investment slowed.",
    "measures": "Two projects brought forward.",
    "deadline": "2025-12-31",
}


def _yellow(publication):
    return {s.district_id for s in publication.standings.all() if "yellow" in s.flags}


@pytest.fixture
def scene(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        race = build_published_race(periods=2)
    return race


def test_publishing_makes_one_item_per_yellow_flag(scene):
    for publication in scene.publications:
        items = RectificationItem.objects.filter(period=publication.period)
        assert {i.district_id for i in items} == _yellow(publication)
        assert all(i.status == RectificationStatus.AWAITING_PLAN for i in items)


def test_a_new_revision_makes_no_duplicate(scene, django_capture_on_commit_callbacks):
    period = scene.latest_period
    before = RectificationItem.objects.count()
    value = Value.objects.filter(period=period.code).order_by("pk").first()
    value.value = Decimal("8.5")
    value.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = standings_publish(race=scene.race, period=period)
    assert result.publication.revision == 2
    rectification_items_from_publication(publication=result.publication)  # again: still none
    flagged = _yellow(result.publication)
    items = RectificationItem.objects.filter(period=period.code)
    assert items.filter(district_id__in=flagged).count() == len(flagged)
    assert RectificationItem.objects.count() <= before + len(flagged)
    assert all(
        i.publication_id == result.publication.pk for i in items.filter(district_id__in=flagged)
    )


def test_items_carry_over_until_closed_and_a_repeat_flag_is_marked(db):
    race = build_published_race(periods=1)
    first = race.publications[0]
    (district_id,) = _yellow(first)
    rectification_items_from_publication(publication=first)
    open_item = RectificationItem.objects.get(district_id=district_id)
    # The same unit flagged yellow again next period while the first item is open.
    later = race.latest_period.next()
    RectificationItem.objects.create(
        race=race.race,
        period=later.code,
        district_id=district_id,
        publication=first,
        repeat_of=open_item,
    )
    listed = rectifications_filtered(period=later.next().code)
    assert open_item in listed  # carried over
    clerk = user_with_role(Role.CLERK, username="c1", districts=[open_item.district])
    official = user_with_role(Role.OFFICIAL, username="o1")
    plan_submit(item=open_item, user=clerk, **PLAN)
    plan_accept(item=open_item, user=official)
    open_item.refresh_from_db()
    assert open_item.status == RectificationStatus.CLOSED
    assert open_item not in rectifications_filtered(period=later.next().code)
    assert rectifications_of_district(district=open_item.district)[-1] == open_item


def test_the_service_marks_a_repeat_flag(db):
    race = build_published_race(periods=2)
    for publication in race.publications:
        rectification_items_from_publication(publication=publication)
    first_yellow = _yellow(race.publications[0])
    second_yellow = _yellow(race.publications[1])
    for item in RectificationItem.objects.filter(period=race.latest_period.code):
        expected = item.district_id in first_yellow and item.district_id in second_yellow
        assert (item.repeat_of_id is not None) == expected


def test_a_returned_plan_goes_back_with_a_remark_and_can_be_submitted_again(db):
    race = build_published_race(periods=1)
    (item,) = rectification_items_from_publication(publication=race.publications[0])
    clerk = user_with_role(Role.CLERK, username="c1", districts=[item.district])
    official = user_with_role(Role.OFFICIAL, username="o1")
    plan_submit(item=item, user=clerk, **PLAN)
    with pytest.raises(ValidationError) as error:
        plan_return(item=item, user=official, remark=" ")
    assert "remark" in error.value.message_dict
    item = plan_return(item=item, user=official, remark="Name the projects.")
    assert item.status == RectificationStatus.RETURNED and item.remark == "Name the projects."
    item = plan_submit(item=item, user=clerk, **PLAN)
    assert item.status == RectificationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("field", "plan"),
    [
        ("causes", {**PLAN, "causes": ""}),
        ("measures", {**PLAN, "measures": "  "}),
        ("deadline", {**PLAN, "deadline": "31/12/2025"}),
        ("deadline", {**PLAN, "deadline": ""}),
        ("causes", {**PLAN, "causes": "x" * 5001}),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field(db, field, plan):
    race = build_published_race(periods=1)
    (item,) = rectification_items_from_publication(publication=race.publications[0])
    clerk = user_with_role(Role.CLERK, username="c1", districts=[item.district])
    with pytest.raises(ValidationError) as error:
        plan_submit(item=item, user=clerk, **plan)
    assert field in error.value.message_dict


# Who may do what: submit (own unit's clerk, bureau), accept and return (official, bureau).
SUBMIT = {
    Role.ADMINISTRATOR: True,
    Role.REVIEWER: True,
    Role.CLERK: True,  # of the unit
    Role.OFFICIAL: False,
    Role.VIEWER: False,
}
DECIDE = {
    Role.ADMINISTRATOR: True,
    Role.REVIEWER: True,
    Role.CLERK: False,
    Role.OFFICIAL: True,
    Role.VIEWER: False,
}


@pytest.mark.parametrize("role", list(Role))
def test_who_may_submit_a_plan(db, role):
    race = build_published_race(periods=1)
    (item,) = rectification_items_from_publication(publication=race.publications[0])
    user = user_with_role(role, districts=[item.district] if role is Role.CLERK else ())
    if SUBMIT[role]:
        assert plan_submit(item=item, user=user, **PLAN).status == RectificationStatus.SUBMITTED
    else:
        with pytest.raises(PermissionDenied):
            plan_submit(item=item, user=user, **PLAN)


def test_a_clerk_of_another_unit_may_not_submit(db):
    race = build_published_race(periods=1)
    (item,) = rectification_items_from_publication(publication=race.publications[0])
    other = next(d for d in race.districts if d.pk != item.district_id)
    clerk = user_with_role(Role.CLERK, districts=[other])
    with pytest.raises(PermissionDenied):
        plan_submit(item=item, user=clerk, **PLAN)


@pytest.mark.parametrize("action", ["accept", "return"])
@pytest.mark.parametrize("role", list(Role))
def test_who_may_accept_or_return_a_plan(db, role, action):
    race = build_published_race(periods=1)
    (item,) = rectification_items_from_publication(publication=race.publications[0])
    clerk = user_with_role(Role.CLERK, username="unit-clerk", districts=[item.district])
    plan_submit(item=item, user=clerk, **PLAN)
    user = user_with_role(role, districts=[item.district] if role is Role.CLERK else ())

    def act():
        if action == "accept":
            return plan_accept(item=item, user=user)
        return plan_return(item=item, user=user, remark="More detail.")

    if DECIDE[role]:
        assert act().status in (RectificationStatus.CLOSED, RectificationStatus.RETURNED)
    else:
        with pytest.raises(PermissionDenied):
            act()


def test_nobody_decides_a_plan_not_yet_submitted_nor_rewrites_a_closed_item(db):
    race = build_published_race(periods=1)
    (item,) = rectification_items_from_publication(publication=race.publications[0])
    reviewer = user_with_role(Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        plan_accept(item=item, user=reviewer)
    plan_submit(item=item, user=reviewer, **PLAN)
    plan_accept(item=item, user=reviewer)
    with pytest.raises(PermissionDenied):
        plan_submit(item=item, user=reviewer, **PLAN)


def test_finding_the_yellow_flags_reads_the_standings_once(db):
    """Whatever the number of standings: a national race has 2,844 and flags a few."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    race = build_published_race(periods=1)
    publication = race.publications[0]
    assert publication.standings.count() > len(_yellow(publication))
    with CaptureQueriesContext(connection) as queries:
        rectification_items_from_publication(publication=publication)
    reads_of_standings = [q for q in queries if 'FROM "rankings_standing"' in q["sql"]]
    assert len(reads_of_standings) == 1
