"""Render the engine's structured reasons as sentences in the reader's language.

The engine stores reasons as data (kind + params); the words live here, behind gettext,
so the same publication reads in English and in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from districts.models import Indicator
from pages.formatting import format_number, format_signed, with_unit


class ReasonRenderer:
    """Turns reason dicts into sentences, naming indicators in the active language."""

    def __init__(self, indicators: Mapping[str, Indicator], period: str):
        self.indicators = indicators
        self.period = period

    def name(self, code: str) -> str:
        indicator = self.indicators.get(code)
        return indicator.display_name if indicator else code

    def figure(self, params: Mapping[str, Any]) -> str:
        """The entered figure a reason cites, with its unit, as staff typed it."""
        code = params.get("indicator", "")
        ref = params.get("ref") or {}
        indicator = self.indicators.get(code)
        unit = indicator.unit if indicator else ""
        if ref.get("value") is not None:
            return with_unit(str(ref["value"]), unit)
        decimals = indicator.decimals if indicator else 2
        return with_unit(format_number(params.get("value"), decimals), unit)

    def render(self, reason: Mapping[str, Any]) -> str:
        kind = reason.get("kind", "")
        params = reason.get("params", {})
        method = getattr(self, f"_render_{kind}", None)
        if method is None:
            return kind
        text = method(params)
        missing = (params.get("ref") or {}).get("missing_months")
        if missing:
            text += " " + self.months_missing(params["ref"])
        return text

    def months_missing(self, ref: Mapping[str, Any]) -> str:
        """Why a figure that rolls up from its months has none: the months not entered."""
        missing = ref.get("missing_months") or []
        return ngettext(
            "%(months)s is missing, so %(period)s cannot be made from its months.",
            "%(months)s are missing, so %(period)s cannot be made from its months.",
            len(missing),
        ) % {"months": _(", ").join(missing), "period": ref.get("period") or self.period}

    def period_cited(self, ref: Mapping[str, Any]) -> str:
        """The period of the cited figure; a rolled-up one names the months it came from."""
        period = ref.get("period") or self.period
        months = ref.get("months")
        if not months:
            return period
        rule = {
            "sum": pgettext("roll-up", "sum"),
            "last": pgettext("roll-up", "last month"),
            "mean": pgettext("roll-up", "mean"),
        }.get(ref.get("roll_up", ""), ref.get("roll_up", ""))
        return _("%(period)s (rolled up from %(months)s: %(rule)s)") % {
            "period": period,
            "months": _(", ").join(month.get("period", "") for month in months),
            "rule": rule,
        }

    def measured(self, params: Mapping[str, Any]) -> str:
        """The figure, and when the race ranks a derived input, that input too."""
        figure = self.figure(params)
        number = params.get("input")
        kind = params.get("input_kind", "value")
        if kind == "value" or number is None:
            return figure
        if kind == "growth":
            derived = _("%(input)s%% on the same period last year") % {
                "input": format_signed(number, 1)
            }
        elif kind == "target_completion":
            derived = _("%(input)s%% of the annual target") % {"input": format_number(number, 1)}
        else:
            derived = _("%(input)s points against the share of the year elapsed") % {
                "input": format_signed(number, 1)
            }
        return f"{figure} ({derived})"

    def _cited(self, params: Mapping[str, Any]) -> dict[str, Any]:
        ref = params.get("ref") or {}
        return {
            "indicator": self.name(params.get("indicator", "")),
            "figure": self.measured(params),
            "period": self.period_cited(ref),
            "rank": params.get("rank") if params.get("rank") is not None else "—",
            "contribution": format_number(params.get("contribution")),
            "average": format_number(params.get("group_average")),
            "gap": format_signed(params.get("gap")),
        }

    def _render_strength(self, params):
        return _(
            "%(indicator)s lifts the score: %(figure)s in %(period)s, rank %(rank)s in the "
            "group; contributes %(contribution)s against a group average of %(average)s "
            "(%(gap)s)."
        ) % self._cited(params)

    def _render_weakness(self, params):
        return _(
            "%(indicator)s holds the score back: %(figure)s in %(period)s, rank %(rank)s in "
            "the group; contributes %(contribution)s against a group average of %(average)s "
            "(%(gap)s)."
        ) % self._cited(params)

    def _drivers(self, params) -> str:
        drivers = params.get("drivers") or []
        return _(", ").join(
            f"{self.name(d['indicator'])} ({format_signed(d['delta'])})" for d in drivers
        )

    def _render_rank_change(self, params):
        change = params.get("change", 0)
        values = {
            "places": abs(change),
            "previous": params.get("previous_rank"),
            "rank": params.get("rank"),
            "drivers": self._drivers(params),
        }
        if change == 0:
            return _("Same place as the previous period (rank %(rank)s).") % values
        if change > 0:
            sentence = ngettext(
                "Up %(places)d place since the previous period (from %(previous)s to %(rank)s).",
                "Up %(places)d places since the previous period (from %(previous)s to %(rank)s).",
                abs(change),
            )
        else:
            sentence = ngettext(
                "Down %(places)d place since the previous period (from %(previous)s to %(rank)s).",
                "Down %(places)d places since the previous period (from %(previous)s to %(rank)s).",
                abs(change),
            )
        text = sentence % values
        if values["drivers"]:
            text += " " + _("Moved most by: %(drivers)s.") % values
        return text

    def _render_new(self, params):
        return _("No ranked standing in the previous period.")

    def _render_missing_zero(self, params):
        return _("No figure for %(indicator)s in %(period)s: counted as zero.") % self._cited(
            params
        )

    def _render_imputed(self, params):
        values = self._cited(params)
        values["imputed"] = format_number(params.get("imputed_input"))
        return (
            _(
                "No figure for %(indicator)s in %(period)s: counted at the group average "
                "(%(imputed)s)."
            )
            % values
        )

    def _render_reweighted(self, params):
        return _(
            "No figure for %(indicator)s in %(period)s: its weight was shared among the "
            "other indicators."
        ) % self._cited(params)

    def _render_capped(self, params):
        values = self._cited(params)
        values["raw"] = format_number(params.get("raw"))
        values["capped"] = format_number(params.get("capped"))
        return (
            _(
                "%(indicator)s (%(figure)s) is beyond the method's bounds: its points %(raw)s "
                "count as %(capped)s."
            )
            % values
        )

    def _render_not_loggable(self, params):
        return _(
            "%(indicator)s (%(figure)s) is not positive, so its logarithm does not exist; it "
            "counts as missing."
        ) % self._cited(params)

    def _render_unranked_coverage(self, params):
        return _(
            "Unranked: the figures entered cover %(coverage)s%% of the weights, below the "
            "%(threshold)s%% required."
        ) % {
            "coverage": format_number(100 * (params.get("coverage") or 0), 0),
            "threshold": format_number(100 * (params.get("threshold") or 0), 0),
        }

    def _render_non_positive_in_geometric_mean(self, params):
        return _("Unranked: a zero or negative part cannot enter a geometric mean (%(part)s).") % {
            "part": self.name(params.get("indicator") or params.get("node") or "")
        }
