"""Builders for whole scenes: a race with published periods, users of every role."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.roles import STAFF_ROLES, Role, ensure_roles
from districts.models import District, Group, Indicator
from districts.periods import Period
from rankings.models import Publication, Race
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

PASSWORD = "secret-pass-123"


@dataclass
class PublishedRace:
    race: Race
    group: Group
    districts: list[District]
    indicators: list[Indicator]
    periods: list[Period]
    publications: list[Publication]

    @property
    def latest_period(self) -> Period:
        return self.periods[-1]


def race_spec(*, code: str, group: str, indicators: list[Indicator]) -> dict:
    return {
        "code": code,
        "name": f"{code} 赛马",
        "name_en": f"{code} race",
        "group": group,
        "score": {"aggregation": "weighted_mean", "round": 2, "tie_break": [indicators[0].code]},
        "flags": [
            {"name": "red", "position": "top", "count": 1},
            {"name": "yellow", "position": "bottom", "count": 1},
        ],
        "defaults": {"normalisation": {"method": "efficacy"}, "missing": "average"},
        "nodes": [{"indicator": i.code, "weight": 1} for i in indicators],
    }


def build_published_race(
    *, districts: int = 4, periods: int = 2, indicators: int = 3, code: str = "test-race"
) -> PublishedRace:
    """A race over ``districts`` units, published for ``periods`` quarters from 2025Q1.

    Values differ per district and period so ranks and movements are not all equal.
    """
    group = GroupFactory()
    units = [DistrictFactory(group=group) for _ in range(districts)]
    measures = [IndicatorFactory(decimals=1) for _ in range(indicators)]
    if len(measures) > 1:
        measures[-1].direction = "lower"
        measures[-1].save()
    quarters = [Period.parse("2025Q1")]
    while len(quarters) < periods:
        quarters.append(quarters[-1].next())
    for p, period in enumerate(quarters):
        for d, district in enumerate(units):
            for i, indicator in enumerate(measures):
                # A deterministic pattern that reshuffles the order from one period to the next.
                number = ((d + 1) * (i + 2) + p * (districts - d) * 3) % 17 + 1
                ValueFactory(
                    district=district,
                    indicator=indicator,
                    period=period.code,
                    value=Decimal(number) / 2,
                    target=Decimal(20),
                )
    race = race_load(spec=race_spec(code=code, group=group.code, indicators=measures)).race
    publications = [standings_publish(race=race, period=period).publication for period in quarters]
    return PublishedRace(race, group, units, measures, quarters, publications)


def user_with_role(role: Role, *, username: str | None = None, districts=()):
    roles = ensure_roles()
    user = get_user_model().objects.create_user(
        username=username or role.value,
        password=PASSWORD,
        is_staff=role in STAFF_ROLES,
        is_superuser=role is Role.ADMINISTRATOR,
    )
    user.groups.add(roles[role])
    if districts:
        user.clerk_districts.set(districts)
    return user
