"""A methodology spec described in plain words, in the reader's language.

The spec is the engine's normalised dict (``Methodology.to_dict``), stored with each
methodology version, so what a reader sees is exactly what the published ranks were
computed with. The formulas mirror ``rankings/engine/normalisation.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from districts.models import Indicator
from pages.formatting import flag_label


def spec_leaves(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The leaves of a spec's tree, depth first as written (as the engine orders them)."""
    for node in nodes:
        if "indicator" in node:
            yield node
        else:
            yield from spec_leaves(node.get("nodes", []))


def number_text(x: float | int | None) -> str:
    """A parameter as a person writes it: 60, 0.5, 1e+06 only when it has to."""
    if x is None:
        return "—"
    return f"{x:,.10g}"


@dataclass(frozen=True)
class NodeText:
    """One node of the tree: its name, weight and share, and (for an indicator) its method."""

    depth: int
    code: str
    name: str
    weight: float
    share: float  # percent of the whole score's weight
    is_indicator: bool
    indicator: Indicator | None = None
    aggregation: str = ""  # how a dimension combines its parts
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, sentence)


@dataclass(frozen=True)
class MethodologyText:
    nodes: list[NodeText]
    score: list[tuple[str, str]]  # (label, sentence)
    flags: list[str]


def methodology_describe(
    spec: Mapping[str, Any], indicators: Mapping[str, Indicator]
) -> MethodologyText:
    nodes: list[NodeText] = []
    _describe_nodes(spec.get("nodes", []), indicators, 100.0, 0, nodes)
    return MethodologyText(
        nodes=nodes,
        score=score_rules_text(spec.get("score", {}), indicators),
        flags=[flag_text(flag) for flag in spec.get("flags", [])],
    )


def _describe_nodes(
    specs: list[dict[str, Any]],
    indicators: Mapping[str, Indicator],
    parent_share: float,
    depth: int,
    out: list[NodeText],
) -> None:
    # A node's share of the whole is its weight among its siblings times its parent's share.
    total = sum(float(node.get("weight", 1.0)) for node in specs) or 1.0
    for node in specs:
        weight = float(node.get("weight", 1.0))
        share = parent_share * weight / total
        if "indicator" in node:
            indicator = indicators.get(node["indicator"])
            out.append(
                NodeText(
                    depth=depth,
                    code=node["indicator"],
                    name=indicator.display_name
                    if indicator
                    else node.get("name", "") or node["indicator"],
                    weight=weight,
                    share=share,
                    is_indicator=True,
                    indicator=indicator,
                    details=leaf_details(node, indicator),
                )
            )
        else:
            out.append(
                NodeText(
                    depth=depth,
                    code=node.get("code", ""),
                    name=node.get("name") or node.get("code", ""),
                    weight=weight,
                    share=share,
                    is_indicator=False,
                    aggregation=aggregation_text(node.get("aggregation", "weighted_mean")),
                )
            )
            _describe_nodes(node.get("nodes", []), indicators, share, depth + 1, out)


def leaf_details(leaf: Mapping[str, Any], indicator: Indicator | None) -> list[tuple[str, str]]:
    direction = leaf.get("direction") or (indicator.direction if indicator else "higher")
    higher = direction != "lower"
    details = [
        (_("Input"), input_text(leaf.get("input", "value"))),
        (_("Direction"), direction_text(higher, overridden=bool(leaf.get("direction")))),
        (_("Transform"), transform_text(leaf.get("transform", "none"))),
        (
            _("Normalisation"),
            normalisation_text(
                leaf.get("normalisation", {}), higher=higher, log=leaf.get("transform") == "log"
            ),
        ),
    ]
    if leaf.get("cap"):
        details.append((_("Cap"), cap_text(leaf["cap"])))
    details.append((_("Missing value"), missing_text(leaf.get("missing", "average"))))
    return details


def input_text(kind: str) -> str:
    texts = {
        "value": _("the entered value"),
        "growth": _("growth over the same period last year, in %"),
        "target_completion": _("completion of the annual target, in %"),
        "progress": _(
            "progress against the share of the year elapsed: completion of the annual target "
            "(%) minus the share of the year elapsed (%)"
        ),
    }
    return texts.get(kind, kind)


def direction_text(higher: bool, *, overridden: bool) -> str:
    text = _("higher is better") if higher else _("lower is better")
    if overridden:
        return _("%(direction)s (set by this methodology)") % {"direction": text}
    return text


def transform_text(transform: str) -> str:
    if transform == "log":
        return _("natural logarithm (a zero or negative input counts as missing)")
    if transform == "none":
        return _("none")
    return transform


