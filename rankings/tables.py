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
from rankings.presenters import reason_in_brief
from rankings.reasons_text import ReasonRenderer
from rankings.selectors.leaderboard_pages import INDICATOR_COLUMN_PREFIX, SortOrder
from rankings.selectors.leaderboards import LeaderboardGroup

# The heat map: an indicator's cell is shaded by the fifth of the race its rank on the
# indicator falls in, "heat-1" the best fifth to "heat-5" the worst (static/css/saima.css
# gives each band a shade and a marker, so colour is never the only cue).
HEAT_BANDS = 5


def in_bottom_half(rank: int | None, *, ranked: int) -> bool:
    """Whether a rank lies in the lower half of ``ranked`` places; the middle place of an
    odd count belongs to the upper half."""
    return rank is not None and 2 * rank > ranked + 1


def reason_headline(standing: Standing, *, ranked: int) -> dict | None:
    """The reason a one-line summary shows: the strongest strength in the top half of the
    ``ranked`` places, the heaviest weakness in the bottom half (the last-placed district
    reads what holds it back, not what lifts it); else the strongest of the other kind,
    else the first reason. The engine lists strengths and weaknesses largest gap first."""
    reasons = standing.reasons or []
    kinds = ("strength", "weakness")
    if in_bottom_half(standing.rank, ranked=ranked):
        kinds = kinds[::-1]
    for kind in kinds:
        if found := next((r for r in reasons if r.get("kind") == kind), None):
            return found
    return reasons[0] if reasons else None


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


def heat_band(rank: int | None, *, out_of: int) -> int | None:
    """The fifth (1 best … 5 worst) of ``out_of`` places where a rank on an indicator falls,
    by its distance from first place (0) to last (1), counted from the nearer end so that
    the bands are symmetric (in whole numbers: no float lands on a boundary by rounding);
    None without a rank or in a race of one."""
    if rank is None or out_of < 2:
        return None
    last = out_of - 1
    place = min(max(rank - 1, 0), last)
    if 2 * place <= last:
        return 1 + HEAT_BANDS * place // last
    return HEAT_BANDS - HEAT_BANDS * (last - place) // last


def tie_text(interval) -> str:
    """A rank interval as a range of places, "5–7" (one place when both ends agree)."""
    if interval.rank_low == interval.rank_high:
        return str(interval.rank_low)
    return f"{interval.rank_low}–{interval.rank_high}"


def _markers() -> dict[str, SafeString]:
    # Built once a page in the reader's language: the same three notes recur in many cells.
    note = ' <span class="muted">{}</span>'
    return {
        "imputed": format_html(note, _("(group average)")),
        "missing": format_html(note, _("(missing)")),
        "capped": format_html(note, _("(capped)")),
    }


# Each cell's opening tag, made once: a page has 4,000 of them.
_CELL_OPENINGS = {
    None: '<td class="number">',
    **{band: f'<td class="number heat heat-{band}">' for band in range(1, HEAT_BANDS + 1)},
}


def _indicator_cells(
    standing: Standing,
    indicators: Sequence[Indicator],
    *,
    show_values: bool,
    markers: dict[str, SafeString],
    out_of: int,
) -> list[SafeString]:
    """Each indicator's whole cell, shaded by the district's rank on it (heat_band)."""
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
        opening = _CELL_OPENINGS[heat_band(detail.get("rank"), out_of=out_of)]
        cells.append(SafeString(f"{opening}{cell}{markers[note] if note else ''}</td>"))
    return cells


def leaderboard_rows(
    standings: Iterable[Standing],
    *,
    indicators: Sequence[Indicator],
    reasons: ReasonRenderer,
    group: LeaderboardGroup,
    race_code: str,
    period_code: str,
    show_values: bool,
) -> list[dict]:
    """One dict a row, each value ready to print: ``rank``, ``movement``, ``district_url``,
    ``district_name``, ``tie`` (the rank interval of a district statistically tied with a
    neighbour, "5–7", or ""), ``kind``, ``score``, ``flags``, ``reason`` (the main reason in
    brief), ``strengths`` and ``weaknesses`` (whole sentences) and ``cells`` (each
    indicator's whole ``<td>``, in column order); ``standing`` is the row's Standing."""
    district_query = urlencode({"race": race_code, "period": period_code})
    markers = _markers()
    rows = []
    for standing in standings:
        district = standing.district
        reason = reason_headline(standing, ranked=group.ranked)
        found = standing.reasons or []
        interval = group.ties.get(standing.district_id)
        rows.append(
            {
                "standing": standing,
                "rank": rank_label(standing.rank, standing.tied),
                "movement": movement(standing.movement, standing.rank_change),
                "district_url": f"{reverse('district', args=[district.code])}?{district_query}",
                "district_name": district.display_name,
                "tie": tie_text(interval) if interval else "",
                "kind": district.get_kind_display(),
                "score": format_number(standing.score),
                "flags": flag_badges(standing.flags),
                "reason": reason_in_brief(reasons, reason) if reason else "",
                "strengths": [reasons.render(r) for r in found if r.get("kind") == "strength"],
                "weaknesses": [reasons.render(r) for r in found if r.get("kind") == "weakness"],
                "cells": _indicator_cells(
                    standing,
                    indicators,
                    show_values=show_values,
                    markers=markers,
                    out_of=group.standings,
                ),
            }
        )
    return rows
