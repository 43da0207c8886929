"""What the entry pages say about checks, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from districts.checks import Warning
from districts.decimals import format_decimal
from districts.models import Indicator
from districts.periods import Period
from pages.formatting import format_number, with_unit


def warning_text(warning: Warning, *, indicator: Indicator, period: Period) -> str:
    """One soft-check warning of ``indicator``'s figure for ``period`` as a sentence, naming
    what it is compared with: "up 82.0% on 2025Q1 (threshold 30%)", or the robust z-score
    against the group median."""
    if warning.kind == "outlier":
        return _("robust z-score %(z)s against the group median %(median)s") % {
            "z": format_number(warning.measure, 1),
            "median": figure_text(warning.reference, indicator),
        }
    if warning.compared_with == "previous":
        compared = period.previous()
    else:
        compared = period.same_period_last_year()
    words = (
        _("up %(change)s on %(period)s (threshold %(threshold)s)")
        if warning.measure > 0
        else _("down %(change)s on %(period)s (threshold %(threshold)s)")
    )
    threshold = indicator.change_threshold
    return words % {
        "change": f"{format_number(abs(warning.measure), 1)}%",
        "period": compared.code,
        "threshold": f"{format_decimal(threshold)}%" if threshold is not None else "—",
    }


def figure_text(figure: float | None, indicator: Indicator) -> str:
    """A computed figure (a median, say) at the indicator's decimals, with its unit."""
    return with_unit(format_number(figure, indicator.decimals), indicator.unit)
