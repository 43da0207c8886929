"""Illustrative key projects for the demo: 30 projects across the demo's districts, zones and
a few departments, with milestones and weekly reports for the last 26 ISO weeks.

Every project, report and problem is generated from a fixed seed and says it is illustrative:
none is a real project. Some projects run behind the time account, a few new starts have not
started when planned, and problems raised along the way are open, escalated or resolved.

Idempotent: a project that exists (same unit and name) is kept, and a week already reported
is left as it is; each week's figures depend only on the project and the week, so a load on
a later day adds the newer weeks without changing the older ones.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from districts.models import District
from districts.periods import Period
from projects.models import (
    Milestone,
    Problem,
    ProblemCategory,
    ProblemStatus,
    Project,
    ProjectKind,
    ProjectReport,
)

DEMO_PROJECT_SEED = "saima-demo-projects-v1"
DEMO_PROJECT_NOTE = "Illustrative demo project, not a real project (示例项目，非真实项目)"
DEMO_PROJECT_COUNT = 30
DEMO_WEEKS = 26

# The departments that run key projects of their own in the demo, with their industry.
DEPARTMENT_INDUSTRIES = {
    "DEPT-DRC": 5,
    "DEPT-IIT": 0,
    "DEPT-TRN": 2,
    "DEPT-CTR": 4,
}

# (industry, [(subject in English, subject in Chinese), ...])
INDUSTRIES = [
    (
        "先进制造 Advanced manufacturing",
        [("precision parts plant", "精密零部件工厂"), ("robotics workshop", "机器人车间")],
    ),
    (
        "新能源汽车 New energy vehicles",
        [("battery pack line", "电池包生产线"), ("motor and drive plant", "电驱系统工厂")],
    ),
    ("交通 Transport", [("ring road section", "环路路段"), ("bus depot", "公交场站")]),
    (
        "现代农业 Modern agriculture",
        [("grain drying centre", "粮食烘干中心"), ("greenhouse park", "设施农业园")],
    ),
    ("文旅 Culture and tourism", [("ski resort upgrade", "冰雪度假区提升"), ("museum", "博物馆")]),
    ("数字经济 Digital economy", [("data centre", "数据中心"), ("software park", "软件园")]),
    ("物流 Logistics", [("cold-chain hub", "冷链枢纽"), ("rail freight yard", "铁路货场")]),
    (
        "城市更新 Urban renewal",
        [("old estate renovation", "老旧小区改造"), ("heating network", "供热管网")],
    ),
]

MILESTONES = [
    "Land acquired (土地摘牌)",
    "Construction started (开工建设)",
    "Main structure topped out (主体封顶)",
    "Equipment installed (设备安装)",
    "Completed and in operation (竣工投产)",
]

PROBLEMS = {
    ProblemCategory.LAND: "Illustrative: land transfer waits for approval (示例：用地报批未完成)",
    ProblemCategory.FUNDING: "Illustrative: bank loan not yet granted (示例：银行贷款未到位)",
    ProblemCategory.APPROVALS: "Illustrative: environmental approval pending (示例：环评审批待办)",
    ProblemCategory.UTILITIES: "Illustrative: power connection delayed (示例：电力接入滞后)",
    ProblemCategory.OTHER: "Illustrative: a design change under review (示例：设计变更待审)",
}
RESOLUTION = "Illustrative: settled at the weekly scheduling meeting (示例：周调度会协调解决)"


@dataclass(frozen=True)
class DemoProject:
    unit: District
    name: str
    industry: str
    kind: str
    total: Decimal
    annual: Decimal
    start: datetime.date
    finish: datetime.date
    # How the project really goes: its investment pace against the plan and how many days
    # after the planned start it really starts (a few start far later than planned).
    pace: float
    delay_days: int


def demo_weeks(today: datetime.date) -> list[Period]:
    """The last DEMO_WEEKS weeks that have ended before ``today``, oldest first."""
    week = Period.week_of(today).previous()
    weeks = [week]
    while len(weeks) < DEMO_WEEKS:
        weeks.append(weeks[-1].previous())
    return weeks[::-1]


def _demo_units() -> list[District]:
    units = list(
        District.objects.filter(group__code__in=["counties", "zones"]).order_by(
            "group__order", "order", "code"
        )
    )
    units += list(District.objects.filter(code__in=DEPARTMENT_INDUSTRIES).order_by("code"))
    return units


def _plans(year: int) -> list[DemoProject]:
    rng = random.Random(f"{DEMO_PROJECT_SEED}-{year}")
    units = _demo_units()
    if not units:
        return []
    plans = []
    for n in range(DEMO_PROJECT_COUNT):
        unit = units[n % len(units)]
        industry, subjects = INDUSTRIES[
            DEPARTMENT_INDUSTRIES.get(unit.code, rng.randrange(len(INDUSTRIES)))
        ]
        subject_en, subject_zh = subjects[n // len(units) % len(subjects)]
        kind = ProjectKind.NEW_START if rng.random() < 0.45 else ProjectKind.CONTINUING
        total = Decimal(rng.randrange(50, 2000) * 100)  # 5,000 to 200,000 (10,000 yuan)
        annual = (total * Decimal(rng.uniform(0.2, 0.6))).quantize(Decimal(1))
        if kind == ProjectKind.NEW_START:
            start = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randrange(0, 150))
        else:
            start = datetime.date(year - 1, 3, 1) + datetime.timedelta(days=rng.randrange(0, 240))
        finish = start + datetime.timedelta(days=rng.randrange(500, 1100))
        behind = rng.random() < 0.4
        pace = rng.uniform(0.55, 0.9) if behind else rng.uniform(0.95, 1.2)
        late = kind == ProjectKind.NEW_START and rng.random() < 0.3
        delay = rng.randrange(70, 220) if late else rng.randrange(0, 21)
        plans.append(
            DemoProject(
                unit=unit,
                name=f"Illustrative: {subject_en} No. {n + 1} (示例：{subject_zh}{n + 1}号)",
                industry=industry,
                kind=kind,
                total=total,
                annual=annual,
                start=start,
                finish=finish,
                pace=pace,
                delay_days=delay,
            )
        )
    return plans


def _project_for(plan: DemoProject, year: int) -> Project:
    project, created = Project.objects.get_or_create(
        unit=plan.unit,
        name=plan.name,
        defaults={
            "industry": plan.industry,
            "kind": plan.kind,
            "year": year,
            "planned_total_investment": plan.total,
            "planned_annual_investment": plan.annual,
            "planned_start": plan.start,
            "planned_finish": plan.finish,
            "note": DEMO_PROJECT_NOTE,
        },
    )
    if created:
        span = (plan.finish - plan.start).days
        # Land comes before the start; the others spread over the building time.
        offsets = [-30, 0, span * 2 // 5, span * 3 // 4, span]
        for order, (name, offset) in enumerate(zip(MILESTONES, offsets, strict=True)):
            Milestone.objects.create(
                project=project,
                name=name,
                planned_date=plan.start + datetime.timedelta(days=offset),
                order=order,
            )
    return project


def _week_figures(plan: DemoProject, project: Project, milestones, week: Period) -> dict:
    """What the project's report says in a week: a function of the project and week only."""
    real_start = plan.start + datetime.timedelta(days=plan.delay_days)
    started = real_start <= week.last_day
    share = week.year_share
    if not started:
        investment = Decimal(0)
    else:
        # A project starting this year invests only from its start; the year-to-date figure
        # restarts each January (week 1).
        start_share = Period.week_of(real_start).year_share if real_start.year == week.year else 0.0
        progress = max(0.0, share - start_share) / max(1e-9, 1 - start_share)
        investment = Decimal(float(project.planned_annual_investment) * plan.pace * progress)
    reached = None
    if started:
        delay = datetime.timedelta(days=plan.delay_days)
        for milestone in milestones:
            if milestone.planned_date + delay <= week.last_day:
                reached = milestone
    return {
        "investment_to_date": min(investment, project.planned_total_investment).quantize(
            Decimal("0.1")
        ),
        "started": started,
        "milestone": reached,
    }


