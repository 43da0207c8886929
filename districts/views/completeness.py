"""The bureau's completeness page: what each district has entered and submitted, and when."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import is_bureau, reader_required
from districts.periods import Period, PeriodError
from districts.selectors.completeness import period_completeness
from districts.services.review import deadline_set
from pages.requests import period_or_404


class DeadlineForm(forms.Form):
    due = forms.DateField(
        label=gettext_lazy("Due on"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a date such as 2025-04-15.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].help_text = _(
            "A return first submitted by the end of this day (%(zone)s time) is on time."
        ) % {"zone": settings.TIME_ZONE}


def neighbours(period: Period) -> tuple[Period | None, Period | None]:
    """The periods before and after, for links; none beyond the years a period may have."""
    try:
        before = period.previous()
    except PeriodError:
        before = None
    try:
        after = period.next()
    except PeriodError:
        after = None
    return before, after


@reader_required
def completeness_page(request: HttpRequest, period: str) -> HttpResponse:
    if not is_bureau(request.user):
        raise PermissionDenied
    period_obj = period_or_404(period)
    form = DeadlineForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        due = form.cleaned_data["due"]
        deadline_set(user=request.user, period=period_obj, due=due)
        messages.success(
            request,
            _("Returns for %(period)s are now due on %(due)s.")
            % {"period": period_obj.code, "due": date_format(due, "DATE_FORMAT")},
        )
        return redirect("entry-completeness", period=period_obj.code)
    report = period_completeness(period=period_obj)
    if not form.is_bound and report.deadline is not None:
        form.initial = {"due": report.deadline.due}
    previous_period, next_period = neighbours(period_obj)
    context = {
        "report": report,
        "period": period_obj,
        "form": form,
        "previous_period": previous_period,
        "next_period": next_period,
    }
    return render(request, "districts/completeness.html", context)
