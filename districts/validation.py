"""Rules a figure must keep before it is saved, whichever path it comes by.

Hard rules block the save and name the field; every entry path (admin form, period grid,
imports) asks these same functions, so a figure cannot get in by one path that another
refuses.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from districts.decimals import format_decimal
from districts.models import FREQUENCY_PERIOD_KINDS, Indicator
from districts.periods import Period, PeriodError, PeriodKind, is_week_code
from districts.rollup import RollUp

WEEKS_NOT_ACCEPTED = gettext_lazy(
    "Weeks (such as 2026-W14) are not accepted here: write a year (2025), a quarter (2025Q1) "
    "or a month (2025-03)."
)


def week_code_refused(code: str) -> None:
    """A form field's validator where a year, quarter or month belongs: a week code is named
    as a week, not only as a character too many for the seven-character period column."""
    if is_week_code(code):
        raise ValidationError(WEEKS_NOT_ACCEPTED, code="week")


def period_problem(indicator: Indicator, period_code: str) -> str | None:
    """Why the period cannot hold a value of this indicator, or None."""
    try:
        period = Period.parse(period_code)
    except PeriodError as error:
        return str(error)
    expected = FREQUENCY_PERIOD_KINDS.get(indicator.frequency)
    if expected is None or period.kind == expected:
        return None
    # An indicator that rolls up is entered by month too: its months make its quarters and
    # years (districts.rollup), and a monthly review reads them.
    if indicator.roll_up != RollUp.NONE and period.kind is PeriodKind.MONTH:
        return None
    return (
        f"{indicator.code} is entered {indicator.frequency}: a {expected} period is "
        f"needed, not the {period.kind} {period.code}"
    )


def target_problem(target: Decimal | None) -> str | None:
    if target is not None and target < 0:
        return f"an annual target cannot be negative ({format_decimal(target)})"
    return None


def figure_problems(
    *, indicator: Indicator, period_code: str, value: Decimal | None, target: Decimal | None
) -> dict[str, str]:
    """Every hard rule the figure breaks, by field name (empty when it may be saved)."""
    problems = {}
    if problem := period_problem(indicator, period_code):
        problems["period"] = problem
    if value is None:
        problems["value"] = "a number is needed"
    elif problem := indicator.range_problem(value):
        problems["value"] = problem
    if problem := target_problem(target):
        problems["target"] = problem
    return problems
