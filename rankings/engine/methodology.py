"""The methodology of a race as immutable data.

`parse_methodology` (in `parsing.py`) turns the user's dict into these dataclasses after
validating it; `Methodology.to_dict` turns them back into a normalised dict (defaults
applied to every leaf, default parameters filled in) that parses to an equal object.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

AGGREGATIONS = ("weighted_sum", "weighted_mean", "geometric_mean")
ORDERS = ("highest_first", "lowest_first")
DIRECTIONS = ("higher", "lower")
INPUT_KINDS = ("value", "growth", "target_completion", "progress")
TRANSFORMS = ("none", "log")
MISSING_POLICIES = ("average", "zero", "reweight")
FLAG_POSITIONS = ("top", "bottom")
RANK_POINTS_MODES = ("step", "proportional")
# Methods a robustness draw may put in place of every leaf's own: those that need no
# parameter of the leaf (goalposts need bounds, target_ratio a target).
ROBUSTNESS_NORMALISATIONS = ("zscore", "minmax", "efficacy", "rank_points", "raw")

# Parameters each normalisation method accepts (and nothing else, so typos are caught).
NORMALISATION_PARAMETERS: dict[str, tuple[str, ...]] = {
    "zscore": (),
    "minmax": (),
    "goalposts": ("min", "max", "scale"),
    "efficacy": (),
    "rank_points": ("mode", "points", "step"),
    "target_ratio": ("target", "scale", "floor", "cap"),
    "raw": (),
}
NORMALISATION_METHODS = tuple(NORMALISATION_PARAMETERS)


@dataclass(frozen=True)
class Normalisation:
    """A normalisation method and its parameters (those a method does not use stay None)."""

    method: str
    min: float | None = None
    max: float | None = None
    scale: float | None = None
    mode: str | None = None
    points: float | None = None
    step: float | None = None
    target: float | None = None
    floor: float | None = None
    cap: float | None = None

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"method": self.method}
        for name in NORMALISATION_PARAMETERS[self.method]:
            value = getattr(self, name)
            if value is not None:
                spec[name] = value
        return spec


@dataclass(frozen=True)
class Cap:
    """Bounds on a leaf's normalised value; either side may be open."""

    min: float | None = None
    max: float | None = None

    def to_dict(self) -> dict[str, float]:
        return {k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None}


@dataclass(frozen=True)
class Leaf:
    """An indicator in the tree: how its input is derived, normalised and weighted."""

    indicator: str
    weight: float
    normalisation: Normalisation
    input: str = "value"
    transform: str = "none"
    missing: str = "average"
    cap: Cap | None = None
    direction: str | None = None  # None: use the indicator's own direction
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"indicator": self.indicator}
        if self.name is not None:
            spec["name"] = self.name
        spec["weight"] = self.weight
        if self.direction is not None:
            spec["direction"] = self.direction
        spec["input"] = self.input
        spec["transform"] = self.transform
        spec["normalisation"] = self.normalisation.to_dict()
        if self.cap is not None:
            spec["cap"] = self.cap.to_dict()
        spec["missing"] = self.missing
        return spec


@dataclass(frozen=True)
class Dimension:
    """An inner node: aggregates its children's scores."""

    code: str
    weight: float
    nodes: tuple[Leaf | Dimension, ...]
    aggregation: str = "weighted_mean"
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"code": self.code}
        if self.name is not None:
            spec["name"] = self.name
        spec["weight"] = self.weight
        spec["aggregation"] = self.aggregation
        spec["nodes"] = [node.to_dict() for node in self.nodes]
        return spec


Node = Leaf | Dimension


@dataclass(frozen=True)
class Robustness:
    """How the robustness of ranks is tested: Monte Carlo draws of perturbed weights and,
    optionally, of another normalisation method for every leaf (see docs/explanations.md)."""

    weight_spread: float = 0.2  # each weight is multiplied by uniform(1 - spread, 1 + spread)
    normalisations: tuple[str, ...] = ()  # methods a draw may use instead of the leaves' own
    draws: int = 1000

    def to_dict(self) -> dict[str, Any]:
        return {
            "weight_spread": self.weight_spread,
            "normalisations": list(self.normalisations),
            "draws": self.draws,
        }


@dataclass(frozen=True)
class ScoreRule:
    """How the root aggregates and how scores become ranks."""

    aggregation: str = "weighted_sum"
    round: int | None = None
    order: str = "highest_first"
    tie_break: tuple[str, ...] = ()
    min_coverage: float | None = None
    reasons: int = 3

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"aggregation": self.aggregation}
        if self.round is not None:
            spec["round"] = self.round
        spec["order"] = self.order
        if self.tie_break:
            spec["tie_break"] = list(self.tie_break)
        if self.min_coverage is not None:
            spec["min_coverage"] = self.min_coverage
        spec["reasons"] = self.reasons
        return spec


@dataclass(frozen=True)
class FlagRule:
    """A named flag for the top or bottom `count` ranked districts."""

    name: str
    position: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "position": self.position, "count": self.count}


@dataclass(frozen=True)
class Methodology:
    code: str
    name: str
    score: ScoreRule
    nodes: tuple[Node, ...]
    flags: tuple[FlagRule, ...] = ()
    name_en: str | None = None
    group: str | None = None  # used by the Django layer only
    description: str | None = None
    robustness: Robustness | None = None  # None: the defaults of Robustness

    @property
    def root(self) -> Dimension:
        """The whole tree as one dimension whose aggregation is the score's."""
        return Dimension(code="", weight=1.0, nodes=self.nodes, aggregation=self.score.aggregation)

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(iter_leaves(self.nodes))

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(leaf.indicator for leaf in iter_leaves(self.nodes))

    @property
    def dimension_codes(self) -> tuple[str, ...]:
        return tuple(dimension.code for dimension in iter_dimensions(self.nodes))

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"code": self.code, "name": self.name}
        for key in ("name_en", "group", "description"):
            value = getattr(self, key)
            if value is not None:
                spec[key] = value
        spec["score"] = self.score.to_dict()
        if self.flags:
            spec["flags"] = [flag.to_dict() for flag in self.flags]
        spec["nodes"] = [node.to_dict() for node in self.nodes]
        # Only when written, so that methodologies without one keep their stored normal form.
        if self.robustness is not None:
            spec["robustness"] = self.robustness.to_dict()
        return spec


def iter_leaves(nodes: tuple[Node, ...]) -> Iterator[Leaf]:
    """Leaves in tree order (depth first, as written)."""
    for node in nodes:
        if isinstance(node, Leaf):
            yield node
        else:
            yield from iter_leaves(node.nodes)


def iter_dimensions(nodes: tuple[Node, ...]) -> Iterator[Dimension]:
    for node in nodes:
        if isinstance(node, Dimension):
            yield node
            yield from iter_dimensions(node.nodes)
