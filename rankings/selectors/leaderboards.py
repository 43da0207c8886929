"""Reads for the home page, the leaderboards and the methodology page.

Every function here runs a fixed number of queries, whatever the number of districts,
periods or races: pages built on them must not slow down as the city adds units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from districts.models import Group, Indicator, Value
from districts.periods import Period, PeriodError
from rankings.methodology_text import spec_leaves
from rankings.models import (
    MethodologyVersion,
    Publication,
    Race,
    Standing,
    StandingExplanation,
    is_monthly_review,
)
from rankings.selectors.explanations import StoredInterval
from rankings.selectors.race_previews import race_compute, standing_rows

# How many districts the home page shows at each end of a leaderboard and among the movers.
HOME_SHOWN = 3


def period_sorted(codes: Iterable[str], *, newest_first: bool = True) -> list[str]:
    """Period codes in time order; string order would put 2025-03 after 2025Q4."""
    periods = set()
    for code in codes:
        try:
            periods.add(Period.parse(code))
        except PeriodError:
            continue
    return [p.code for p in sorted(periods, reverse=newest_first)]


def race_find(*, code: str) -> Race | None:
    return Race.objects.select_related("group").filter(code=code).first()


# --- home ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceSummary:
    """One race on the home page: the ends of its leaderboard and its biggest movers."""

    race: Race
    publication: Publication | None
    top: list[Standing] = field(default_factory=list)
    bottom: list[Standing] = field(default_factory=list)
    risers: list[Standing] = field(default_factory=list)
    fallers: list[Standing] = field(default_factory=list)
    unranked: int = 0


@dataclass(frozen=True)
class GroupSummary:
    group: Group
    races: list[RaceSummary]


@dataclass(frozen=True)
class HomeOverview:
    groups: list[GroupSummary]
    periods: list[str]  # periods with at least one current publication, newest first
    period: str | None  # the period asked for, None for each race's latest
    # Each race's latest monthly review (a month's lighter publication), listed apart from
    # the races' quarterly leaderboards, newest first.
    monthly_reviews: list[Publication] = field(default_factory=list)


def home_overview(*, period: Period | None = None) -> HomeOverview:
    """Each group's active races with their latest current publication (or ``period``'s)."""
    groups = list(
        Group.objects.prefetch_related(Prefetch("races", queryset=Race.objects.filter(active=True)))
    )
    races = [race for group in groups for race in group.races.all()]
    current = list(
        Publication.objects.filter(race__in=races, superseded_at__isnull=True).only(
            "pk", "race_id", "period", "revision", "published_at"
        )
    )
    by_race: dict[int, dict[str, Publication]] = defaultdict(dict)
    for publication in current:
        by_race[publication.race_id][publication.period] = publication
    chosen: dict[int, Publication] = {}
    latest_reviews: list[Publication] = []
    for race_id, publications in by_race.items():
        reviews = [code for code in publications if is_monthly_review(code)]
        if reviews:
            latest_reviews.append(publications[period_sorted(reviews)[0]])
        # Each race's latest is its quarterly race; a monthly review only if asked for.
        races_published = [code for code in publications if code not in reviews]
        if period:
            code = period.code
        elif races_published:
            code = period_sorted(races_published)[0]
        else:
            continue
        if code in publications:
            chosen[race_id] = publications[code]
    standings: dict[int, list[Standing]] = defaultdict(list)
    # The home page shows places and scores only; leave the bulky explanations behind.
    rows = (
        Standing.objects.filter(publication__in=chosen.values())
        .select_related("district")
        .defer("indicators", "contributions", "reasons")
    )
    for standing in rows:
        standings[standing.publication_id].append(standing)
    summaries = {
        race.pk: _race_summary(
            race,
            chosen.get(race.pk),
            standings.get(chosen[race.pk].pk, []) if race.pk in chosen else [],
        )
        for race in races
    }
    return HomeOverview(
        groups=[
            GroupSummary(group, [summaries[race.pk] for race in group.races.all()])
            for group in groups
        ],
        periods=period_sorted({p.period for p in current}),
        period=period.code if period else None,
        monthly_reviews=_monthly_reviews_newest_first(latest_reviews, races),
    )


def _monthly_reviews_newest_first(
    reviews: list[Publication], races: list[Race]
) -> list[Publication]:
    race_of = {race.pk: race for race in races}
    order = {race.pk: n for n, race in enumerate(races)}
    for review in reviews:
        review.race = race_of[review.race_id]  # already read: no query per review
    newest = {code: n for n, code in enumerate(period_sorted(r.period for r in reviews))}
    return sorted(reviews, key=lambda r: (newest[r.period], order[r.race_id]))


def _race_summary(
    race: Race, publication: Publication | None, standings: Sequence[Standing]
) -> RaceSummary:
    if publication is None:
        return RaceSummary(race, None)
    ranked = sorted((s for s in standings if s.rank is not None), key=_by_rank)
    moved = [s for s in ranked if s.rank_change]
    return RaceSummary(
        race,
        publication,
        top=ranked[:HOME_SHOWN],
        # The last few, without repeating any already among the top.
        bottom=ranked[max(HOME_SHOWN, len(ranked) - HOME_SHOWN) :],
        risers=sorted(
            (s for s in moved if s.rank_change > 0), key=lambda s: (-s.rank_change, _by_rank(s))
        )[:HOME_SHOWN],
        fallers=sorted(
            (s for s in moved if s.rank_change < 0), key=lambda s: (s.rank_change, _by_rank(s))
        )[:HOME_SHOWN],
        unranked=len(standings) - len(ranked),
    )


def _by_rank(standing: Standing) -> tuple:
    return (standing.rank, standing.district.order, standing.district.code)


# --- leaderboard --------------------------------------------------------------------


@dataclass(frozen=True)
class Leaderboard:
    """A race's standings for one period: a publication (any revision) or an unsaved preview.

    ``standings`` is a queryset for a publication (so tables can sort and filter in the
    database) and a list of unsaved ``Standing`` rows for a preview.
    """

    race: Race
    period: Period
    methodology: MethodologyVersion
    indicators: list[Indicator]  # in the methodology's tree order
    standings: QuerySet[Standing] | list[Standing]
    kinds: list[str]  # the district kinds present, for the kind filter
    periods: list[str]  # the race's published periods, newest first
    publication: Publication | None = None
    revisions: list[Publication] = field(default_factory=list)  # of this period, newest first
    superseded_by: Publication | None = None
    is_preview: bool = False

    @property
    def contribution_scale(self) -> str:
        return self.publication.contribution_scale if self.publication else "score"


def race_periods_published(*, race: Race) -> list[str]:
    return period_sorted(
        Publication.objects.filter(race=race, superseded_at__isnull=True).values_list(
            "period", flat=True
        )
    )


def _indicators_in_order(spec: dict) -> list[Indicator]:
    codes = [leaf["indicator"] for leaf in spec_leaves(spec.get("nodes", []))]
    found = Indicator.objects.in_bulk(codes, field_name="code")
    return [found[code] for code in codes if code in found]


def leaderboard_get(
    *, race: Race, period: Period, revision: int | None = None
) -> Leaderboard | None:
    """The current publication of the period, or the given revision; None if there is none."""
    revisions = list(
        Publication.objects.filter(race=race, period=period.code)
        .select_related("methodology", "published_by")
        .order_by("-revision")
    )
    if revision is None:
        publication = next((p for p in revisions if p.is_current), None)
    else:
        publication = next((p for p in revisions if p.revision == revision), None)
    if publication is None:
        return None
    standings = publication.standings.select_related("district").order_by(
        "rank", "district__order", "district__code"
    )
    return Leaderboard(
        race=race,
        period=period,
        methodology=publication.methodology,
        indicators=_indicators_in_order(publication.methodology.spec),
        standings=standings,
        kinds=sorted(set(standings.order_by().values_list("district__kind", flat=True).distinct())),
        periods=race_periods_published(race=race),
        publication=publication,
        revisions=revisions,
        superseded_by=next((p for p in revisions if p.supersedes_id == publication.pk), None),
    )


def leaderboard_preview(*, race: Race, period: Period) -> Leaderboard:
    """The standings the race would publish now, computed and not stored.

    Raises RaceConfigurationError when the race has no methodology.
    """
    preview = race_compute(race=race, period=period)
    return Leaderboard(
        race=race,
        period=period,
        methodology=preview.version,
        indicators=_indicators_in_order(preview.version.spec),
        standings=standing_rows(preview=preview),
        kinds=sorted({d.kind for d in preview.inputs.districts.values()}),
        periods=race_periods_published(race=race),
        is_preview=True,
    )


@dataclass(frozen=True)
class LeaderboardGroup:
    """What one page of a leaderboard needs to know about the whole race beyond its own
    rows: how many districts stand in it (the heat map's fifths of an indicator's ranks),
    how many are ranked (the top and bottom halves), and which districts are statistically
    tied with a neighbour (by district id, with their stored rank interval)."""

    standings: int
    ranked: int
    ties: dict[int, StoredInterval] = field(default_factory=dict)


def leaderboard_group(*, board: Leaderboard) -> LeaderboardGroup:
    """The race-wide facts of a leaderboard: two queries for a publication, whatever its
    size; none for a preview, which has no stored rank intervals (a page never runs the
    robustness analysis itself)."""
    if board.publication is None:
        standings = list(board.standings)
        return LeaderboardGroup(
            standings=len(standings), ranked=sum(s.rank is not None for s in standings)
        )
    counts = Standing.objects.filter(publication=board.publication).aggregate(
        standings=Count("pk"), ranked=Count("rank")
    )
    return LeaderboardGroup(
        standings=counts["standings"],
        ranked=counts["ranked"],
        ties=publication_statistical_ties(board.publication),
    )


def _overlap(one: dict, other: dict) -> bool:
    return one["rank_low"] <= other["rank_high"] and other["rank_low"] <= one["rank_high"]


def publication_statistical_ties(publication: Publication) -> dict[int, StoredInterval]:
    """The districts whose stored rank interval overlaps that of a district ranked next to
    them (at the nearest better or worse rank), by district id, with their interval; empty
    for a publication stored without intervals (one query).

    Two such districts are not clearly different: the robustness analysis puts either one
    above the other in some of its draws (docs/explanations.md)."""
    rank = Standing.objects.filter(
        publication_id=publication.pk, district_id=OuterRef("district_id")
    ).values("rank")[:1]
    rows = (
        StandingExplanation.objects.filter(publication=publication, rank_interval__isnull=False)
        .annotate(rank=Subquery(rank))
        .values_list("district_id", "rank", "rank_interval")
    )
    by_rank: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    for district_id, place, interval in rows:
        if place is not None:
            by_rank[place].append((district_id, interval))
    places = sorted(by_rank)
    ties = {}
    for n, place in enumerate(places):
        neighbours = [
            interval
            for near in places[max(n - 1, 0) : n + 2]
            if near != place
            for _, interval in by_rank[near]
        ]
        for district_id, interval in by_rank[place]:
            if any(_overlap(interval, other) for other in neighbours):
                ties[district_id] = StoredInterval(
                    rank_low=interval["rank_low"],
                    rank_high=interval["rank_high"],
                    rank_median=interval["rank_median"],
                    draws=interval["draws"],
                    seed=interval["seed"],
                )
    return ties


def period_latest_with_values(*, race: Race) -> Period | None:
    """The latest period for which the race's districts have entered any value."""
    codes = (
        Value.objects.filter(district__group_id=race.group_id, district__active=True)
        .values_list("period", flat=True)
        .distinct()
    )
    latest = period_sorted(codes)
    return Period.parse(latest[0]) if latest else None


