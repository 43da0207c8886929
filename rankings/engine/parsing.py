"""Validate a methodology dict (as tomllib gives it) and build a `Methodology`.

Every problem is collected, each prefixed by its path in the spec
("nodes[1].nodes[0].normalisation.method: ..."), so that a user fixing a file sees all
mistakes at once instead of one per attempt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .methodology import (
    AGGREGATIONS,
    DIRECTIONS,
    FLAG_POSITIONS,
    INPUT_KINDS,
    MISSING_POLICIES,
    NORMALISATION_METHODS,
    NORMALISATION_PARAMETERS,
    ORDERS,
    RANK_POINTS_MODES,
    ROBUSTNESS_NORMALISATIONS,
    TRANSFORMS,
    Cap,
    Dimension,
    FlagRule,
    Leaf,
    Methodology,
    Node,
    Normalisation,
    Robustness,
    ScoreRule,
    iter_dimensions,
    iter_leaves,
)
from .validation import SpecReader, at, choices

MAX_ROUND = 12  # beyond this, decimal rounding of a float's repr is meaningless

TOP_KEYS = (
    "code",
    "name",
    "name_en",
    "group",
    "description",
    "score",
    "flags",
    "defaults",
    "nodes",
    "robustness",
)
SCORE_KEYS = ("aggregation", "round", "order", "tie_break", "min_coverage", "reasons")
FLAG_KEYS = ("name", "position", "count")
DEFAULT_KEYS = ("normalisation", "missing", "cap", "input", "transform")
LEAF_KEYS = (
    "indicator",
    "name",
    "weight",
    "direction",
    "input",
    "transform",
    "normalisation",
    "cap",
    "missing",
)
DIMENSION_KEYS = ("code", "name", "weight", "aggregation", "nodes")
ROBUSTNESS_KEYS = ("weight_spread", "normalisations", "draws")
MAX_ROBUSTNESS_DRAWS = 100_000  # 100,000 draws of a national race already take minutes

# Filled in when the user leaves them out, so that to_dict() shows the effective values.
NORMALISATION_DEFAULTS: dict[str, dict[str, Any]] = {
    "goalposts": {"scale": 1.0},
    "target_ratio": {"scale": 100.0},
    "rank_points": {"mode": "step", "points": 100.0},
}


class MethodologyError(ValueError):
    """The methodology is invalid; `problems` lists every problem found, each with its path."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        listing = "\n".join(f"- {problem}" for problem in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"invalid methodology ({count} {noun}):\n{listing}")


def parse_methodology(spec: Mapping[str, Any]) -> Methodology:
    reader = _MethodologyReader()
    methodology = reader.methodology(spec)
    if reader.problems or methodology is None:
        raise MethodologyError(reader.problems)
    return methodology


