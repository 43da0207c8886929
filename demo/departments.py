"""The demo's third group: municipal departments (市直部门), raced on their key tasks against
the year elapsed (the "time account, task account" of the horse-race meetings).

The departments are the kind of municipal bodies that speak at Changchun's meetings; they have
no administrative division code, so their codes are made up for the demo (``DEPT-…``, which no
statistical code looks like). Every figure is generated from a fixed seed and is NOT a real
statistic, like the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from districts.models import District, DistrictKind, Indicator, RollUpKind
from districts.periods import Period

DEPARTMENTS_GROUP = ("departments", "市直部门", "Municipal departments", 3)

# (code, name, English name, kind, group), as demo.city.DISTRICTS
DEPARTMENTS = [
    (
        "DEPT-DRC",
        "市发展和改革委员会",
        "Municipal Development and Reform Commission",
        DistrictKind.DEPARTMENT,
        "departments",
    ),
    (
        "DEPT-IIT",
        "市工业和信息化局",
        "Municipal Bureau of Industry and Information Technology",
        DistrictKind.DEPARTMENT,
        "departments",
    ),
    ("DEPT-COM", "市商务局", "Municipal Commerce Bureau", DistrictKind.DEPARTMENT, "departments"),
    (
        "DEPT-AGR",
        "市农业农村局",
        "Municipal Bureau of Agriculture and Rural Affairs",
        DistrictKind.DEPARTMENT,
        "departments",
    ),
    (
        "DEPT-HUD",
        "市住房和城乡建设局",
        "Municipal Bureau of Housing and Urban-Rural Development",
        DistrictKind.DEPARTMENT,
        "departments",
    ),
    (
        "DEPT-TRN",
        "市交通运输局",
        "Municipal Transport Bureau",
        DistrictKind.DEPARTMENT,
        "departments",
    ),
    (
        "DEPT-CTR",
        "市文化广电和旅游局",
        "Municipal Bureau of Culture, Radio, Television and Tourism",
        DistrictKind.DEPARTMENT,
        "departments",
    ),
]

DEPARTMENT_SEED = "saima-demo-departments-v1"


@dataclass(frozen=True)
class DepartmentIndicator:
    """An indicator only departments report; the fields the loader stores match DemoIndicator."""

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
    # Year-to-date amounts: the range of a department's annual target.
    target_low: float = 0.0
    target_high: float = 0.0
    # A count of tasks cannot be done more often than it was set.
    at_most_target: bool = False
    # Rates: centre and spread of the rate (%).
    centre: float = 0.0
    spread: float = 0.0
    min_value: float | None = None
    max_value: float | None = None


DEPARTMENT_INDICATORS = [
    DepartmentIndicator(
        "key_tasks_done",
        "年度重点任务完成数",
        "Annual key tasks completed",
        "项",
        "tasks",
        0,
        cumulative=True,
        roll_up=RollUpKind.LAST,
        target_low=18,
        target_high=40,
        at_most_target=True,
        min_value=0,
    ),
    DepartmentIndicator(
        "key_project_investment",
        "牵头重点项目完成投资",
        "Investment completed in the key projects led",
        "亿元",
        "investment",
        2,
        cumulative=True,
        roll_up=RollUpKind.LAST,
        target_low=20,
        target_high=160,
        min_value=0,
    ),
    DepartmentIndicator(
        "higher_level_funds",
        "争取上级资金",
        "Funds secured from higher levels of government",
        "亿元",
        "fiscal",
        2,
        cumulative=True,
        roll_up=RollUpKind.LAST,
        target_low=3,
        target_high=25,
        min_value=0,
    ),
    DepartmentIndicator(
        "matters_on_time",
        "督办事项按时办结率",
        "Supervised matters handled on time",
        "%",
        "service",
        1,
        centre=93.0,
        spread=3.5,
        min_value=0,
        max_value=100,
    ),
]


def _quantize(number: float, decimals: int) -> Decimal:
    return Decimal(str(round(number, decimals))).quantize(Decimal(1).scaleb(-decimals))


def department_figures(
    *, departments: list[District], indicators: dict[str, Indicator], quarters: list[Period]
) -> Iterator[tuple[District, Indicator, Period, float, Decimal | None]]:
    """Yield (department, indicator, period, value, annual target) from the fixed seed.

    Year-to-date figures follow each department's annual target at its own lasting pace, so a
    department ahead of the year elapsed tends to stay ahead; rates wander around a level.
    """
    rng = random.Random(DEPARTMENT_SEED)
    form = {(d.code, s.code): rng.gauss(0, 1) for d in departments for s in DEPARTMENT_INDICATORS}
    for department in departments:
        for spec in DEPARTMENT_INDICATORS:
            indicator = indicators[spec.code]
            targets: dict[int, tuple[float, float]] = {}
            for period in quarters:
                if spec.cumulative:
                    if period.year not in targets:
                        target = float(
                            _quantize(rng.uniform(spec.target_low, spec.target_high), spec.decimals)
                        )
                        targets[period.year] = (
                            target,
                            1 + 0.12 * form[(department.code, spec.code)],
                        )
                    target, pace = targets[period.year]
                    done = target * period.year_share * pace * rng.uniform(0.9, 1.1)
                    if spec.at_most_target:
                        done = min(done, target)
                    yield (
                        department,
                        indicator,
                        period,
                        max(done, 0),
                        _quantize(target, spec.decimals),
                    )
                else:
                    rate = spec.centre + spec.spread * (
                        0.7 * form[(department.code, spec.code)] + 0.5 * rng.gauss(0, 1)
                    )
                    if spec.max_value is not None:
                        rate = min(rate, spec.max_value)
                    yield department, indicator, period, rate, None
