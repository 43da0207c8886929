"""The period grid: every figure one district enters for one period, on one admin page.

GET ?district=CODE&period=2025Q2 shows the grid (a choice of district and period without
them); POST saves every changed row through value_save, all or nothing, and may then
submit the return. Pasting a spreadsheet column is static/js/period_grid.js; without it the
fields are plain inputs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import DecimalValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.access import may_enter_values
from districts.decimals import format_decimal
from districts.models import FIGURE_DECIMALS, FIGURE_DIGITS, District, Value
from districts.periods import Period, PeriodError
from districts.selectors.grid import (
    GridRow,
    PeriodGrid,
    grid_districts,
    latest_quarter,
    period_grid_get,
)
from districts.services.entry import ValueConflict, value_save
from districts.services.review import return_submit
from districts.validation import week_code_refused

TEMPLATE = "admin/districts/value/period_grid.html"

# Plain decimal notation in ASCII digits, as the import files take it.
_FIGURE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_fits_a_figure = DecimalValidator(max_digits=FIGURE_DIGITS, decimal_places=FIGURE_DECIMALS)


def figure_parse(text: str) -> Decimal:
    """Read a figure typed or pasted into the grid; ValidationError says how to write it.

    Only "3.9" and "-1.2" forms: "1,234" is a thousand in one country and 1.234 in another,
    and a full-width "３.９" from a Chinese input method would otherwise be stored unnoticed.
    """
    if unicodedata.normalize("NFKC", text) != text:
        raise ValidationError(
            _("Type the number in half-width characters: %(fixed)s, not %(text)s.")
            % {"fixed": unicodedata.normalize("NFKC", text), "text": text},
            code="full_width",
        )
    if "%" in text:
        raise ValidationError(
            _("Type the number without the percent sign; the unit is shown beside the field."),
            code="percent",
        )
    if "," in text:
        raise ValidationError(
            _("Type the number without commas: a point for decimals, no thousands separators."),
            code="comma",
        )
    if not _FIGURE.match(text):
        raise ValidationError(_("Type a number such as 3.9 or -1.2."), code="invalid")
    try:
        number = Decimal(text)
    except InvalidOperation as error:  # the pattern admits only what Decimal reads
        raise ValidationError(_("Type a number such as 3.9 or -1.2."), code="invalid") from error
    _fits_a_figure(number)
    return number


class FigureField(forms.CharField):
    """A figure as staff type it: None when empty."""

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        return figure_parse(text) if text else None


class GridChoiceForm(forms.Form):
    """Which district and period the grid shows (a GET form)."""

    district = forms.CharField(label=gettext_lazy("district"), widget=forms.Select)
    period = forms.CharField(
        label=gettext_lazy("period"),
        help_text=gettext_lazy("2025 (year), 2025Q1 (quarter) or 2025-03 (month)."),
        validators=[week_code_refused],
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for district in districts:
            groups.setdefault(district.group.display_name, []).append(
                (district.code, f"{district.display_name} ({district.code})")
            )
        self.fields["district"].widget.choices = [("", "---------"), *groups.items()]
        self.has_districts = bool(groups)

    def clean_district(self) -> District:
        code = self.cleaned_data["district"].strip()
        district = District.objects.select_related("group").filter(code=code).first()
        if district is None:
            raise ValidationError(_("No district has the code %(code)s.") % {"code": code})
        return district

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"]
        try:
            return Period.parse(text)
        except PeriodError as error:
            raise ValidationError(
                _(
                    "%(text)s is not a period: write a quarter (2025Q2), a month (2025-05) "
                    "or a year (2025)."
                )
                % {"text": text}
            ) from error


class GridRowForm(forms.Form):
    """One row of the grid. The hidden initial values tell which rows the clerk changed, so a
    row someone else saved meanwhile is left alone unless this clerk changed it too."""

    value = FigureField(label=gettext_lazy("value"), required=False, show_hidden_initial=True)
    target = FigureField(
        label=gettext_lazy("annual target"), required=False, show_hidden_initial=True
    )
    note = forms.CharField(
        label=gettext_lazy("note"), required=False, max_length=500, show_hidden_initial=True
    )
    justification = forms.CharField(
        label=gettext_lazy("justification"),
        required=False,
        max_length=500,
        show_hidden_initial=True,
    )
    # The version the row started from (0: no figure yet), for value_save's conflict check.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    ENTERED = ("value", "target", "note", "justification")

    @property
    def entered_changed(self) -> bool:
        return any(name in self.changed_data for name in self.ENTERED)


def _initial(row: GridRow) -> dict:
    value = row.value
    return {
        "value": format_decimal(value.value) if value else "",
        "target": format_decimal(row.target) if row.target is not None else "",
        "note": value.note if value else "",
        "justification": value.justification if value else "",
        "version": row.version,
    }


@dataclass
class GridLine:
    """A row of the grid as the page shows it: the figure's data and its form."""

    row: GridRow
    form: GridRowForm
    conflict: bool = False
    submit_refused: bool = False  # a failed submission needs this row's justification

    @property
    def version(self) -> int:
        """The version the next save of this row starts from."""
        if self.conflict or not self.form.is_bound:
            # After a conflict the clerk has seen the other figure: saving again keeps theirs.
            return self.row.version
        return self.form.data.get(self.form["version"].html_name) or self.row.version

    @property
    def row_id(self) -> str:
        """The prefix of the ids of what the row says about its figure (checks, lock)."""
        return f"grid-{self.form.prefix}"

    @property
    def justification_needed(self) -> bool:
        return self.submit_refused or self.row.needs_justification

    @property
    def label(self) -> str:
        return self.row.indicator.display_name

    def describe(self) -> None:
        """Link each input to what the page says about it; a locked row's inputs are read-only."""
        row_id = self.row_id
        for name in GridRowForm.ENTERED:
            bound, widget = self.form[name], self.form.fields[name].widget
            ids = []
            if name in ("value", "justification") and self.row.warnings:
                ids.append(f"{row_id}-checks")
            if name == "target" and self.row.earlier_target_period:
                ids.append(f"{bound.auto_id}_earlier")
            if name == "justification" and self.justification_needed:
                ids.append(f"{row_id}-needed")
            if bound.errors:
                ids.append(f"{bound.auto_id}_error")
            if self.row.locked:
                widget.attrs["readonly"] = True
                ids += [f"{row_id}-locked", "grid-locked-help"]
            if ids:
                widget.attrs["aria-describedby"] = " ".join(ids)
        self.form.fields["value"].widget.attrs.update(
            {"data-grid-value": "", "inputmode": "decimal", "autocomplete": "off", "size": 10}
        )
        self.form.fields["target"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "size": 9}
        )
        self.form.fields["note"].widget.attrs["size"] = 12
        self.form.fields["justification"].widget.attrs["size"] = 16

    @property
    def error_items(self) -> list[tuple[str, str, str]]:
        """(input id, field label, message) of every error of the row, for the page's summary."""
        return [
            (self.form[name].auto_id, capfirst(self.form.fields[name].label), message)
            for name in GridRowForm.ENTERED
            for message in self.form[name].errors
        ]


