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


# Revision and version numbers fit well within every database's integer column.
MAX_NUMBER_DIGITS = 9


def optional_number_or_404(text: str | None) -> int | None:
    """A positive whole number from a query parameter (ASCII digits only: "²".isdigit() is
    true but int("²") fails), None when absent; anything else is a page not found."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_NUMBER_DIGITS:
        raise Http404("not a number")
    return int(text)
