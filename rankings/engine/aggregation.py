"""Aggregate leaf values up the tree, and attribute the score back to leaves.

Every district is computed at once: a node's score is an array with one element per
district. The arithmetic is that of one district in plain Python, element by element and
in the same order (products, then an exactly rounded math.fsum per district, logarithms
and exponentials from math), so results do not depend on the vectorisation.

Attribution is exact: each node's amount is split among its children, so leaf
contributions add up to the score (additive root) or to ln(score) (geometric root).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .methodology import Dimension, Leaf, Node

GEOMETRIC = "geometric_mean"


@dataclass(frozen=True)
class NonPositiveInGeometricMean:
    """A geometric mean met child scores <= 0; the district cannot be scored."""

    node: str | None  # None: the root, i.e. the score itself
    children: list[tuple[str, float]]


@dataclass
class Problems:
    """Per district, the first geometric mean (innermost first, in tree order) that failed."""

    failed: np.ndarray
    found: dict[int, NonPositiveInGeometricMean] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluated:
    """A node's scores (valid where `has`: not every leaf below it was dropped, and the
    district has not failed), with the factor each child's score is multiplied by
    (additive) or raised to (geometric), and each child's term: factor × score, or
    factor × ln score."""

    node: Node
    score: np.ndarray
    has: np.ndarray
    children: tuple[Evaluated, ...] = ()
    factors: tuple[np.ndarray, ...] = ()  # 0 for dropped children
    shares: tuple[np.ndarray, ...] = ()  # weight share among the children present
    terms: tuple[np.ndarray, ...] = ()  # 0 for dropped children


def _code(node: Node) -> str:
    return node.indicator if isinstance(node, Leaf) else node.code


def row_fsums(columns: Sequence[np.ndarray]) -> np.ndarray:
    """math.fsum across the columns, for each district (row)."""
    rows = np.column_stack(columns).tolist()
    return np.array([math.fsum(row) for row in rows], dtype=float)


def evaluate(
    node: Node,
    scores: Mapping[str, np.ndarray],
    kept: Mapping[str, np.ndarray],
    problems: Problems,
) -> Evaluated:
    """Score a subtree; `scores` maps indicator code to normalised values, valid where
    `kept` (elsewhere the leaf is dropped for that district)."""
    if isinstance(node, Leaf):
        return Evaluated(node=node, score=scores[node.indicator], has=kept[node.indicator])
    children = tuple(evaluate(child, scores, kept, problems) for child in node.nodes)
    weights = [child.node.weight for child in children]
    if all(bool(child.has.all()) for child in children):
        present_weight = np.full(len(children[0].has), math.fsum(weights))
    else:
        present_weight = row_fsums(
            [np.where(c.has, w, 0.0) for c, w in zip(children, weights, strict=True)]
        )
    has = present_weight != 0
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = tuple(
            np.where(c.has, w / present_weight, 0.0) for c, w in zip(children, weights, strict=True)
        )
        if node.aggregation == "weighted_sum":
            # Dropping a child rescales its siblings so that the weights keep their total.
            rescale = math.fsum(weights) / present_weight
            factors = tuple(
                np.where(c.has, w * rescale, 0.0) for c, w in zip(children, weights, strict=True)
            )
        else:
            factors = shares
    if node.aggregation != GEOMETRIC:
        terms = tuple(
            np.where(c.has, f * c.score, 0.0) for c, f in zip(children, factors, strict=True)
        )
        score = row_fsums(terms)
        return Evaluated(node, score, has, children, factors, shares, terms)

    active = has & ~problems.failed
    bad = [active & c.has & (c.score <= 0) for c in children]
    for i in np.flatnonzero(np.logical_or.reduce(bad)).tolist():
        problems.found[i] = NonPositiveInGeometricMean(
            node.code or None,
            [
                (_code(c.node), float(c.score[i]))
                for c, b in zip(children, bad, strict=True)
                if b[i]
            ],
        )
        problems.failed[i] = True
    active &= ~problems.failed
    terms = tuple(
        f
        * np.array(
            [
                math.log(s) if a else 0.0
                for s, a in zip(c.score.tolist(), (active & c.has).tolist(), strict=True)
            ]
        )
        for c, f in zip(children, factors, strict=True)
    )
    score = np.array(
        [
            math.exp(t) if a else 1.0
            for t, a in zip(row_fsums(terms).tolist(), active.tolist(), strict=True)
        ]
    )
    return Evaluated(node, score, has, children, factors, shares, terms)


def effective_weights(
    evaluated: Evaluated, share: np.ndarray | float = 1.0, out: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Each leaf's share of the score: product of its weight shares along the path, after
    dropped leaves are taken out (0 for dropped leaves)."""
    out = {} if out is None else out
    if isinstance(evaluated.node, Leaf):
        out[evaluated.node.indicator] = np.where(evaluated.has, share, 0.0)
        return out
    for child, child_share in zip(evaluated.children, evaluated.shares, strict=True):
        effective_weights(child, share * child_share, out)
    return out


