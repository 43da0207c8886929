"""The leaderboard table: its columns, and a page of rows as ready-made cells.

The page renders these with a plain template loop. A national race shows 100 districts ×
40 indicators a page; django-tables2 spent most of such a page in its per-cell bookkeeping
(it inspects each render method's signature for every cell), so the cells are built here
once, as text the template prints as it is. Exports use the same cell texts.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from districts.models import Indicator
from pages.formatting import format_number, with_unit
from pages.templatetags.saima import flag_badges, movement, rank_label
from rankings.models import Standing
from rankings.reasons_text import ReasonRenderer
from rankings.selectors.leaderboard_pages import INDICATOR_COLUMN_PREFIX, SortOrder


def reason_headline(standing: Standing) -> dict | None:
    """The reason a one-line summary shows: the first strength, or else the first reason."""
    reasons = standing.reasons or []
    return next((r for r in reasons if r.get("kind") == "strength"), None) or (
        reasons[0] if reasons else None
    )


def indicator_value_text(standing: Standing, indicator: Indicator) -> str:
    """The entered figure as staff typed it, with its unit; "—" when none was entered."""
    detail = standing.indicators.get(indicator.code) or {}
    ref = detail.get("ref") or {}
    if ref.get("value") is not None:
        text = str(ref["value"])
    elif detail.get("value") is not None:
        text = format_number(detail["value"], indicator.decimals)
    else:
        return "—"
    return with_unit(text, indicator.unit)


def indicator_points(standing: Standing, code: str) -> float | None:
    if code in (standing.contributions or {}):
        return standing.contributions[code]
    return (standing.indicators.get(code) or {}).get("contribution")


# --- columns --------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderboardColumn:
    """A column header: its text, whether it holds numbers, and how it sorts the table."""

    name: str  # the value of ?sort= that sorts by it
    header: str
    numeric: bool = False
    sortable: bool = True
    sorted: str = ""  # "asc", "desc", or "" when the table is not sorted by it

    @property
    def css_class(self) -> str:
        return " ".join(
            c
            for c in (self.sorted, "number" if self.numeric else "", "orderable" * self.sortable)
            if c
        )

    @property
    def aria_sort(self) -> str:
        return {"asc": "ascending", "desc": "descending"}.get(self.sorted, "")

    @property
    def next_sort(self) -> str:
        """The sort its header link asks for: the other direction when sorted by it."""
        return f"-{self.name}" if self.sorted == "asc" else self.name


def leaderboard_columns(
    *, indicators: Sequence[Indicator], order: SortOrder | None, sortable: bool
) -> list[LeaderboardColumn]:
    """The table's columns in order: place, district, score, flags, reason, each indicator."""
    columns = [
        ("rank", gettext_lazy("Rank"), True, True),
        ("movement", gettext_lazy("Since last period"), False, True),
        ("district", gettext_lazy("District"), False, True),
        ("kind", gettext_lazy("Kind"), False, True),
        ("score", gettext_lazy("Score"), True, True),
        ("flags", gettext_lazy("Flags"), False, False),
        ("reason", gettext_lazy("Main reason"), False, False),
        *(
            (f"{INDICATOR_COLUMN_PREFIX}{n}", indicator.display_name, True, True)
            for n, indicator in enumerate(indicators)
        ),
    ]
    return [
        LeaderboardColumn(
            name=name,
            header=str(header),
            numeric=numeric,
            sortable=sortable and can_sort,
            sorted=(
                ("desc" if order.descending else "asc")
                if order is not None and order.column == name
                else ""
            ),
        )
        for name, header, numeric, can_sort in columns
    ]


# --- rows -----------------------------------------------------------------------------


def _markers() -> dict[str, SafeString]:
    # Built once a page in the reader's language: the same three notes recur in many cells.
    note = ' <span class="muted">{}</span>'
    return {
        "imputed": format_html(note, _("(group average)")),
        "missing": format_html(note, _("(missing)")),
        "capped": format_html(note, _("(capped)")),
    }


def _indicator_cells(
    standing: Standing,
    indicators: Sequence[Indicator],
    *,
    show_values: bool,
    markers: dict[str, SafeString],
) -> list[SafeString]:
    cells = []
    details = standing.indicators or {}
    contributions = standing.contributions or {}
    for indicator in indicators:
        code = indicator.code
        detail = details.get(code) or {}
        if show_values:
            text = indicator_value_text(standing, indicator)
        else:
            points = contributions[code] if code in contributions else detail.get("contribution")
            text = format_number(points)
        # html.escape is what django.utils.html.escape calls, without its lazy-text wrapper:
        # a page has 4,000 of these cells.
        cell = html.escape(text)
        note = next((n for n in ("imputed", "missing", "capped") if detail.get(n)), None)
        cells.append(SafeString(cell + markers[note] if note else cell))
    return cells


def leaderboard_rows(
    standings: Iterable[Standing],
    *,
    indicators: Sequence[Indicator],
    reasons: ReasonRenderer,
    race_code: str,
    period_code: str,
    show_values: bool,
) -> list[dict]:
    """One dict a row, each value ready to print: ``rank``, ``movement``, ``district_url``,
    ``district_name``, ``kind``, ``score``, ``flags``, ``reason`` and ``cells`` (one per
    indicator, in column order); ``standing`` is the row's Standing."""
    district_query = urlencode({"race": race_code, "period": period_code})
    markers = _markers()
    rows = []
    for standing in standings:
        district = standing.district
        reason = reason_headline(standing)
        rows.append(
            {
                "standing": standing,
                "rank": rank_label(standing.rank, standing.tied),
                "movement": movement(standing.movement, standing.rank_change),
                "district_url": f"{reverse('district', args=[district.code])}?{district_query}",
                "district_name": district.display_name,
                "kind": district.get_kind_display(),
                "score": format_number(standing.score),
                "flags": flag_badges(standing.flags),
                "reason": reasons.render(reason) if reason else "",
                "cells": _indicator_cells(
                    standing, indicators, show_values=show_values, markers=markers
                ),
            }
        )
    return rows
