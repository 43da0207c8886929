"""The illustrative demo city: Changchun's real units with invented figures.

The district names and administrative codes are public facts; every figure is generated
from a fixed seed and is NOT a real statistic. Every value, indicator and race the demo
creates says so in its note, source or description.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.roles import STAFF_ROLES, Role, ensure_roles
from demo.banner import demo_flag_forget
from demo.departments import (
    DEPARTMENT_INDICATORS,
    DEPARTMENTS,
    DEPARTMENTS_GROUP,
    department_figures,
)
from demo.months import (
    demo_months,
    entered_monthly,
    entered_months,
    load_demo_monthly_reviews,
    load_demo_review_comments,
    month_figures,
)
from demo.returns import DEMO_RETURN_SEED, load_demo_in_progress, load_demo_returns
from districts.models import (
    District,
    DistrictKind,
    Group,
    Indicator,
    RollUpKind,
    Value,
    ValueStatus,
)
from districts.periods import Period, PeriodKind
from meetings.demo import DEMO_RACES, load_demo_meetings, load_demo_rectifications
from projects.demo import load_demo_projects
from rankings.methodology_files import methodology_from_file
from rankings.models import Race
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load

DEMO_PASSWORD = "saima-demo"
DEMO_NOTE = "Illustrative demo figure, not a real statistic (示例数据，非真实统计)"
DEMO_SOURCE = "Saima demo generator: illustrative, not real statistics"
DEMO_SEED = "saima-demo-v1"

# The eight demo quarters end with the latest quarter completed before this project started.
FIRST_DEMO_QUARTER = Period(2024, PeriodKind.QUARTER, 4)
DEMO_QUARTERS = 8

GROUPS = [
    ("counties", "县（市）区", "Districts, counties and county-level cities", 1),
    ("zones", "开发区", "Development zones", 2),
    DEPARTMENTS_GROUP,
]

# (code, name, English name, kind, group, population in 10k is not used: None keeps it honest)
DISTRICTS = [
    ("220102", "南关区", "Nanguan District", DistrictKind.DISTRICT, "counties"),
    ("220103", "宽城区", "Kuancheng District", DistrictKind.DISTRICT, "counties"),
    ("220104", "朝阳区", "Chaoyang District", DistrictKind.DISTRICT, "counties"),
    ("220105", "二道区", "Erdao District", DistrictKind.DISTRICT, "counties"),
    ("220106", "绿园区", "Lüyuan District", DistrictKind.DISTRICT, "counties"),
    ("220112", "双阳区", "Shuangyang District", DistrictKind.DISTRICT, "counties"),
    ("220113", "九台区", "Jiutai District", DistrictKind.DISTRICT, "counties"),
    ("220122", "农安县", "Nong'an County", DistrictKind.COUNTY, "counties"),
    ("220182", "榆树市", "Yushu City", DistrictKind.COUNTY_CITY, "counties"),
    ("220183", "德惠市", "Dehui City", DistrictKind.COUNTY_CITY, "counties"),
    ("220184", "公主岭市", "Gongzhuling City", DistrictKind.COUNTY_CITY, "counties"),
    (
        "220171",
        "长春经济技术开发区",
        "Economic and Technological Development Zone",
        DistrictKind.DEVELOPMENT_ZONE,
        "zones",
    ),
    (
        "220172",
        "长春净月高新技术产业开发区",
        "Jingyue High-tech Industrial Development Zone",
        DistrictKind.DEVELOPMENT_ZONE,
        "zones",
    ),
    (
        "220173",
        "长春高新技术产业开发区",
        "High-tech Industrial Development Zone",
        DistrictKind.DEVELOPMENT_ZONE,
        "zones",
    ),
    (
        "220174",
        "长春汽车经济技术开发区",
        "Automotive Economic and Technological Development Zone",
        DistrictKind.DEVELOPMENT_ZONE,
        "zones",
    ),
    # Changchun New Area has no national administrative code of its own; a local code is used.
    ("CCNA", "长春新区", "Changchun New Area", DistrictKind.NEW_AREA, "zones"),
    # Municipal departments (市直部门): made-up codes, see demo.departments.
    *DEPARTMENTS,
]


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    name_en: str
    unit: str
    category: str
    decimals: int
    direction: str = "higher"
    cumulative: bool = False
    # How a race reads a quarter not entered for itself: a year to date from its last month.
    roll_up: str = RollUpKind.NONE
    # Rates: centre and spread of the year-to-date growth rate (%).
    centre: float = 0.0
    spread: float = 0.0
    # Year-to-date amounts: typical annual target for a district and for a zone.
    target_district: float = 0.0
    target_zone: float = 0.0
    min_value: float | None = None
    max_value: float | None = None


INDICATORS = [
    DemoIndicator(
        "gdp_growth",
        "地区生产总值增速",
        "GDP growth",
        "%",
        "growth",
        1,
        centre=5.5,
        spread=1.6,
        min_value=-50,
        max_value=50,
    ),
    DemoIndicator(
        "industry_growth",
        "规模以上工业增加值增速",
        "Industrial value added growth",
        "%",
        "growth",
        1,
        centre=6.0,
        spread=4.5,
        min_value=-80,
        max_value=200,
    ),
    DemoIndicator(
        "fai_growth",
        "固定资产投资增速",
        "Fixed-asset investment growth",
        "%",
        "investment",
        1,
        centre=4.0,
        spread=7.0,
        min_value=-90,
        max_value=300,
    ),
    DemoIndicator(
        "retail_growth",
        "社会消费品零售总额增速",
        "Retail sales growth",
        "%",
        "consumption",
        1,
        centre=5.0,
        spread=2.2,
        min_value=-50,
        max_value=100,
    ),
    DemoIndicator(
        "revenue_growth",
        "一般公共预算收入增速",
        "Budget revenue growth",
        "%",
        "fiscal",
        1,
        centre=3.5,
        spread=5.0,
        min_value=-90,
        max_value=300,
    ),
    DemoIndicator(
        "foreign_investment",
        "实际利用外资",
        "Foreign investment actually used",
        "万美元",
        "opening",
        0,
        cumulative=True,
        roll_up=RollUpKind.LAST,
        target_district=3000,
        target_zone=12000,
        min_value=0,
    ),
    DemoIndicator(
        "new_projects",
        "新开工亿元以上项目",
        "New projects over 100 million yuan",
        "个",
        "investment",
        0,
        cumulative=True,
        roll_up=RollUpKind.LAST,
        target_district=20,
        target_zone=45,
        min_value=0,
    ),
    DemoIndicator(
        "investment_attracted",
        "招商引资到位资金",
        "Investment attracted",
        "亿元",
        "investment",
        2,
        cumulative=True,
        roll_up=RollUpKind.LAST,
        target_district=60,
        target_zone=180,
        min_value=0,
    ),
    DemoIndicator(
        "energy_intensity",
        "单位地区生产总值能耗",
        "Energy use per unit of GDP",
        "吨标准煤/万元",
        "green",
        3,
        direction="lower",
        centre=0.45,
        spread=0.12,
        min_value=0,
        max_value=5,
    ),
]

DEMO_RACE_FILES = sorted((Path(__file__).parent / "races").glob("*.toml"))

DEMO_USERS = [
    ("admin", Role.ADMINISTRATOR, "Demo administrator"),
    ("reviewer", Role.REVIEWER, "Demo reviewer (statistics bureau)"),
    ("clerk", Role.CLERK, "Demo clerk of Lüyuan District"),
    ("official", Role.OFFICIAL, "Demo official"),
    ("viewer", Role.VIEWER, "Demo viewer"),
]
CLERK_DISTRICT = "220106"


def demo_quarters() -> list[Period]:
    periods = [FIRST_DEMO_QUARTER]
    while len(periods) < DEMO_QUARTERS:
        periods.append(periods[-1].next())
    return periods


def month_entered_quarters() -> list[Period]:
    """The demo quarters whose year-to-date figures are entered month by month, the quarter
    rolled up by the races from its last month: the latest one, as a bureau that began
    collecting monthly figures this year would have them."""
    return demo_quarters()[-1:]


def _quantize(number: float, decimals: int) -> Decimal:
    return Decimal(str(round(number, decimals))).quantize(Decimal(1).scaleb(-decimals))


def _generate_values(districts: list[District], indicators: dict[str, Indicator]):
    """Yield (district, indicator, period, value, target) from the fixed seed."""
    rng = random.Random(DEMO_SEED)
    # A lasting "form" per district and indicator makes the race readable across quarters.
    form = {(d.code, i.code): rng.gauss(0, 1) for d in districts for i in INDICATORS}
    for district in districts:
        zone = district.group.code == "zones"
        for spec in INDICATORS:
            indicator = indicators[spec.code]
            if spec.cumulative:
                base = spec.target_zone if zone else spec.target_district
                targets = {}
                for period in demo_quarters():
                    year = period.year
                    if year not in targets:
                        scale = rng.uniform(0.6, 1.4)
                        targets[year] = (base * scale, 1 + 0.12 * form[(district.code, spec.code)])
                    target, pace = targets[year]
                    done = target * period.year_share * pace * rng.uniform(0.9, 1.1)
                    yield (
                        district,
                        indicator,
                        period,
                        max(done, 0),
                        _quantize(target, spec.decimals),
                    )
            else:
                for period in demo_quarters():
                    level = spec.centre + spec.spread * (
                        0.7 * form[(district.code, spec.code)] + 0.5 * rng.gauss(0, 1)
                    )
                    if spec.direction == "lower":
                        level = max(level, 0.08)
                    yield district, indicator, period, level, None


class DemoLoadRefused(Exception):
    """Loading the demo here could mix invented figures and demo users into real data."""


@dataclass(frozen=True)
class DemoLoadResult:
    counts: dict[str, int]
    # Demo users created by this run, with the demo password.
    users_created: list[str]
    # Demo users that existed already: their passwords are left as they were.
    users_kept: list[str]


def demo_load_objections() -> list[str]:
    """Why this looks like a real deployment that the demo must not be loaded into."""
    objections = []
    if not settings.DEBUG:
        objections.append("DEBUG is off, as on a production deployment")
    demo_codes = [code for code, *_ in DISTRICTS]
    others = list(
        District.objects.exclude(code__in=demo_codes)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        objections.append(
            f"the database holds {len(others)} district(s) that are not demo districts ({shown})"
        )
    return objections


@transaction.atomic
def load_demo(*, force: bool = False) -> DemoLoadResult:
    """Create or refresh the demo city. Running it again changes nothing.

    Refuses, before writing anything, where the demo looks out of place (see
    ``demo_load_objections``) unless ``force`` is given.
    """
    objections = demo_load_objections()
    if objections and not force:
        raise DemoLoadRefused(
            "Refusing to load the illustrative demo: "
            + "; ".join(objections)
            + ". The demo adds invented figures and demo users; use --force to load it anyway."
        )
    groups = {}
    for code, name, name_en, order in GROUPS:
        groups[code], _ = Group.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )
    districts = []
    for order, (code, name, name_en, kind, group) in enumerate(DISTRICTS, start=1):
        district, _ = District.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "group": groups[group],
                "order": order,
                "active": True,
            },
        )
        districts.append(district)
    indicators = {}
    for order, spec in enumerate([*INDICATORS, *DEPARTMENT_INDICATORS], start=1):
        indicators[spec.code], _ = Indicator.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "name_en": spec.name_en,
                "unit": spec.unit,
                "direction": spec.direction,
                "category": spec.category,
                "decimals": spec.decimals,
                "frequency": "quarterly",
                "cumulative": spec.cumulative,
                "roll_up": spec.roll_up,
                "order": order,
                "min_value": spec.min_value,
                "max_value": spec.max_value,
                "source": DEMO_SOURCE,
                "description": "Illustrative demo indicator; figures are invented.",
            },
        )
    existing = {
        (value.district_id, value.indicator_id, value.period): value
        for value in Value.objects.filter(note=DEMO_NOTE)
    }
    # Departments report their own indicators from their own seed, so that adding them left
    # the figures of the districts and zones as they were.
    departments = [d for d in districts if d.kind == DistrictKind.DEPARTMENT]
    economy = [d for d in districts if d.kind != DistrictKind.DEPARTMENT]
    quarter_figures = list(
        chain(
            _generate_values(economy, indicators),
            department_figures(
                departments=departments, indicators=indicators, quarters=demo_quarters()
            ),
        )
    )
    # The latest two months, for the monthly reviews: drawn from the quarters' figures.
    months = demo_months(last_quarter=demo_quarters()[-1])
    # A quarter's year-to-date figures entered monthly stand in for the quarter's own; a month
    # both give (the one closing the quarter) is the same figure, written once.
    monthly = month_entered_quarters()
    figures: dict[tuple[int, int, Period], tuple] = {}
    for figure in chain(
        (f for f in quarter_figures if not entered_monthly(f[1], f[2], monthly)),
        entered_months(quarter_figures=quarter_figures, quarters=monthly),
        month_figures(quarter_figures=quarter_figures, months=months),
    ):
        figures.setdefault((figure[0].pk, figure[1].pk, figure[2]), figure)
    # A figure an earlier demo entered for a quarter it now enters monthly goes, so that the
    # race rolls the quarter up (a figure entered by hand is never touched).
    gone = [
        existing.pop(key).pk
        for key in list(existing)
        if key[2] in {q.code for q in monthly}
        and (key[0], key[1], Period.parse(key[2])) not in figures
    ]
    Value.objects.filter(pk__in=gone).delete()
    to_create, to_update = [], []
    for district, indicator, period, number, target in figures.values():
        figure = _quantize(number, indicator.decimals)
        current = existing.get((district.pk, indicator.pk, period.code))
        if current is None:
            to_create.append(
                Value(
                    district=district,
                    indicator=indicator,
                    period=period.code,
                    value=figure,
                    target=target,
                    note=DEMO_NOTE,
                    # The demo publishes every quarter and its monthly reviews, as if the
                    # bureau had approved the figures.
                    status=ValueStatus.APPROVED,
                )
            )
        elif current.value != figure or current.target != target:
            current.value, current.target = figure, target
            to_update.append(current)
    # A value someone entered by hand for the same key is kept: the demo never overwrites it.
    taken = set(
        Value.objects.exclude(note=DEMO_NOTE).values_list("district_id", "indicator_id", "period")
    )
    to_create = [v for v in to_create if (v.district_id, v.indicator_id, v.period) not in taken]
    bulk_create_with_history(to_create, Value, default_change_reason="demo")
    for value in to_update:
        value.save(update_fields=["value", "target", "entered_at"])
    values = len(existing) + len(to_create)
    users_created, users_kept = _load_demo_users()
    demo_flag_forget()
    counts = {
        "groups": len(groups),
        "districts": len(districts),
        "indicators": len(indicators),
        "values": values,
        "users": len(DEMO_USERS),
        "races": len(DEMO_RACE_FILES),
        "publications": _load_demo_races(),
    }
    reviewer = get_user_model().objects.get(username="reviewer")
    races = list(Race.objects.filter(code__in=DEMO_RACES).order_by("group__order"))
    counts["monthly reviews"] = load_demo_monthly_reviews(
        races=races, months=months, publisher=reviewer
    )
    counts["comments on monthly reviews"] = load_demo_review_comments(
        race=races[0], month=months[-1], official=get_user_model().objects.get(username="official")
    )
    # The departments' returns are drawn apart too, leaving the others' dates as they were.
    counts["returns"] = sum(
        load_demo_returns(
            districts=units, quarters=demo_quarters(), reviewer=reviewer, note=DEMO_NOTE, seed=seed
        )
        for units, seed in [
            (economy, DEMO_RETURN_SEED),
            (departments, f"{DEMO_RETURN_SEED}-departments"),
        ]
    )
    load_demo_in_progress(
        districts=districts,
        indicators=indicators,
        last=demo_quarters()[-1],
        clerk_district=CLERK_DISTRICT,
        note=DEMO_NOTE,
    )
    counts["rectification items"] = load_demo_rectifications()
    counts["meetings"] = load_demo_meetings()
    counts["key projects"] = load_demo_projects()
    return DemoLoadResult(counts, users_created, users_kept)


def _load_demo_races() -> int:
    """Load the demo races and publish every demo quarter, oldest first (for rank changes)."""
    publisher = get_user_model().objects.get(username="reviewer")
    publications = 0
    for path in DEMO_RACE_FILES:
        race = race_load(spec=methodology_from_file(path), user=publisher).race
        for period in demo_quarters():
            standings_publish(race=race, period=period, user=publisher)
            publications += 1
    return publications


def _load_demo_users() -> tuple[list[str], list[str]]:
    """Create the demo users; return the usernames created and those that existed."""
    roles = ensure_roles()
    user_model = get_user_model()
    created_names, kept_names = [], []
    for username, role, full_name in DEMO_USERS:
        user, created = user_model.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = role in STAFF_ROLES
        user.is_superuser = role is Role.ADMINISTRATOR
        # Only a new user gets the published demo password: resetting an existing one would
        # undo a password someone chose, and open their account to anyone who read the README.
        if created:
            user.set_password(DEMO_PASSWORD)
            created_names.append(username)
        else:
            kept_names.append(username)
        user.save()
        user.groups.set([roles[role]])
    clerk = user_model.objects.get(username="clerk")
    clerk.clerk_districts.set(District.objects.filter(code=CLERK_DISTRICT))
    return created_names, kept_names
