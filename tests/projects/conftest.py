"""Key projects for the tests: two of the clerk's unit, one of another unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from districts.periods import Period
from projects.models import Milestone, Project


def make_project(unit, *, name: str, year: int, total="1000", annual="400", **fields) -> Project:
    project = Project.objects.create(
        unit=unit,
        name=name,
        industry=fields.pop("industry", "manufacturing"),
        year=year,
        planned_total_investment=Decimal(total),
        planned_annual_investment=Decimal(annual),
        planned_start=date(year, 3, 1),
        planned_finish=date(year + 1, 12, 31),
        **fields,
    )
    Milestone.objects.create(project=project, name="Foundation laid", planned_date=date(year, 5, 1))
    Milestone.objects.create(project=project, name="Topped out", planned_date=date(year, 10, 1))
    return project


@pytest.fixture
def this_week() -> Period:
    return Period.week_of(timezone.localdate())


@pytest.fixture
def own_unit(published):
    """The clerk's unit."""
    return published.districts[0]


@pytest.fixture
def other_unit(published):
    return published.districts[1]


@pytest.fixture
def projects(own_unit, this_week):
    year = this_week.year
    return [
        make_project(own_unit, name="Battery plant", year=year),
        make_project(own_unit, name="Ring road", year=year, industry="transport"),
    ]


@pytest.fixture
def other_project(other_unit, this_week):
    return make_project(other_unit, name="Cold-chain park", year=this_week.year)