def publication_latest(*, race: Race) -> Publication | None:
    """The race's current publication for its most recent published period: its latest
    quarter (or year) when it has one, a monthly review only when it has nothing else."""
    periods = race_periods_published(race=race)
    if not periods:
        return None
    periods = [code for code in periods if not is_monthly_review(code)] or periods
    return Publication.objects.filter(
        race=race, period=periods[0], superseded_at__isnull=True
    ).first()


# --- methodology --------------------------------------------------------------------


@dataclass(frozen=True)
class VersionUse:
    """A methodology version and the publications computed with it, newest first."""

    version: MethodologyVersion
    publications: list[Publication]


@dataclass(frozen=True)
class MethodologyPage:
    race: Race
    version: MethodologyVersion
    versions: list[VersionUse]  # newest first
    indicators: dict[str, Indicator]


def methodology_get(*, race: Race, version: int | None = None) -> MethodologyPage | None:
    """A race's methodology version (the newest by default) and the list of all versions."""
    versions = list(
        MethodologyVersion.objects.filter(race=race)
        .select_related("created_by")
        .prefetch_related("publications")
        .order_by("-number")
    )
    if version is None:
        chosen = versions[0] if versions else None
    else:
        chosen = next((v for v in versions if v.number == version), None)
    if chosen is None:
        return None
    codes = [leaf["indicator"] for leaf in spec_leaves(chosen.spec.get("nodes", []))]
    return MethodologyPage(
        race=race,
        version=chosen,
        versions=[VersionUse(v, _newest_first(v.publications.all())) for v in versions],
        indicators=Indicator.objects.in_bulk(codes, field_name="code"),
    )


def _newest_first(publications: Iterable[Publication]) -> list[Publication]:
    order = {code: i for i, code in enumerate(period_sorted(p.period for p in publications))}
    return sorted(publications, key=lambda p: (order.get(p.period, len(order)), -p.revision))
