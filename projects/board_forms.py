"""Forms of the scheduling board: the N-weeks choice, and the bureau's figures button."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from districts.models import Indicator
from districts.periods import Period, PeriodError, PeriodKind
from projects.selectors.board import DEFAULT_OPEN_WEEKS

MAX_OPEN_WEEKS = 52


class BoardOptionsForm(forms.Form):
    open_weeks = forms.IntegerField(
        label=_("Problems open for more than (weeks)"),
        min_value=1,
        max_value=MAX_OPEN_WEEKS,
        required=False,
    )

    def open_weeks_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data["open_weeks"] is not None:
            return self.cleaned_data["open_weeks"]
        return DEFAULT_OPEN_WEEKS


class ProjectFiguresForm(forms.Form):
    period = forms.CharField(
        label=_("Month or quarter"),
        max_length=7,
        help_text=_("For example 2026Q1 or 2026-03."),
    )
    share_on_schedule = forms.ModelChoiceField(
        Indicator.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Share of projects on schedule (%) into"),
    )
    investment_completed = forms.ModelChoiceField(
        Indicator.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Investment completed (10,000 yuan) into"),
    )
    new_starts = forms.ModelChoiceField(
        Indicator.objects.all(),
        to_field_name="code",
        required=False,
        label=_("New starts started into"),
    )

    FIGURES = ("share_on_schedule", "investment_completed", "new_starts")

    def clean_period(self) -> Period:
        try:
            period = Period.parse(self.cleaned_data["period"])
        except PeriodError as error:
            raise ValidationError(str(error)) from error
        if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
            raise ValidationError(_("Write a month (2026-03) or a quarter (2026Q1)."))
        return period

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.FIGURES):
            raise ValidationError(_("Choose an indicator for at least one project figure."))
        return cleaned

    def indicator_map(self) -> dict[str, Indicator]:
        return {name: self.cleaned_data[name] for name in self.FIGURES if self.cleaned_data[name]}
