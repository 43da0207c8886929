"""Key projects (重点项目) and their weekly scheduling (周调度).

A unit's clerk reports each of its projects every ISO week: the investment completed so far
this year, whether it has started, the milestone reached, and the problems that need the
city's coordination. The bureau escalates problems and records how they were resolved. The
weekly scheduling board and the figures computed for races read these records.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import FIGURE_DECIMALS, FIGURE_DIGITS, District
from districts.periods import WEEK_PATTERN, Period, PeriodError

__all__ = [
    "Milestone",
    "Problem",
    "ProblemCategory",
    "ProblemStatus",
    "Project",
    "ProjectKind",
    "ProjectReport",
    "validate_week_code",
]

# An ISO week code such as 2026-W14: eight characters.
WEEK_CODE_LENGTH = 8


def validate_week_code(code: str) -> None:
    try:
        Period.parse_week(code)
    except PeriodError as error:
        raise ValidationError(str(error)) from error


def _investment_field(verbose_name, **options) -> models.DecimalField:
    # Investment is kept in 10,000 yuan (万元), as the city's project ledgers keep it.
    return models.DecimalField(
        verbose_name, max_digits=FIGURE_DIGITS, decimal_places=FIGURE_DECIMALS, **options
    )


class ProjectKind(models.TextChoices):
    NEW_START = "new_start", _("new start")
    CONTINUING = "continuing", _("continuing")


class Project(models.Model):
    """A key project of a unit (a district or a department) for one year's plan."""

    unit = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="projects", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ProjectKind.choices, default=ProjectKind.CONTINUING
    )
    year = models.PositiveSmallIntegerField(
        _("plan year"), help_text=_("The year whose annual investment plan this is.")
    )
    planned_total_investment = _investment_field(_("planned total investment (10,000 yuan)"))
    planned_annual_investment = _investment_field(_("planned investment this year (10,000 yuan)"))
    planned_start = models.DateField(_("planned start"))
    planned_finish = models.DateField(_("planned finish"))
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__code", "name", "pk"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProjectKind.values), name="project_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(planned_finish__gte=models.F("planned_start")),
                name="project_finishes_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(planned_annual_investment__gte=0)
                & Q(planned_total_investment__gte=models.F("planned_annual_investment")),
                name="project_investment_plan_consistent",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=9999), name="project_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A planned step of a project (land acquired, foundation laid, topping out, ...)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["project", "order", "planned_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="milestone_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectReport(models.Model):
    """One week's report on one project by its unit's clerk (or the bureau)."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="reports", verbose_name=_("project")
    )
    week = models.CharField(_("week"), max_length=WEEK_CODE_LENGTH, validators=[validate_week_code])
    investment_to_date = _investment_field(
        _("investment completed this year (10,000 yuan)"),
        help_text=_("From 1 January to the end of the week."),
    )
    started = models.BooleanField(_("started"), default=False)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("milestone reached"),
    )
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-week"]
        verbose_name = _("weekly project report")
        verbose_name_plural = _("weekly project reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "week"], name="project_report_once_a_week"),
            models.CheckConstraint(
                condition=Q(week__regex=WEEK_PATTERN), name="project_report_week_well_formed"
            ),
            models.CheckConstraint(
                condition=Q(investment_to_date__gte=0),
                name="project_report_investment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.week}"


class ProblemCategory(models.TextChoices):
    LAND = "land", _("land")
    FUNDING = "funding", _("funding")
    APPROVALS = "approvals", _("approvals")
    UTILITIES = "utilities", _("power and water")
    OTHER = "other", _("other")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    ESCALATED = "escalated", _("escalated")
    RESOLVED = "resolved", _("resolved")


class Problem(models.Model):
    """A problem needing coordination, raised in a weekly report; open until resolved."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="problems", verbose_name=_("project")
    )
    report = models.ForeignKey(
        ProjectReport,
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("raised in report"),
    )
    # The week it was raised (the report's week, kept here so the board filters without a join).
    raised_week = models.CharField(
        _("raised in week"), max_length=WEEK_CODE_LENGTH, validators=[validate_week_code]
    )
    category = models.CharField(_("category"), max_length=12, choices=ProblemCategory.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_week = models.CharField(
        _("resolved in week"),
        max_length=WEEK_CODE_LENGTH,
        blank=True,
        validators=[validate_week_code],
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_week", "pk"]
        verbose_name = _("project problem")
        verbose_name_plural = _("project problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ProblemCategory.values), name="problem_category_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values), name="problem_status_known"
            ),
            models.CheckConstraint(
                condition=Q(raised_week__regex=WEEK_PATTERN), name="problem_week_well_formed"
            ),
            models.CheckConstraint(
                condition=~Q(status=ProblemStatus.RESOLVED) | ~Q(resolved_week=""),
                name="problem_resolved_has_week",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]
