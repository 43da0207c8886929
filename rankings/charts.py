"""Charts drawn on the server as inline SVG, so they read without JavaScript and in print.

Plain Python: every piece of text is escaped here, and the result is marked as safe HTML
through the ``__html__`` protocol that Django's templates (and markupsafe) honour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 56
MARGIN_RIGHT = 24
MARGIN_TOP = 28
MARGIN_BOTTOM = 56
# Keeps the first and last points (and their labels) clear of the axis and the edge.
INSET_X = 28
# Beyond this many gridlines or period labels the chart thins them out to stay legible.
MAX_Y_TICKS = 12
MAX_X_LABELS = 12

LINE_COLOUR = "#0b5cab"
# Monthly reviews (a lighter, monthly publication) are their own series: dashed, hollow squares.
MONTHLY_COLOUR = "#b35c00"
AXIS_COLOUR = "#5a6272"
GRID_COLOUR = "#d5d9e0"


class Svg(str):
    """An SVG string whose text has been escaped, so templates insert it as it is."""

    def __html__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class RankPoint:
    """One period on the x axis; ``rank`` None leaves a gap in the line."""

    label: str
    rank: int | None
    rank_text: str = ""  # what to write by the point ("=3" for a shared place)
    monthly: bool = False  # a monthly review's point: drawn apart from the quarterly line

    @property
    def text(self) -> str:
        return self.rank_text or ("" if self.rank is None else str(self.rank))


@dataclass(frozen=True)
class RankChartText:
    """The words of a rank chart, already in the reader's language."""

    title: str
    description: str
    x_axis: str
    y_axis: str
    point_title: str = "{label}: {rank}"  # tooltip of each point; {label} and {rank}
    # Names of the two series, shown in a legend when the chart has monthly points.
    main_series: str = ""
    monthly_series: str = ""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def rank_x(index: int, count: int) -> float:
    """Where the index-th of ``count`` periods sits; a single period sits in the middle."""
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT - 2 * INSET_X
    if count <= 1:
        return MARGIN_LEFT + INSET_X + plot_width / 2
    return MARGIN_LEFT + INSET_X + plot_width * index / (count - 1)


def rank_y(rank: int, max_rank: int) -> float:
    """Rank 1 at the top of the plot, ``max_rank`` (the group size) at the bottom."""
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    if max_rank <= 1:
        return MARGIN_TOP
    return MARGIN_TOP + plot_height * (rank - 1) / (max_rank - 1)


def _y_ticks(max_rank: int) -> list[int]:
    step = max(1, math.ceil(max_rank / MAX_Y_TICKS))
    ticks = list(range(1, max_rank + 1, step))
    if ticks[-1] != max_rank:
        ticks.append(max_rank)
    return ticks


def _segments(
    points: Sequence[RankPoint], max_rank: int, *, monthly: bool = False
) -> list[list[tuple[float, float]]]:
    """Runs of consecutive ranked periods of one series (quarterly or monthly points); an
    unranked period of the series breaks its line, a period of the other series does not."""
    runs: list[list[tuple[float, float]]] = [[]]
    for index, point in enumerate(points):
        if point.monthly is not monthly:
            continue
        if point.rank is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((rank_x(index, len(points)), rank_y(point.rank, max_rank)))
    return [run for run in runs if run]


