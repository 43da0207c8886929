"""Reads: the district page's explanation sections ("Why here", "What it takes", "Since last
period") from what the publication stored (docs/explanations.md): the standings'
contributions and the StandingExplanation row. No race is run; three queries whatever the
size of the race."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from districts.models import Indicator
from rankings.models import Publication, Standing, StandingExplanation

# How many reachable changes "What it takes" lists.
TAKES = 3


@dataclass(frozen=True)
class GapPart:
    indicator: Indicator
    part: float  # this district's contribution minus the other's


@dataclass(frozen=True)
class Gap:
    """Against one neighbour: the difference split per indicator, largest first."""

    other: Standing
    above: bool  # the other is ranked above
    score_difference: float
    parts: list[GapPart]

    @property
    def opening(self) -> list[GapPart]:
        return [p for p in self.parts if p.part > 0]

    @property
    def closing(self) -> list[GapPart]:
        return [p for p in self.parts if p.part < 0]


@dataclass(frozen=True)
class Take:
    indicator: Indicator
    value: float | None
    needed: float
    change: float

    @property
    def change_text(self) -> str:
        """The change at the indicator's decimals, rounded AWAY from zero so that the stated
        change still reaches the goal (the exact one is in `change`)."""
        decimals = self.indicator.decimals
        scale = 10**decimals
        # At least one unit of the last decimal: a tiny change does not read as +0.0.
        size = max(math.ceil(abs(self.change) * scale - 1e-9), 1) / scale
        return f"{math.copysign(size, self.change):+.{decimals}f}"


@dataclass(frozen=True)
class SinceLast:
    previous_period: str
    score_change: float
    own: float
    own_parts: list[GapPart]
    others: float
    methodology: float


@dataclass
class ExplanationSections:
    stored: bool  # False: the publication was made before explanations were stored
    complete: bool = False  # False: only the rank interval was stored at publish
    gaps: list[Gap] = field(default_factory=list)
    rival: Standing | None = None  # the district just above
    takes: list[Take] | None = None  # None: not stored (yet) or nobody above
    unreachable: bool = False  # stored, somebody above, no change of one figure reaches it
    since: SinceLast | None = None
    interval: dict | None = None


def _neighbour(publication: Publication, standing: Standing, *, above: bool) -> Standing | None:
    if above:
        found = publication.standings.filter(rank__lt=standing.rank).order_by(
            "-rank", "district__code"
        )
    else:
        found = publication.standings.filter(rank__gt=standing.rank).order_by(
            "rank", "district__code"
        )
    return found.select_related("district").first()


def _amount(score: float, scale: str) -> float:
    return math.log(score) if scale == "log" and score > 0 else score


def _gap(
    publication: Publication,
    standing: Standing,
    other: Standing,
    indicators: dict[str, Indicator],
    *,
    above: bool,
) -> Gap:
    theirs = other.contributions or {}
    parts = [
        GapPart(indicators[code], mine - theirs.get(code, 0.0))
        for code, mine in (standing.contributions or {}).items()
        if code in indicators
    ]
    parts.sort(key=lambda p: -abs(p.part))
    scale = publication.contribution_scale
    return Gap(
        other=other,
        above=above,
        score_difference=_amount(standing.score, scale) - _amount(other.score, scale),
        parts=parts,
    )


def _relative(change: dict) -> float:
    value = change.get("value")
    return abs(change["change"]) / abs(value) if value else abs(change["change"])


def explanation_sections(
    *, publication: Publication, standing: Standing | None, indicators: dict[str, Indicator]
) -> ExplanationSections | None:
    """None for a district without a rank in the publication."""
    if standing is None or standing.rank is None or standing.score is None:
        return None
    row = StandingExplanation.objects.filter(
        publication=publication, district_id=standing.district_id
    ).first()
    sections = ExplanationSections(stored=row is not None)
    above = _neighbour(publication, standing, above=True)
    below = _neighbour(publication, standing, above=False)
    for other, is_above in ((above, True), (below, False)):
        if other is not None and other.score is not None:
            sections.gaps.append(_gap(publication, standing, other, indicators, above=is_above))
    sections.rival = above
    if row is None:
        return sections
    sections.interval = row.rank_interval
    sections.complete = row.complete
    if above is not None and row.overtake is not None:
        reachable = sorted(
            (c for c in row.overtake if c["reachable"] and c["indicator"] in indicators),
            key=_relative,
        )
        sections.takes = [
            Take(indicators[c["indicator"]], c["value"], c["needed"], c["change"])
            for c in reachable[:TAKES]
        ]
        sections.unreachable = not reachable
    change = row.rank_change
    if change is not None:
        sections.since = SinceLast(
            previous_period=change["previous_period"],
            score_change=change["score_change"],
            own=math.fsum(change["own"].values()),
            own_parts=[
                GapPart(indicators[code], part)
                for code, part in change["own"].items()
                if code in indicators and part
            ][:TAKES],
            others=change["others"],
            methodology=change["methodology"],
        )
    return sections