def normalisation_text(spec: Mapping[str, Any], *, higher: bool, log: bool = False) -> str:
    """The method with its formula; x is the input, min/max/mean are the group's."""
    method = spec.get("method", "")
    params = {
        key: number_text(value) if isinstance(value, int | float) else str(value)
        for key, value in spec.items()
        if key != "method"
    }
    if method == "efficacy":
        formula = "60 + 40 × " + ("(x − min)" if higher else "(max − x)") + " / (max − min)"
        return _(
            "efficacy coefficient: %(formula)s, where min and max are the group's lowest and "
            "highest inputs (the best gets 100, the worst 60)"
        ) % {"formula": formula}
    if method == "minmax":
        formula = "100 × " + ("(x − min)" if higher else "(max − x)") + " / (max − min)"
        return _(
            "min–max scaling: %(formula)s, where min and max are the group's lowest and highest "
            "inputs (the best gets 100, the worst 0)"
        ) % {"formula": formula}
    if method == "zscore":
        formula = "(x − mean) / sd" if higher else "(mean − x) / sd"
        return _(
            "z-score: %(formula)s, where mean and sd are the group's mean and sample standard "
            "deviation"
        ) % {"formula": formula}
    if method == "goalposts":
        low, high, scale = params.get("min"), params.get("max"), params.get("scale", "1")
        formula = (
            f"{scale} × (x − {low}) / ({high} − {low})"
            if higher
            else f"{scale} × ({high} − x) / ({high} − {low})"
        )
        text = _(
            "fixed goalposts %(min)s–%(max)s: %(formula)s; an input beyond a goalpost counts "
            "as the goalpost"
        ) % {"min": low, "max": high, "formula": formula}
        if log:
            text += " " + _("(the goalposts are compared with the logarithm of the input)")
        return text
    if method == "rank_points":
        if spec.get("mode") == "proportional":
            formula = (
                f"{params.get('points')} × x / best"
                if higher
                else f"{params.get('points')} × best / x"
            )
            return _("points proportional to the leader: %(formula)s") % {"formula": formula}
        return _(
            "rank points: %(points)s for the first place, %(step)s fewer for each place below"
        ) % {"points": params.get("points"), "step": params.get("step", "1")}
    if method == "target_ratio":
        scale = params.get("scale", "100")
        if "target" in params:
            target = params["target"]
            text = _("share of a fixed target of %(target)s: %(formula)s") % {
                "target": target,
                "formula": f"{scale} × x / {target}" if higher else f"{scale} × {target} / x",
            }
        else:
            text = _("share of each district's own annual target: %(formula)s") % {
                "formula": f"{scale} × x / target" if higher else f"{scale} × target / x"
            }
        if "floor" in params:
            text += _(", at least %(floor)s") % {"floor": params["floor"]}
        if "cap" in params:
            text += _(", at most %(cap)s") % {"cap": params["cap"]}
        return text
    if method == "raw":
        if higher:
            return _("the input itself, not rescaled")
        return _("the input with its sign reversed (lower is better), not rescaled")
    return method


def cap_text(cap: Mapping[str, Any]) -> str:
    low, high = cap.get("min"), cap.get("max")
    if low is not None and high is not None:
        return _("normalised value kept between %(min)s and %(max)s") % {
            "min": number_text(low),
            "max": number_text(high),
        }
    if high is not None:
        return _("normalised value at most %(max)s") % {"max": number_text(high)}
    return _("normalised value at least %(min)s") % {"min": number_text(low)}


def missing_text(policy: str) -> str:
    texts = {
        "average": _("counted at the group average"),
        "zero": _("counted as zero"),
        "reweight": _("left out; its weight is shared among the other indicators"),
    }
    return texts.get(policy, policy)


def aggregation_text(aggregation: str) -> str:
    texts = {
        "weighted_sum": _("weighted sum of its parts"),
        "weighted_mean": _("weighted mean of its parts"),
        "geometric_mean": _("weighted geometric mean of its parts"),
    }
    return texts.get(aggregation, aggregation)


def score_rules_text(
    score: Mapping[str, Any], indicators: Mapping[str, Indicator]
) -> list[tuple[str, str]]:
    aggregation = score.get("aggregation", "weighted_sum")
    rules = [
        (
            _("Score"),
            _("The score is the %(aggregation)s.") % {"aggregation": aggregation_text(aggregation)},
        )
    ]
    places = score.get("round")
    rules.append(
        (
            _("Rounding"),
            ngettext(
                "Scores are rounded to %(places)d decimal place before ranking (half away from "
                "zero).",
                "Scores are rounded to %(places)d decimal places before ranking (half away from "
                "zero).",
                places,
            )
            % {"places": places}
            if places is not None
            else _("Scores are not rounded before ranking."),
        )
    )
    rules.append(
        (
            _("Order"),
            _("The lowest score ranks first.")
            if score.get("order") == "lowest_first"
            else _("The highest score ranks first."),
        )
    )
    tie_break = score.get("tie_break") or []
    if tie_break:
        names = _(", ").join(
            indicators[code].display_name if code in indicators else code for code in tie_break
        )
        ties = _(
            "Equal scores are separated by the normalised values of %(indicators)s, in that "
            "order; districts still equal share the place (shown as =3)."
        ) % {"indicators": names}
    else:
        ties = _("Districts with equal scores share the place (shown as =3).")
    rules.append((_("Ties"), ties))
    threshold = score.get("min_coverage")
    rules.append(
        (
            _("Coverage"),
            _(
                "A district is ranked only if its entered figures cover at least %(percent)s%% "
                "of the weights."
            )
            % {"percent": number_text(round(100 * threshold, 2))}
            if threshold
            else _("Every district is ranked, however many figures are missing."),
        )
    )
    count = score.get("reasons", 3)
    rules.append(
        (
            _("Reasons"),
            ngettext(
                "Each district's explanation cites up to %(count)d strength and %(count)d "
                "weakness: the indicators whose points are furthest above and below the group "
                "average.",
                "Each district's explanation cites up to %(count)d strengths and %(count)d "
                "weaknesses: the indicators whose points are furthest above and below the group "
                "average.",
                count,
            )
            % {"count": count},
        )
    )
    return rules


def flag_text(flag: Mapping[str, Any]) -> str:
    values = {"flag": flag_label(flag.get("name") or ""), "count": flag.get("count")}
    if flag.get("position") == "bottom":
        return (
            ngettext(
                "%(flag)s: the last ranked district (all of those tied at the boundary).",
                "%(flag)s: the last %(count)d ranked districts (all of those tied at the "
                "boundary).",
                flag.get("count") or 0,
            )
            % values
        )
    return (
        ngettext(
            "%(flag)s: the first ranked district (all of those sharing the place).",
            "%(flag)s: the first %(count)d ranked districts (all of those sharing a place).",
            flag.get("count") or 0,
        )
        % values
    )