def coverage(node: Node, present: Mapping[str, np.ndarray]) -> np.ndarray:
    """Weighted share of leaves whose input was present, with the configured weights."""
    if isinstance(node, Leaf):
        return np.where(present[node.indicator], 1.0, 0.0)
    total = math.fsum(child.weight for child in node.nodes)
    return row_fsums([child.weight / total * coverage(child, present) for child in node.nodes])


@dataclass
class Attribution:
    leaves: dict[str, np.ndarray] = field(default_factory=dict)
    dimensions: dict[str, np.ndarray] = field(default_factory=dict)


def _is_geometric(node: Node) -> bool:
    return isinstance(node, Dimension) and node.aggregation == GEOMETRIC


def attribute(root: Evaluated, scored: np.ndarray) -> Attribution:
    """Split the root amount (score, or ln score for a geometric root) down to the leaves;
    valid for the `scored` districts."""
    attribution = Attribution()
    if _is_geometric(root.node):
        amount = np.array(
            [
                math.log(s) if k else 0.0
                for s, k in zip(root.score.tolist(), scored.tolist(), strict=True)
            ]
        )
    else:
        amount = root.score
    # The root's amount is exactly its terms' total, so the coefficient is 1.
    ones = np.ones(len(amount))
    _distribute(root, amount, ones, scored.copy(), attribution)
    return attribution


def _distribute(
    evaluated: Evaluated,
    amount: np.ndarray,
    coefficient: np.ndarray,
    known: np.ndarray,
    attribution: Attribution,
) -> None:
    """Give `amount` to this node and split it among its children.

    `coefficient`, where `known`, is amount / (sum of this node's terms); it is carried
    down chains of same-kind nodes so that attributions stay exact products of weights
    instead of ratios of possibly tiny totals. Where unknown it is computed from the terms;
    where the terms sum to zero the amount is split equally. A dropped child gets 0.
    """
    node = evaluated.node
    if isinstance(node, Leaf):
        attribution.leaves[node.indicator] = amount
        return
    if node.code:
        attribution.dimensions[node.code] = amount
    geometric = _is_geometric(node)
    children = evaluated.children
    with np.errstate(divide="ignore", invalid="ignore"):
        unknown = np.flatnonzero(~known)
        if len(unknown):
            total = row_fsums([term[unknown] for term in evaluated.terms])
            coefficient = coefficient.copy()
            coefficient[unknown] = amount[unknown] / total
            known = known.copy()
            known[unknown] = total != 0
        count = np.add.reduce([child.has.astype(int) for child in children])
        split = amount / count
        for child, factor, term in zip(children, evaluated.factors, evaluated.terms, strict=True):
            share = np.where(known, coefficient * term, split)
            same_kind = isinstance(child.node, Dimension) and _is_geometric(child.node) == geometric
            _distribute(
                child,
                np.where(child.has, share, 0.0),
                coefficient * factor,
                known & child.has & same_kind,
                attribution,
            )
