"""What the entry pages say about checks, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from districts.checks import Warning
from pages.formatting import format_number, format_signed


def warning_text(warning: Warning) -> str:
    """One soft-check warning as a sentence: what the figure is compared with and by how much."""
    if warning.kind == "outlier":
        return _("robust z-score %(z)s against the group median %(median)s") % {
            "z": format_number(warning.measure, 1),
            "median": format_number(warning.reference, 2),
        }
    if warning.compared_with == "last_year":
        return _("%(change)s%% on the same period last year (%(earlier)s)") % {
            "change": format_signed(warning.measure, 1),
            "earlier": format_number(warning.reference, 2),
        }
    return _("%(change)s%% on the previous period (%(earlier)s)") % {
        "change": format_signed(warning.measure, 1),
        "earlier": format_number(warning.reference, 2),
    }
