"""The leaderboard as a django-tables2 table.

Sorting happens in the database, with empty values (unranked districts, missing figures)
last whichever the direction; the unsaved rows of a preview are shown in rank order only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import django_tables2 as tables
from django.db.models import F, FloatField
from django.db.models.expressions import Expression
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from districts.models import Indicator
from pages.formatting import format_number, with_unit
from pages.templatetags.saima import flag_badges, movement, rank_label
from rankings.models import Standing
from rankings.reasons_text import ReasonRenderer

NUMBER_ATTRS = {"th": {"class": "number", "scope": "col"}, "td": {"class": "number"}}


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


class SortedColumn(tables.Column):
    """A column sorted by database expressions, empty values last in both directions."""

    def __init__(self, *args, sort_by: Callable[[], Sequence[Expression]], **kwargs):
        self.sort_by = sort_by
        super().__init__(*args, **kwargs)

    def order(self, queryset, is_descending):
        expressions = [
            e.desc(nulls_last=True) if is_descending else e.asc(nulls_last=True)
            for e in self.sort_by()
        ]
        return queryset.order_by(*expressions, "district__order", "district__code"), True


def _district_name_expression() -> list[Expression]:
    # Sort by the name the reader sees.
    if (get_language() or "").lower().startswith("en"):
        return [F("district__name_en"), F("district__name")]
    return [F("district__name")]


class IndicatorColumn(SortedColumn):
    """One indicator's points (its contribution to the score), or its entered values."""

    def __init__(self, indicator: Indicator, *, show_values: bool):
        self.indicator = indicator
        self.show_values = show_values
        code = indicator.code
        if show_values:
            source = KeyTextTransform("value", KeyTransform(code, "indicators"))
        else:
            source = KeyTextTransform(code, "contributions")
        super().__init__(
            verbose_name=indicator.display_name,
            accessor="indicators",
            empty_values=(),
            attrs=NUMBER_ATTRS,
            sort_by=lambda: [Cast(source, FloatField())],
        )

    def render(self, record: Standing):
        detail = record.indicators.get(self.indicator.code) or {}
        if self.show_values:
            text = indicator_value_text(record, self.indicator)
        else:
            text = format_number(indicator_points(record, self.indicator.code))
        if detail.get("imputed"):
            return format_html('{} <span class="muted">{}</span>', text, _("(group average)"))
        if detail.get("missing"):
            return format_html('{} <span class="muted">{}</span>', text, _("(missing)"))
        if detail.get("capped"):
            return format_html('{} <span class="muted">{}</span>', text, _("(capped)"))
        return text


class LeaderboardTable(tables.Table):
    rank = SortedColumn(
        verbose_name=gettext_lazy("Rank"),
        empty_values=(),
        attrs=NUMBER_ATTRS,
        sort_by=lambda: [F("rank")],
    )
    movement = SortedColumn(
        verbose_name=gettext_lazy("Since last period"),
        empty_values=(),
        sort_by=lambda: [F("rank_change")],
    )
    district = SortedColumn(
        verbose_name=gettext_lazy("District"), sort_by=_district_name_expression
    )
    kind = SortedColumn(
        verbose_name=gettext_lazy("Kind"),
        accessor="district__kind",
        sort_by=lambda: [F("district__kind")],
    )
    score = SortedColumn(
        verbose_name=gettext_lazy("Score"),
        empty_values=(),
        attrs=NUMBER_ATTRS,
        sort_by=lambda: [F("score")],
    )
    flags = tables.Column(verbose_name=gettext_lazy("Flags"), orderable=False, empty_values=())
    reason = tables.Column(
        verbose_name=gettext_lazy("Main reason"),
        accessor="reasons",
        orderable=False,
        empty_values=(),
        attrs={"td": {"class": "reason-cell"}},
    )

    class Meta:
        attrs = {"class": "leaderboard", "th": {"scope": "col"}}
        empty_text = gettext_lazy("No district matches this filter.")

    def __init__(
        self,
        data,
        *,
        indicators: Sequence[Indicator],
        reasons: ReasonRenderer,
        race_code: str,
        period_code: str,
        show_values: bool = False,
        **kwargs,
    ):
        self.reasons = reasons
        self.district_query = urlencode({"race": race_code, "period": period_code})
        extra = [
            (f"indicator_{n}", IndicatorColumn(indicator, show_values=show_values))
            for n, indicator in enumerate(indicators)
        ]
        super().__init__(
            data,
            extra_columns=extra,
            sequence=("rank", "movement", "district", "kind", "score", "flags", "reason", "..."),
            **kwargs,
        )

    def render_rank(self, record: Standing):
        return rank_label(record.rank, record.tied)

    def render_movement(self, record: Standing):
        return movement(record.movement, record.rank_change)

    def render_district(self, record: Standing):
        url = reverse("district", args=[record.district.code])
        return format_html(
            '<a href="{}?{}">{}</a>', url, self.district_query, record.district.display_name
        )

    def render_kind(self, record: Standing):
        return record.district.get_kind_display()

    def render_score(self, record: Standing):
        return format_number(record.score)

    def render_flags(self, record: Standing):
        return flag_badges(record.flags)

    def render_reason(self, record: Standing):
        reason = reason_headline(record)
        return self.reasons.render(reason) if reason else ""
