"""Reading what a request names, for every app's views: a period in a URL answers 404 if bad."""

from __future__ import annotations

from django.http import Http404

from districts.periods import Period, PeriodError


def period_or_404(code: str) -> Period:
    """The period a URL or query names; a code that is not a period is a page not found."""
    try:
        return Period.parse(code)
    except PeriodError as error:
        raise Http404(str(error)) from error


def optional_period_or_404(code: str | None) -> Period | None:
    """As period_or_404, for a period the request may leave out (None then)."""
    return period_or_404(code) if code else None
