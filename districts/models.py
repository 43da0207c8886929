"""What statistics staff enter: groups of districts, indicators and each district's values."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.decimals import format_decimal
from districts.periods import PERIOD_PATTERN, Period, PeriodError, PeriodKind
from districts.rollup import RollUp

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use letters, digits, '-', '_' or '.', starting with a letter or digit."),
)


# Figures are stored exactly as entered. Ten decimals hold published statistics such as
# UNDP's schooling years (9 decimals); 28 digits leave 18 before the point.
FIGURE_DIGITS = 28
FIGURE_DECIMALS = 10


def validate_period_code(code: str) -> None:
    try:
        Period.parse(code)
    except PeriodError as error:
        raise ValidationError(str(error)) from error


class BilingualName(models.Model):
    """A name in Chinese (the official one) and in English, shown in the reader's language."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "").lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Group(BilingualName):
    """The districts that race each other."""

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")


class DistrictKind(models.TextChoices):
    DISTRICT = "district", pgettext_lazy("district kind", "district")
    COUNTY = "county", _("county")
    COUNTY_CITY = "county_city", _("county-level city")
    NEW_AREA = "new_area", _("new area")
    DEVELOPMENT_ZONE = "development_zone", _("development zone")
    DEPARTMENT = "department", _("department")


class District(BilingualName):
    """Any ranked unit: a district, county, county-level city, new area, zone or department."""

    code = models.CharField(
        _("administrative code"), max_length=50, unique=True, validators=[code_validator]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DistrictKind.choices)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="districts", verbose_name=_("group")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="clerk_districts",
        verbose_name=_("clerks"),
        help_text=_("Staff of the unit who enter its values and answer comments about it."),
    )
    history = HistoricalRecords(excluded_fields=["order"])

    class Meta:
        ordering = ["group__order", "order", "code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DistrictKind.values), name="district_kind_valid"
            ),
        ]


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class RollUpKind(models.TextChoices):
    """How a quarter's or a year's figure is made from its months (districts.rollup)."""

    SUM = RollUp.SUM.value, _("sum of the months (flows)")
    LAST = RollUp.LAST.value, _("last month (year-to-date figures)")
    MEAN = RollUp.MEAN.value, _("mean of the months (rates)")
    NONE = RollUp.NONE.value, _("not rolled up")


# The kind of period each frequency's values are entered for.
FREQUENCY_PERIOD_KINDS = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.YEARLY: PeriodKind.YEAR,
}


class Indicator(BilingualName):
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    unit = models.CharField(_("unit"), max_length=50, help_text=_("For example %, 亿元, count."))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    cumulative = models.BooleanField(
        _("year-to-date cumulative"),
        default=False,
        help_text=_("Values add up from January to the end of the period."),
    )
    roll_up = models.CharField(
        _("roll-up"),
        max_length=10,
        choices=RollUpKind.choices,
        default=RollUpKind.NONE,
        help_text=_(
            "How a race reads a quarter or a year that was not entered itself: from its "
            "complete months."
        ),
    )
    min_value = models.DecimalField(
        _("lowest valid value"),
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_DECIMALS,
        null=True,
        blank=True,
    )
    max_value = models.DecimalField(
        _("highest valid value"),
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_DECIMALS,
        null=True,
        blank=True,
    )
    change_threshold = models.DecimalField(
        _("change that needs a justification (%)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "A value that changes by more than this share against the previous period or the "
            "same period last year is flagged, and its clerk explains it before submitting."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="indicator_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(roll_up__in=RollUpKind.values), name="indicator_roll_up_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_valid_range_ordered",
            ),
            models.CheckConstraint(condition=Q(decimals__lte=6), name="indicator_decimals_max_6"),
        ]

    def range_problem(self, value) -> str | None:
        """Why ``value`` lies outside the indicator's valid range, or None."""
        if self.min_value is not None and value < self.min_value:
            return (
                f"{format_decimal(value)} is below the lowest valid value "
                f"{format_decimal(self.min_value)} of {self.code}"
            )
        if self.max_value is not None and value > self.max_value:
            return (
                f"{format_decimal(value)} is above the highest valid value "
                f"{format_decimal(self.max_value)} of {self.code}"
            )
        return None


class ValueStatus(models.TextChoices):
    """Where a figure stands in review; races read approved figures only."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


class Value(models.Model):
    """One district's figure for one indicator and period, stored exactly as entered."""

    # No index of their own: the unique (district, indicator, period) leads with the
    # district and the index (indicator, period) with the indicator. Two fewer indexes to
    # write for every imported figure and every figure a publication locks.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("district"),
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("indicator"),
        db_index=False,
    )
    period = models.CharField(
        _("period"),
        max_length=7,
        validators=[validate_period_code],
        help_text=_("2025 (year), 2025Q1 (quarter) or 2025-03 (month)."),
    )
    value = models.DecimalField(
        _("value"), max_digits=FIGURE_DIGITS, decimal_places=FIGURE_DECIMALS
    )
    target = models.DecimalField(
        _("annual target"),
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_DECIMALS,
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    justification = models.CharField(
        _("justification"),
        max_length=500,
        blank=True,
        help_text=_("Why a figure that the checks flag is right (needed before submitting)."),
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("Used by a current publication; a reviewer reopens the return to change it."),
    )
    # Optimistic locking: a save names the version it started from and is refused if another
    # save came first, so no one overwrites a colleague's figure without seeing it.
    version = models.PositiveIntegerField(_("version"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    # A figure's history is read by the figure's id (value_history_get, the admin); indexes
    # on its district, indicator and clerk would only slow the bulk history of imports and
    # publishing (7 indexes to 4 on the table that takes a row per written figure).
    history = HistoricalRecords(no_db_index=["district", "indicator", "entered_by"])

    class Meta:
        ordering = ["period", "district__order", "district__code", "indicator__order"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "indicator", "period"], name="value_unique_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="value_period_well_formed"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ValueStatus.values), name="value_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.district.code} {self.indicator.code} {self.period} = {self.value}"

    def clean(self) -> None:
        try:
            # Store the canonical code whatever the staff typed ("2025q1" -> "2025Q1").
            self.period = Period.parse(self.period).code
        except PeriodError as error:
            raise ValidationError({"period": str(error)}) from error
        if (
            self.indicator_id
            and self.value is not None
            and (problem := self.indicator.range_problem(self.value))
        ):
            raise ValidationError({"value": problem})


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")
    REOPENED = "reopened", _("reopened")


class DataReturn(models.Model):
    """A district's return for one period: its figures go through review together.

    The clerk submits, a reviewer approves or returns it with a reason; after publishing, a
    reviewer can reopen it with a reason. Who did each step and when is kept (and its
    history), so timeliness against the period's deadline can be measured.
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="returns", verbose_name=_("district")
    )
    period = models.CharField(_("period"), max_length=7, validators=[validate_period_code])
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=1000,
        blank=True,
        help_text=_("Why the return was sent back or reopened."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "district__order", "district__code"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        constraints = [
            models.UniqueConstraint(fields=["district", "period"], name="return_unique_per_period"),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="return_period_well_formed"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values), name="return_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district.code} {self.period} ({self.status})"


class PeriodDeadline(models.Model):
    """When the bureau expects every district's return for a period."""

    period = models.CharField(
        _("period"), max_length=7, unique=True, validators=[validate_period_code]
    )
    due = models.DateField(_("due"))

    class Meta:
        ordering = ["-period"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="deadline_period_well_formed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.due}"
