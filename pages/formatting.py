"""How every page, export and notice writes ranks, flags and figures: one place for each.

Plain functions on plain values, in the reader's language; template tags, tables, exports and
sentence builders all call these rather than writing their own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def rank_text(rank: int | None, tied: bool = False) -> str:
    """A competition rank as shown: "=3" for a shared place, "" when unranked."""
    if rank is None:
        return ""
    return f"={rank}" if tied else str(rank)


FLAG_LABELS = {"red": gettext_lazy("Red flag"), "yellow": gettext_lazy("Yellow flag")}


def flag_label(flag: str) -> str:
    """The name of a top (red) or bottom (yellow) flag; an unknown flag keeps its own name."""
    return str(FLAG_LABELS.get(flag, flag))


def with_unit(figure: str, unit: str) -> str:
    """'8.6 %' reads oddly in either language: % and Chinese units follow without a space."""
    if not unit or not figure:
        return figure
    if unit.startswith("%") or "\u4e00" <= unit[0] <= "\u9fff":
        return f"{figure}{unit}"
    return f"{figure} {unit}"


def format_number(number: float | None, decimals: int = 2) -> str:
    """A figure with thousands separators and fixed decimals; "—" when there is none."""
    if number is None:
        return "—"
    return f"{number:,.{decimals}f}"


def format_signed(number: float | None, decimals: int = 2) -> str:
    """A change, always with its sign; "—" when there is none."""
    if number is None:
        return "—"
    return f"{number:+,.{decimals}f}"


def unranked_text() -> str:
    return _("unranked")
