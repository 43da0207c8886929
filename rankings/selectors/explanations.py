"""Reads: one district's explanation in a race and period (docs/explanations.md).

The race is run again from the approved figures with the methodology of the period's
publication (the race's current methodology when the period is not published yet), and
the previous period's publication is run again the same way for the rank change. A
publication locks the figures it cites, so the runs reproduce what was published.
"""

from __future__ import annotations

from dataclasses import dataclass

from districts.models import District, Indicator
from districts.periods import Period
from rankings.engine import (
    Explanation,
    Methodology,
    RaceSetup,
    ValidRange,
    explain_district,
    parse_methodology,
)
from rankings.errors import RaceConfigurationError
from rankings.models import MethodologyVersion, Publication, Race, StandingExplanation
from rankings.selectors.publications import publication_current
from rankings.selectors.race_inputs import RaceInputs, race_inputs


@dataclass(frozen=True)
class DistrictExplanation:
    """An explanation with what a reader needs to name things in it."""

    race: Race
    period: Period
    version: MethodologyVersion
    publication: Publication | None  # None: a preview of an unpublished period
    explanation: Explanation
    districts: dict[str, District]
    indicators: dict[str, Indicator]


def _methodology_version(race: Race, publication: Publication | None) -> MethodologyVersion:
    version = publication.methodology if publication is not None else race.current_methodology
    if version is None:
        raise RaceConfigurationError([f"race {race.code!r} has no methodology yet"])
    return version


def _checked_inputs(*, race: Race, period: Period, methodology: Methodology) -> RaceInputs:
    inputs = race_inputs(race=race, period=period, methodology=methodology)
    missing = sorted(set(methodology.indicator_codes) - inputs.indicators.keys())
    if missing:
        raise RaceConfigurationError([f"indicator {code!r}: no such indicator" for code in missing])
    return inputs


def _valid_range(indicator: Indicator) -> ValidRange:
    return ValidRange(
        min=float(indicator.min_value) if indicator.min_value is not None else None,
        max=float(indicator.max_value) if indicator.max_value is not None else None,
    )


@dataclass(frozen=True)
class ExplanationSetups:
    """The races an explanation runs: this period's (with the previous methodology's
    figures of this period too) and the previous period's publication, when there is one."""

    version: MethodologyVersion
    publication: Publication | None
    setup: RaceSetup
    before: RaceSetup | None
    previous_period: str | None
    valid_ranges: dict[str, ValidRange]
    districts: dict[str, District]
    indicators: dict[str, Indicator]


def explanation_setups(*, race: Race, period: Period) -> ExplanationSetups:
    """Read what explaining any district of the race in the period needs (see the module
    docstring). Raises RaceConfigurationError for a race that cannot be run."""
    publication = publication_current(race=race, period=period)
    version = _methodology_version(race, publication)
    methodology = parse_methodology(version.spec)
    inputs = _checked_inputs(race=race, period=period, methodology=methodology)
    figures = dict(inputs.figures)
    indicators = dict(inputs.indicators)

    before = None
    previous_period = period.previous()
    previous_publication = publication_current(race=race, period=previous_period)
    if previous_publication is not None:
        earlier = parse_methodology(previous_publication.methodology.spec)
        earlier_inputs = _checked_inputs(race=race, period=previous_period, methodology=earlier)
        if earlier != methodology:
            # The previous methodology is also run on this period's figures (rank_change):
            # read those of its indicators this methodology does not have.
            for key, figure in race_inputs(
                race=race, period=period, methodology=earlier
            ).figures.items():
                figures.setdefault(key, figure)
            indicators = {**earlier_inputs.indicators, **indicators}
        before = RaceSetup(
            earlier,
            earlier_inputs.entrants,
            earlier_inputs.figures,
            earlier_inputs.indicator_infos,
        )
    infos = {**(before.indicators if before else {}), **inputs.indicator_infos}
    return ExplanationSetups(
        version=version,
        publication=publication,
        setup=RaceSetup(methodology, inputs.entrants, figures, infos),
        before=before,
        previous_period=previous_period.code if before is not None else None,
        valid_ranges={code: _valid_range(i) for code, i in inputs.indicators.items()},
        districts=inputs.districts,
        indicators=indicators,
    )


def district_explanation(
    *,
    race: Race,
    period: Period,
    district: str,
    versus: str | None = None,
    draws: int | None = None,
    seed: int = 0,
) -> DistrictExplanation:
    """Explain `district` (a code) in the race for the period.

    Raises RaceConfigurationError for a race that cannot be run, and the engine's
    ExplanationError (whose `argument` is "district" or "versus") for a district that is
    not in the race or has no score.
    """
    setups = explanation_setups(race=race, period=period)
    explanation = explain_district(
        setups.setup,
        district=district,
        versus=versus,
        valid_ranges=setups.valid_ranges,
        previous=setups.before,
        previous_period=setups.previous_period,
        draws=draws,
        seed=seed,
    )
    return DistrictExplanation(
        race=race,
        period=period,
        version=setups.version,
        publication=setups.publication,
        explanation=explanation,
        districts=setups.districts,
        indicators=setups.indicators,
    )


@dataclass(frozen=True)
class StoredInterval:
    """A district's rank interval as stored with a publication (RankInterval's fields)."""

    rank_low: int
    rank_high: int
    rank_median: int
    draws: int
    seed: int


def publication_rank_intervals(publication: Publication) -> dict[str, StoredInterval]:
    """The stored rank interval of each ranked district of the publication, by district
    code; empty for a publication stored before explanations were (one query)."""
    rows = StandingExplanation.objects.filter(
        publication=publication, rank_interval__isnull=False
    ).values_list("district__code", "rank_interval")
    return {
        code: StoredInterval(
            rank_low=interval["rank_low"],
            rank_high=interval["rank_high"],
            rank_median=interval["rank_median"],
            draws=interval["draws"],
            seed=interval["seed"],
        )
        for code, interval in rows
    }


def publication_district_explanation(
    publication: Publication, district: District
) -> StandingExplanation | None:
    """The stored explanation of one district of the publication (None: not stored)."""
    return StandingExplanation.objects.filter(publication=publication, district=district).first()
