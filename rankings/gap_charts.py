"""The "Why here" chart of the district page: a diverging bar chart in server-side SVG, one
bar per indicator, right of the axis where the indicator opens the gap in this district's
favour, left where it closes it. Colours come from attributes and static CSS classes (the
strict CSP allows no style attributes); the table beside it gives the same numbers."""

from __future__ import annotations

from html import escape

from rankings.charts import Svg
from rankings.selectors.district_explanations import Gap

WIDTH, ROW, LABEL, PAD = 640, 26, 210, 8


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def gap_svg(gap: Gap, *, title: str, decimals: int = 3) -> Svg:
    parts = gap.parts
    height = ROW * max(len(parts), 1) + 2 * PAD
    half = (WIDTH - LABEL - 2 * PAD) / 2
    axis = LABEL + PAD + half
    largest = max((abs(p.part) for p in parts), default=0.0) or 1.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{_attr(title)}" '
        'class="gap-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, part in enumerate(parts):
        y = PAD + i * ROW
        # Room is left beyond the longest bar for its number.
        length = abs(part.part) / largest * (half - 70)
        x = axis if part.part >= 0 else axis - length
        kind = "gap-open" if part.part > 0 else "gap-close"
        value = f"{part.part:+.{decimals}f}"
        out.append(
            f'<text x="{LABEL}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end" '
            f'class="gap-label">{escape(part.indicator.display_name)}</text>'
        )
        out.append(
            f'<rect x="{x:.1f}" y="{y + 5}" width="{max(length, 1):.1f}" height="{ROW - 10}" '
            f'class="{kind}"><title>{escape(part.indicator.display_name)}: {value}</title></rect>'
        )
        text_x = x + length + 4 if part.part >= 0 else x - 4
        anchor = "start" if part.part >= 0 else "end"
        out.append(
            f'<text x="{text_x:.1f}" y="{y + ROW / 2 + 4:.1f}" text-anchor="{anchor}" '
            f'class="gap-value">{value}</text>'
        )
    out.append(
        f'<line x1="{axis:.1f}" y1="{PAD / 2}" x2="{axis:.1f}" y2="{height - PAD / 2}" '
        'class="gap-axis" stroke="#5a6272"/>'
    )
    out.append("</svg>")
    return Svg("".join(out))


def explanation_gap_charts(page) -> list[tuple[Gap, Svg]]:
    """Each gap of the district page with its chart, titled in the reader's language."""
    from django.utils.translation import gettext as _

    sections = page.explanations
    if sections is None:
        return []
    charts = []
    for gap in sections.gaps:
        if gap.above:
            title = _("%(district)s against %(other)s, ranked just above, per indicator")
        else:
            title = _("%(district)s against %(other)s, ranked just below, per indicator")
        title = title % {
            "district": page.district.display_name,
            "other": gap.other.district.display_name,
        }
        charts.append((gap, gap_svg(gap, title=title)))
    return charts
