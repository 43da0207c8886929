"""The outcome of a race, as immutable data with a plain-JSON `to_dict`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Reason:
    """A structured explanation; the Django layer renders it as a sentence.

    kind: strength | weakness | rank_change | new | missing_zero | imputed | reweighted |
    capped | not_loggable | unranked_coverage | non_positive_in_geometric_mean.
    params are JSON-serialisable.
    """

    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": self.params}


class IndicatorResult(NamedTuple):
    """One district's outcome on one indicator.

    A named tuple rather than a dataclass: a race makes one per district and indicator
    (113,760 for 2,844 districts × 40 indicators), and a tuple is built in C from a row
    (``IndicatorResult._make``), takes half the memory and is one object, not two, for
    the garbage collector to visit. It is immutable all the same.
    """

    value: float | None  # the entered figure
    input: float | None  # derived input (growth %, completion %, ...); None when missing
    normalised: float | None  # used in the score (imputed / 0 when missing; None if dropped)
    weight: float  # effective share of the score, after reweighting; 0 when dropped
    contribution: float | None  # None when the district has no score
    rank: int | None  # among districts with an input, best first
    imputed: bool
    capped: bool
    missing: bool
    ref: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        # The citation is shared with the input figure and never mutated; a deep copy of it
        # was most of the time of storing a national race.
        return dict(zip(self._fields, self, strict=True))


# IndicatorResult._make without its Python frame and length check (the rows are always
# complete).
_new_indicator_result = partial(tuple.__new__, IndicatorResult)


class IndicatorColumns:
    """Every district's indicator results of a race, a list per leaf and field.

    A national race has 113,760 of them (2,844 districts × 40 indicators): building them
    all, and the garbage collector visiting them all afterwards, was half the race's time,
    while most readers look at a few districts. `fields[j]` holds, for the leaf `codes[j]`,
    one list per IndicatorResult field, each with an element per district.
    """

    __slots__ = ("codes", "fields", "index")

    def __init__(self, codes: Sequence[str], fields: Sequence[Sequence[list[Any]]]) -> None:
        self.codes = tuple(codes)
        self.fields = tuple(map(tuple, fields))
        self.index = {code: j for j, code in enumerate(self.codes)}

    def result(self, leaf: int, district: int) -> IndicatorResult:
        return _new_indicator_result([field[district] for field in self.fields[leaf]])


class IndicatorResults(Mapping[str, IndicatorResult]):
    """One district's IndicatorResult per indicator code (in tree order), built when read.

    A read-only mapping that equals, pickles and copies as the plain dict it stands for.
    """

    __slots__ = ("_columns", "_district")

    def __init__(self, columns: IndicatorColumns, district: int) -> None:
        self._columns = columns
        self._district = district

    @property
    def columns(self) -> IndicatorColumns:
        """The race's columns this district's results are read from."""
        return self._columns

    @property
    def district(self) -> int:
        """This district's index in those columns."""
        return self._district

    def __getitem__(self, code: str) -> IndicatorResult:
        return self._columns.result(self._columns.index[code], self._district)

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.codes)

    def __len__(self) -> int:
        return len(self._columns.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._columns.index

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled and copied as a plain dict: a single standing must not carry the race.
        return (dict, (dict(self.items()),))


class StandingReasons(Sequence[Reason]):
    """One standing's reasons: its own (unranked, rank change) given, the rest (strengths,
    weaknesses, data notes) written out by `more(district)` when first read, then kept.

    Read-only and tuple-like: it equals, hashes, pickles and copies as the tuple it stands
    for.
    """

    __slots__ = ("_built", "_district", "_head", "_more")

    def __init__(
        self, head: tuple[Reason, ...], more: Callable[[int], list[Reason]], district: int
    ) -> None:
        self._head = head
        self._more = more
        self._district = district
        self._built: tuple[Reason, ...] | None = None

    def _all(self) -> tuple[Reason, ...]:
        built = self._built
        if built is None:
            built = self._built = self._head + tuple(self._more(self._district))
        return built

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Reason]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StandingReasons):
            other = other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __add__(self, other: tuple[Reason, ...]) -> tuple[Reason, ...]:
        return self._all() + tuple(other)

    def __radd__(self, other: tuple[Reason, ...]) -> tuple[Reason, ...]:
        return tuple(other) + self._all()

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self._all(),))


@dataclass(frozen=True)
class DimensionResult:
    score: float | None
    contribution: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "contribution": self.contribution}


@dataclass(frozen=True)
class Standing:
    district: str
    score: float | None  # unrounded; None when the district cannot be scored
    ranking_score: float | None  # the (rounded) value ranks are computed from
    rank: int | None  # None: unranked
    tied: bool
    flags: tuple[str, ...]
    rank_change: int | None  # previous rank - rank (positive = moved up)
    movement: str  # up | down | same | new | unranked
    coverage: float
    indicators: Mapping[str, IndicatorResult]  # IndicatorResults from run_race
    dimensions: dict[str, DimensionResult]
    contributions: dict[str, float]  # indicator code -> contribution; empty without a score
    contribution_scale: str  # "score" (sum to score) or "log" (sum to ln score)
    reasons: Sequence[Reason]  # StandingReasons from run_race

    def to_dict(self) -> dict[str, Any]:
        return {
            "district": self.district,
            "score": self.score,
            "ranking_score": self.ranking_score,
            "rank": self.rank,
            "tied": self.tied,
            "flags": list(self.flags),
            "rank_change": self.rank_change,
            "movement": self.movement,
            "coverage": self.coverage,
            "indicators": {code: r.to_dict() for code, r in self.indicators.items()},
            "dimensions": {code: r.to_dict() for code, r in self.dimensions.items()},
            "contributions": dict(self.contributions),
            "contribution_scale": self.contribution_scale,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


@dataclass(frozen=True)
class RaceResult:
    methodology: str  # the methodology's code
    contribution_scale: str
    standings: tuple[Standing, ...]  # by rank, unranked last, then by district code
    # Mean contribution per indicator over ranked districts (what strengths are measured by).
    group_average_contributions: dict[str, float]
    # Mean input per indicator over districts that have one.
    group_average_inputs: dict[str, float | None]

    def standing(self, district: str) -> Standing:
        for standing in self.standings:
            if standing.district == district:
                return standing
        raise KeyError(district)

    def to_dict(self) -> dict[str, Any]:
        return {
            "methodology": self.methodology,
            "contribution_scale": self.contribution_scale,
            "group_average_contributions": dict(self.group_average_contributions),
            "group_average_inputs": dict(self.group_average_inputs),
            "standings": [standing.to_dict() for standing in self.standings],
        }
