"""Aggregate one district's leaf values up the tree, and attribute the score back to leaves.

Attribution is exact: each node's amount is split among its children, so leaf
contributions add up to the score (additive root) or to ln(score) (geometric root).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .methodology import Dimension, Leaf, Node

GEOMETRIC = "geometric_mean"


class NonPositiveInGeometricMean(Exception):
    """A geometric mean met a child score <= 0; the district cannot be scored."""

    def __init__(self, node: str | None, children: list[tuple[str, float]]):
        super().__init__(f"non-positive child of geometric mean {node!r}: {children}")
        self.node = node  # None: the root, i.e. the score itself
        self.children = children


@dataclass(frozen=True)
class Evaluated:
    """A node's score for one district (None: every leaf below it was dropped), with the
    factor each child's score is multiplied by (additive) or raised to (geometric)."""

    node: Node
    score: float | None
    children: tuple[Evaluated, ...] = ()
    factors: tuple[float, ...] = ()  # 0 for dropped children
    shares: tuple[float, ...] = ()  # weight share among the children present


@dataclass
class Attribution:
    leaves: dict[str, float] = field(default_factory=dict)
    dimensions: dict[str, float] = field(default_factory=dict)


def _code(node: Node) -> str:
    return node.indicator if isinstance(node, Leaf) else node.code


def evaluate(node: Node, values: Mapping[str, float | None]) -> Evaluated:
    """Score a subtree; `values` maps indicator code to normalised value (None: dropped)."""
    if isinstance(node, Leaf):
        return Evaluated(node=node, score=values[node.indicator])
    children = tuple(evaluate(child, values) for child in node.nodes)
    present_weight = math.fsum(c.node.weight for c in children if c.score is not None)
    if present_weight == 0:
        return Evaluated(
            node=node,
            score=None,
            children=children,
            factors=(0.0,) * len(children),
            shares=(0.0,) * len(children),
        )
    shares = tuple(c.node.weight / present_weight if c.score is not None else 0.0 for c in children)
    if node.aggregation == "weighted_sum":
        # Dropping a child rescales its siblings so that the weights keep their total.
        rescale = math.fsum(c.node.weight for c in children) / present_weight
        factors = tuple(c.node.weight * rescale if c.score is not None else 0.0 for c in children)
    else:
        factors = shares
    present = [(c, f) for c, f in zip(children, factors, strict=True) if c.score is not None]
    if node.aggregation == GEOMETRIC:
        bad = [(_code(c.node), c.score) for c, _ in present if c.score is not None and c.score <= 0]
        if bad:
            raise NonPositiveInGeometricMean(node.code or None, bad)
        score = math.exp(math.fsum(f * math.log(c.score) for c, f in present))  # type: ignore[arg-type]
    else:
        score = math.fsum(f * c.score for c, f in present)  # type: ignore[operator]
    return Evaluated(node=node, score=score, children=children, factors=factors, shares=shares)


def effective_weights(
    evaluated: Evaluated, share: float = 1.0, out: dict[str, float] | None = None
) -> dict[str, float]:
    """Each leaf's share of the score: product of its weight shares along the path, after
    dropped leaves are taken out (0 for dropped leaves)."""
    out = {} if out is None else out
    if isinstance(evaluated.node, Leaf):
        out[evaluated.node.indicator] = share if evaluated.score is not None else 0.0
        return out
    for child, child_share in zip(evaluated.children, evaluated.shares, strict=True):
        effective_weights(child, share * child_share, out)
    return out


def coverage(node: Node, present: Mapping[str, bool]) -> float:
    """Weighted share of leaves whose input was present, with the configured weights."""
    if isinstance(node, Leaf):
        return 1.0 if present[node.indicator] else 0.0
    total = math.fsum(child.weight for child in node.nodes)
    return math.fsum(child.weight / total * coverage(child, present) for child in node.nodes)


def attribute(root: Evaluated) -> Attribution:
    """Split the root amount (score, or ln score for a geometric root) down to the leaves."""
    assert root.score is not None
    attribution = Attribution()
    geometric = isinstance(root.node, Dimension) and root.node.aggregation == GEOMETRIC
    amount = math.log(root.score) if geometric else root.score
    # The root's amount is exactly its terms' total, so the coefficient is 1.
    _distribute(root, amount, 1.0, attribution)
    return attribution


def _is_geometric(node: Node) -> bool:
    return isinstance(node, Dimension) and node.aggregation == GEOMETRIC


def _distribute(
    evaluated: Evaluated, amount: float, coefficient: float | None, attribution: Attribution
) -> None:
    """Give `amount` to this node and split it among its children.

    `coefficient`, when known, is amount / (sum of this node's terms); it is carried down
    chains of same-kind nodes so that attributions stay exact products of weights instead of
    ratios of possibly tiny totals. When unknown it is computed from the terms; when the
    terms sum to zero the amount is split equally.
    """
    node = evaluated.node
    if isinstance(node, Leaf):
        attribution.leaves[node.indicator] = amount
        return
    if node.code:
        attribution.dimensions[node.code] = amount
    geometric = node.aggregation == GEOMETRIC
    present = []
    for child, factor in zip(evaluated.children, evaluated.factors, strict=True):
        if child.score is None:
            _zero_out(child, attribution)
            continue
        term = factor * (math.log(child.score) if geometric else child.score)
        present.append((child, factor, term))
    if coefficient is None:
        total = math.fsum(term for _, _, term in present)
        coefficient = amount / total if total != 0 else None
    for child, factor, term in present:
        if coefficient is None:
            _distribute(child, amount / len(present), None, attribution)
            continue
        same_kind = isinstance(child.node, Dimension) and _is_geometric(child.node) == geometric
        _distribute(
            child, coefficient * term, coefficient * factor if same_kind else None, attribution
        )


def _zero_out(evaluated: Evaluated, attribution: Attribution) -> None:
    node = evaluated.node
    if isinstance(node, Leaf):
        attribution.leaves[node.indicator] = 0.0
        return
    attribution.dimensions[node.code] = 0.0
    for child in evaluated.children:
        _zero_out(child, attribution)


def dimension_scores(
    evaluated: Evaluated,
    out: dict[str, float | None] | None = None,
) -> dict[str, float | None]:
    out = {} if out is None else out
    node = evaluated.node
    if isinstance(node, Dimension):
        if node.code:
            out[node.code] = evaluated.score
        for child in evaluated.children:
            dimension_scores(child, out)
    return out