def _lines(grid: PeriodGrid, data=None) -> list[GridLine]:
    return [
        GridLine(
            row=row,
            form=GridRowForm(data, prefix=row.indicator.code, initial=_initial(row)),
        )
        for row in grid.rows
    ]


def _save_rows(request: HttpRequest, grid: PeriodGrid, lines: list[GridLine]) -> int | None:
    """Save every changed row through value_save, or none of them.

    Returns how many figures were saved, or None when any row has an error (every error is
    then on its row's form). Rows are tried even after an error so the clerk sees them all.
    """
    valid = [line.form.is_valid() for line in lines]
    saved = 0
    with transaction.atomic():
        for line, ok in zip(lines, valid, strict=True):
            form = line.form
            if "version" in form.errors:  # only a hand-made request gets here
                form.add_error("value", form.errors.pop("version"))
            if not ok or not form.entered_changed:
                continue
            data = form.cleaned_data
            if data["value"] is None:
                if any(name in form.changed_data for name in ("target", "note", "justification")):
                    form.add_error(
                        "value", _("Enter the figure too: a row without one is not saved.")
                    )
                continue  # an empty field saves nothing and never deletes a figure
            try:
                value_save(
                    user=request.user,
                    district=grid.district,
                    indicator=line.row.indicator,
                    period=grid.period.code,
                    value=data["value"],
                    target=data["target"],
                    note=data["note"],
                    justification=data["justification"],
                    expected_version=data["version"],
                    reason="period grid",
                )
            except ValueConflict as conflict:
                line.conflict = True
                form.add_error("value", conflict.messages)
            except ValidationError as error:
                # Hard rules name their field; anything else concerns the figure itself.
                by_field = (
                    error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                )
                for field, problems in by_field.items():
                    form.add_error(field if field in GridRowForm.ENTERED else "value", problems)
            else:
                saved += 1
        if any(line.form.errors for line in lines):
            transaction.set_rollback(True)
            return None
    return saved


def _render(request, model_admin, context) -> HttpResponse:
    for line in context.get("lines", []):
        line.describe()
    return render(
        request,
        TEMPLATE,
        {
            **model_admin.admin_site.each_context(request),
            "opts": Value._meta,
            "title": _("Enter a period"),
            # The grid needs the page's whole width more than the admin's model list.
            "is_nav_sidebar_enabled": False,
            **context,
        },
    )


def period_grid_view(request: HttpRequest, model_admin) -> HttpResponse:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    data = request.GET.copy()
    if "district" in data and not data.get("period"):
        data["period"] = latest_quarter(today=timezone.localdate()).code
    choice = GridChoiceForm(
        data if "district" in data else None,
        districts=grid_districts(user=request.user),
        initial={"period": latest_quarter(today=timezone.localdate()).code},
    )
    if not choice.is_bound or not choice.is_valid():
        return _render(request, model_admin, {"choice": choice})
    district, period = choice.cleaned_data["district"], choice.cleaned_data["period"]
    if not may_enter_values(request.user, district):
        raise PermissionDenied(_("You may enter figures for your own districts only."))

    grid = period_grid_get(district=district, period=period)
    context = {"choice": choice, "grid": grid}
    if request.method != "POST":
        return _render(request, model_admin, {**context, "lines": _lines(grid)})

    lines = _lines(grid, request.POST)
    saved = _save_rows(request, grid, lines)
    if saved is None:
        return _render(request, model_admin, {**context, "lines": lines, "not_saved": True})
    if saved:
        messages.success(
            request,
            ngettext(
                "Saved %(count)d figure as a draft.", "Saved %(count)d figures as drafts.", saved
            )
            % {"count": saved},
        )
    if request.POST.get("action") == "submit":
        try:
            return_submit(user=request.user, district=district, period=period)
        except ValidationError as error:
            grid = period_grid_get(district=district, period=period)
            lines = _lines(grid)
            for line in lines:
                line.submit_refused = line.row.needs_justification
            return _render(
                request,
                model_admin,
                {**context, "grid": grid, "lines": lines, "submit_errors": error.messages},
            )
        messages.success(
            request,
            _("Submitted the return of %(district)s for %(period)s.")
            % {"district": district.display_name, "period": period.code},
        )
    elif not saved:
        messages.info(request, _("Nothing changed, so nothing was saved."))
    return HttpResponseRedirect(request.get_full_path())