def rank_history_svg(
    *, points: Sequence[RankPoint], max_rank: int, text: RankChartText, chart_id: str
) -> Svg:
    """A line chart of ranks by period, best (1) at the top, labelled point by point."""
    max_rank = max([max_rank, 1, *(p.rank for p in points if p.rank is not None)])
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    bottom = HEIGHT - MARGIN_BOTTOM
    right = WIDTH - MARGIN_RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" id="{_attr(chart_id)}" '
        f'aria-labelledby="{_attr(title_id)} {_attr(desc_id)}" class="rank-history" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{_attr(title_id)}">{escape(text.title)}</title>',
        f'<desc id="{_attr(desc_id)}">{escape(text.description)}</desc>',
    ]
    # Horizontal gridlines with rank labels on the y axis.
    for tick in _y_ticks(max_rank):
        y = _number(rank_y(tick, max_rank))
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y}" x2="{right}" y2="{y}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'fill="{AXIS_COLOUR}">{tick}</text>'
        )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{bottom}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    label_step = max(1, math.ceil(len(points) / MAX_X_LABELS))
    for index, point in enumerate(points):
        if index % label_step and index != len(points) - 1:
            continue
        x = _number(rank_x(index, len(points)))
        parts.append(
            f'<text x="{x}" y="{bottom + 18}" text-anchor="middle" fill="{AXIS_COLOUR}">'
            f"{escape(point.label)}</text>"
        )
    parts.append(
        f'<text x="{_number(MARGIN_LEFT + (right - MARGIN_LEFT) / 2)}" y="{HEIGHT - 8}" '
        f'text-anchor="middle" fill="{AXIS_COLOUR}">{escape(text.x_axis)}</text>'
    )
    middle = _number(MARGIN_TOP + (bottom - MARGIN_TOP) / 2)
    parts.append(
        f'<text x="14" y="{middle}" text-anchor="middle" fill="{AXIS_COLOUR}" '
        f'transform="rotate(-90 14 {middle})">{escape(text.y_axis)}</text>'
    )
    for monthly, colour, dashes, name in (
        (False, LINE_COLOUR, "", "rank-line"),
        (True, MONTHLY_COLOUR, ' stroke-dasharray="6 4"', "rank-line monthly"),
    ):
        for run in _segments(points, max_rank, monthly=monthly):
            if len(run) > 1:
                path = " ".join(
                    f"{'M' if i == 0 else 'L'}{_number(x)},{_number(y)}"
                    for i, (x, y) in enumerate(run)
                )
                parts.append(
                    f'<path class="{name}" d="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5" stroke-linejoin="round"{dashes}/>'
                )
    for index, point in enumerate(points):
        if point.rank is None:
            continue
        x = _number(rank_x(index, len(points)))
        y = rank_y(point.rank, max_rank)
        tooltip = text.point_title.format(label=point.label, rank=point.text)
        if point.monthly:
            parts.append(
                f'<rect class="rank-point monthly" x="{_number(float(x) - 4.5)}" '
                f'y="{_number(y - 4.5)}" width="9" height="9" fill="#ffffff" '
                f'stroke="{MONTHLY_COLOUR}" stroke-width="2">'
                f"<title>{escape(tooltip)}</title></rect>"
            )
        else:
            parts.append(
                f'<circle class="rank-point" cx="{x}" cy="{_number(y)}" r="5" '
                f'fill="{LINE_COLOUR}" stroke="#ffffff" stroke-width="1.5">'
                f"<title>{escape(tooltip)}</title></circle>"
            )
        parts.append(
            f'<text class="rank-label" x="{x}" y="{_number(y - 10)}" text-anchor="middle" '
            f'font-weight="600" fill="#1d2330">{escape(point.text)}</text>'
        )
    if any(point.monthly for point in points) and text.monthly_series:
        parts.append(_legend(text))
    parts.append("</svg>")
    return Svg("".join(parts))


def _legend(text: RankChartText) -> str:
    """The two series named in the top right corner: the quarterly line, the monthly one."""
    right = WIDTH - MARGIN_RIGHT
    y = 12
    return (
        f'<g class="legend" font-size="11">'
        f'<circle cx="{right - 250}" cy="{y}" r="4" fill="{LINE_COLOUR}"/>'
        f'<text x="{right - 242}" y="{y}" dominant-baseline="middle" fill="{AXIS_COLOUR}">'
        f"{escape(text.main_series)}</text>"
        f'<rect x="{right - 124}" y="{y - 4}" width="8" height="8" fill="#ffffff" '
        f'stroke="{MONTHLY_COLOUR}" stroke-width="2"/>'
        f'<text x="{right - 112}" y="{y}" dominant-baseline="middle" fill="{AXIS_COLOUR}">'
        f"{escape(text.monthly_series)}</text></g>"
    )