def _reporters() -> dict[int, object]:
    """A unit's demo reporter: its clerk where the demo has one."""
    reporters = {}
    for user in get_user_model().objects.filter(clerk_districts__isnull=False).order_by("pk"):
        for unit_id in user.clerk_districts.values_list("pk", flat=True):
            reporters.setdefault(unit_id, user)
    return reporters


def _problem_for(plan: DemoProject, week: Period, weeks: list[Period], reviewer) -> dict | None:
    """About one week in twenty-five raises a problem; how far it got depends on its age."""
    rng = random.Random(f"{DEMO_PROJECT_SEED}-{plan.name}-{week.code}")
    if rng.random() >= 0.04:
        return None
    category = rng.choice(list(ProblemCategory))
    age = len(weeks) - 1 - weeks.index(week)
    fields = {"category": category, "description": PROBLEMS[category]}
    # A Friday of the week: when the bureau acted on it.
    acted = timezone.make_aware(
        datetime.datetime.combine(week.first_day + datetime.timedelta(days=4), datetime.time(16))
    )
    if age >= 2 and rng.random() < 0.75:
        fields |= {
            "status": ProblemStatus.ESCALATED,
            "escalated_by": reviewer,
            "escalated_at": acted,
        }
    if age >= 5 and rng.random() < 0.7:
        resolved = weeks[weeks.index(week) + rng.randrange(1, min(age, 6))]
        fields |= {
            "status": ProblemStatus.RESOLVED,
            "resolution": RESOLUTION,
            "resolved_week": resolved.code,
            "resolved_by": reviewer,
            "resolved_at": timezone.make_aware(
                datetime.datetime.combine(resolved.last_day, datetime.time(10))
            ),
        }
    return fields


def load_demo_projects(*, today: datetime.date | None = None) -> int:
    """The demo's key projects with their weekly reports; returns how many projects there are."""
    today = today or timezone.localdate()
    weeks = demo_weeks(today)
    year = weeks[-1].year
    reviewer = get_user_model().objects.get(username="reviewer")
    reporters = _reporters()
    plans = _plans(year)
    new_reports: list[ProjectReport] = []
    problems: list[tuple[ProjectReport, dict]] = []
    for plan in plans:
        project = _project_for(plan, year)
        milestones = list(project.milestones.order_by("order", "planned_date"))
        reported = set(project.reports.values_list("week", flat=True))
        for week in weeks:
            if week.code in reported:
                continue
            report = ProjectReport(
                project=project,
                week=week.code,
                reported_by=reporters.get(project.unit_id, reviewer),
                **_week_figures(plan, project, milestones, week),
            )
            new_reports.append(report)
            problem = _problem_for(plan, week, weeks, reviewer)
            if problem is not None:
                problems.append((report, problem))
    bulk_create_with_history(new_reports, ProjectReport, default_change_reason="demo")
    # bulk_create leaves the primary keys unset on some databases: read them back by week.
    saved = {
        (r.project_id, r.week): r
        for r in ProjectReport.objects.filter(project__in={r.project_id for r, _ in problems})
    }
    bulk_create_with_history(
        [
            Problem(
                project_id=report.project_id,
                report=saved[(report.project_id, report.week)],
                raised_week=report.week,
                **fields,
            )
            for report, fields in problems
        ],
        Problem,
        default_change_reason="demo",
    )
    return len(plans)