class _MethodologyReader(SpecReader):
    def __init__(self) -> None:
        super().__init__()
        self.codes_seen: dict[str, str] = {}

    # -- sections --

    def methodology(self, spec: Any) -> Methodology | None:
        top = self.table(spec, "", TOP_KEYS)
        if top is None:
            return None
        code = self.text(top, "code", "", required=True, slug=True)
        name = self.text(top, "name", "", required=True)
        name_en = self.text(top, "name_en", "")
        group = self.text(top, "group", "")
        description = self.text(top, "description", "")
        defaults = self.defaults(top.get("defaults", {}), "defaults")
        nodes = self.nodes(top.get("nodes"), "nodes", defaults)
        score = self.score(top.get("score", {}), "score", nodes)
        flags = self.flags(top.get("flags", []), "flags")
        robustness = (
            self.robustness(top["robustness"], "robustness", nodes, score)
            if "robustness" in top
            else None
        )
        if code is None or name is None or score is None:
            return None
        return Methodology(
            code=code,
            name=name,
            name_en=name_en,
            group=group,
            description=description,
            score=score,
            flags=flags,
            nodes=nodes,
            robustness=robustness,
        )

    def robustness(
        self, value: Any, path: str, nodes: tuple[Node, ...], score: ScoreRule | None
    ) -> Robustness | None:
        table = self.table(value, path, ROBUSTNESS_KEYS)
        if table is None:
            return None
        # Below 1, so that a perturbed weight stays greater than 0.
        spread = self.number(table, "weight_spread", path, default=0.2, lo=0.0, hi=0.99)
        draws = self.integer(table, "draws", path, default=1000, lo=1, hi=MAX_ROBUSTNESS_DRAWS)
        methods: list[str] = []
        where = at(path, "normalisations")
        geometric = (score is not None and score.aggregation == "geometric_mean") or any(
            dimension.aggregation == "geometric_mean" for dimension in iter_dimensions(nodes)
        )
        for i, item in enumerate(self.array(table.get("normalisations", []), where)):
            if not isinstance(item, str) or item not in ROBUSTNESS_NORMALISATIONS:
                self.problem(
                    at(where, i),
                    f"unknown method {item!r} (expected one of "
                    f"{choices(ROBUSTNESS_NORMALISATIONS)})",
                )
            elif item in methods:
                self.problem(at(where, i), f"{item!r} is listed twice")
            elif geometric and item != "efficacy":
                # Only efficacy (60-100) is always positive, as a geometric mean needs.
                self.problem(
                    at(where, i),
                    f"{item!r} can give scores <= 0, which the race's geometric mean cannot "
                    "take (only 'efficacy' can stand in under a geometric mean)",
                )
            else:
                methods.append(item)
        return Robustness(
            weight_spread=spread if spread is not None else 0.2,
            normalisations=tuple(methods),
            draws=draws if draws is not None else 1000,
        )

    def score(self, value: Any, path: str, nodes: tuple[Node, ...]) -> ScoreRule | None:
        table = self.table(value, path, SCORE_KEYS)
        if table is None:
            return None
        tie_break: list[str] = []
        known = {leaf.indicator for leaf in iter_leaves(nodes)}
        for i, item in enumerate(self.array(table.get("tie_break", []), at(path, "tie_break"))):
            where = at(at(path, "tie_break"), i)
            if not isinstance(item, str):
                self.problem(where, f"expected an indicator code, got {item!r}")
            elif item not in known:
                self.problem(where, f"unknown indicator {item!r} (not a leaf of the tree)")
            else:
                tie_break.append(item)
        return ScoreRule(
            aggregation=self.choice(
                table, "aggregation", path, AGGREGATIONS, "weighted_sum", "aggregation"
            )
            or "weighted_sum",
            round=self.integer(table, "round", path, default=None, lo=0, hi=MAX_ROUND),
            order=self.choice(table, "order", path, ORDERS, "highest_first", "order")
            or "highest_first",
            tie_break=tuple(tie_break),
            min_coverage=self.number(table, "min_coverage", path, lo=0.0, hi=1.0),
            reasons=self.integer(table, "reasons", path, default=3, lo=0) or 0,
        )

    def flags(self, value: Any, path: str) -> tuple[FlagRule, ...]:
        flags: list[FlagRule] = []
        seen: set[str] = set()
        for i, item in enumerate(self.array(value, path)):
            where = at(path, i)
            table = self.table(item, where, FLAG_KEYS)
            if table is None:
                continue
            name = self.text(table, "name", where, required=True)
            if name is not None and name in seen:
                self.problem(at(where, "name"), f"flag {name!r} is defined twice")
            position = self.choice(table, "position", where, FLAG_POSITIONS, None, "position")
            if "position" not in table:
                self.problem(at(where, "position"), "required")
            count = self.integer(table, "count", where, default=None, lo=1)
            if "count" not in table:
                self.problem(at(where, "count"), "required")
            if name is not None and position is not None and count is not None:
                seen.add(name)
                flags.append(FlagRule(name=name, position=position, count=count))
        return tuple(flags)

    def defaults(self, value: Any, path: str) -> dict[str, Any]:
        """Parsed defaults for leaves; keys absent here fall back to the built-in defaults."""
        table = self.table(value, path, DEFAULT_KEYS)
        parsed: dict[str, Any] = {
            "input": "value",
            "transform": "none",
            "missing": "average",
            "cap": None,
            "normalisation": None,
            "has_normalisation": False,
        }
        if table is None:
            return parsed
        parsed["input"] = self.choice(table, "input", path, INPUT_KINDS, "value", "input kind")
        parsed["transform"] = self.choice(table, "transform", path, TRANSFORMS, "none", "transform")
        parsed["missing"] = self.choice(
            table, "missing", path, MISSING_POLICIES, "average", "missing-value policy"
        )
        if "cap" in table:
            parsed["cap"] = self.cap(table["cap"], at(path, "cap"))
        if "normalisation" in table:
            # Remembered even when invalid, so leaves relying on it are not reported again.
            parsed["has_normalisation"] = True
            parsed["normalisation"] = self.normalisation(
                table["normalisation"], at(path, "normalisation")
            )
        return parsed

    def nodes(self, value: Any, path: str, defaults: dict[str, Any]) -> tuple[Node, ...]:
        if value is None:
            self.problem(path, "required: at least one node")
            return ()
        items = self.array(value, path)
        if not items and isinstance(value, list | tuple):
            self.problem(path, "needs at least one node")
        parsed = (self.node(item, at(path, i), defaults) for i, item in enumerate(items))
        return tuple(node for node in parsed if node is not None)

    def node(self, value: Any, path: str, defaults: dict[str, Any]) -> Node | None:
        if isinstance(value, Mapping) and "indicator" in value and "nodes" in value:
            self.problem(path, "a node has either 'indicator' (a leaf) or 'nodes' (a dimension)")
            return None
        if isinstance(value, Mapping) and "nodes" in value:
            return self.dimension(value, path, defaults)
        if isinstance(value, Mapping) and "indicator" not in value:
            self.problem(path, "a node needs 'indicator' (a leaf) or 'nodes' (a dimension)")
            return None
        return self.leaf(value, path, defaults)

    def weight(self, table: Mapping[str, Any], path: str) -> float:
        return self.number(table, "weight", path, default=1.0, positive=True) or 1.0

    def dimension(self, value: Any, path: str, defaults: dict[str, Any]) -> Dimension | None:
        table = self.table(value, path, DIMENSION_KEYS)
        if table is None:
            return None
        code = self.text(table, "code", path, required=True)
        if code is not None:
            self.claim_code(code, at(path, "code"))
        name = self.text(table, "name", path)
        weight = self.weight(table, path)
        aggregation = (
            self.choice(table, "aggregation", path, AGGREGATIONS, "weighted_mean", "aggregation")
            or "weighted_mean"
        )
        nodes = self.nodes(table["nodes"], at(path, "nodes"), defaults)
        if code is None:
            return None
        return Dimension(code=code, name=name, weight=weight, aggregation=aggregation, nodes=nodes)

    def leaf(self, value: Any, path: str, defaults: dict[str, Any]) -> Leaf | None:
        table = self.table(value, path, LEAF_KEYS)
        if table is None:
            return None
        indicator = self.text(table, "indicator", path, required=True)
        if indicator is not None:
            self.claim_code(indicator, at(path, "indicator"))
        name = self.text(table, "name", path)
        weight = self.weight(table, path)
        direction = self.choice(table, "direction", path, DIRECTIONS, None, "direction")
        input_kind = self.choice(table, "input", path, INPUT_KINDS, defaults["input"], "input kind")
        transform = self.choice(
            table, "transform", path, TRANSFORMS, defaults["transform"], "transform"
        )
        missing = self.choice(
            table, "missing", path, MISSING_POLICIES, defaults["missing"], "missing-value policy"
        )
        cap = self.cap(table["cap"], at(path, "cap")) if "cap" in table else defaults["cap"]
        where = at(path, "normalisation")
        if "normalisation" in table:
            normalisation = self.normalisation(table["normalisation"], where)
        else:
            normalisation = defaults["normalisation"]
            if not defaults["has_normalisation"]:
                self.problem(where, "required (set it on the leaf or in [defaults])")
        if normalisation is not None and transform == "log":
            self.check_loggable(normalisation, where)
        if indicator is None or normalisation is None:
            return None
        return Leaf(
            indicator=indicator,
            name=name,
            weight=weight,
            direction=direction,
            input=input_kind or "value",
            transform=transform or "none",
            normalisation=normalisation,
            cap=cap,
            missing=missing or "average",
        )

    def check_loggable(self, normalisation: Normalisation, path: str) -> None:
        # Logged goalposts / targets must themselves be loggable.
        for key in ("min", "max", "target"):
            value = getattr(normalisation, key)
            if value is not None and value <= 0:
                self.problem(
                    at(path, key), f"must be greater than 0 with transform 'log', got {value:g}"
                )
        if normalisation.method == "target_ratio" and normalisation.target == 1:
            self.problem(
                at(path, "target"),
                "must not be 1 with transform 'log': its log is 0, which no ratio can use",
            )

    def cap(self, value: Any, path: str) -> Cap | None:
        table = self.table(value, path, ("min", "max"))
        if table is None:
            return None
        low = self.number(table, "min", path)
        high = self.number(table, "max", path)
        if low is not None and high is not None and low > high:
            self.problem(path, f"min ({low:g}) is greater than max ({high:g})")
            return None
        # An empty table switches off a cap inherited from [defaults].
        return None if low is None and high is None else Cap(min=low, max=high)

    def normalisation(self, value: Any, path: str) -> Normalisation | None:
        if isinstance(value, str):  # shorthand: normalisation = "minmax"
            value = {"method": value}
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a table, got {type(value).__name__}")
            return None
        method = value.get("method")
        if method is None:
            self.problem(at(path, "method"), "required")
            return None
        if method not in NORMALISATION_METHODS:
            self.problem(
                at(path, "method"),
                f"unknown method {method!r} (expected one of {choices(NORMALISATION_METHODS)})",
            )
            return None
        allowed = ("method", *NORMALISATION_PARAMETERS[method])
        table = self.table(value, path, allowed)
        assert table is not None
        params: dict[str, Any] = dict(NORMALISATION_DEFAULTS.get(method, {}))
        for key in ("min", "max", "target", "floor", "cap", "points"):
            if key in allowed and key in table:
                params[key] = self.number(table, key, path)
        for key in ("scale", "step"):
            if key in allowed and key in table:
                params[key] = self.number(table, key, path, positive=True)
        if method == "goalposts":
            self.check_goalposts(table, params, path)
        if method == "target_ratio" and params.get("target") == 0:
            self.problem(at(path, "target"), "must not be 0")
        if method == "target_ratio":
            floor, ceiling = params.get("floor"), params.get("cap")
            if floor is not None and ceiling is not None and floor > ceiling:
                self.problem(path, f"floor ({floor:g}) is greater than cap ({ceiling:g})")
        if method == "rank_points":
            mode = self.choice(table, "mode", path, RANK_POINTS_MODES, "step", "mode")
            params["mode"] = mode
            if mode == "step":
                params.setdefault("step", 1.0)
            elif "step" in table:
                self.problem(at(path, "step"), "only applies to mode 'step'")
                params.pop("step", None)
        return Normalisation(method=method, **{k: v for k, v in params.items() if v is not None})

    def check_goalposts(self, table: Mapping[str, Any], params: dict[str, Any], path: str) -> None:
        for key in ("min", "max"):
            if key not in table:
                self.problem(at(path, key), "required for method 'goalposts'")
        low, high = params.get("min"), params.get("max")
        if low is not None and high is not None and low >= high:
            self.problem(path, f"min ({low:g}) must be less than max ({high:g})")

    def claim_code(self, code: str, path: str) -> None:
        """Indicator and dimension codes key the results, so each may appear only once."""
        if code in self.codes_seen:
            self.problem(path, f"{code!r} is already used at {self.codes_seen[code]}")
        else:
            self.codes_seen[code] = path
