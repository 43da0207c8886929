"""Reads: a race computed for a period from the approved values, without storing anything.

A preview page shows this; publishing stores it. Computing only reads, so it lives here and
the publishing service calls it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from districts.periods import Period
from districts.rollup import RollUp
from rankings.engine import Methodology, RaceResult, parse_methodology, run_race
from rankings.entered_values import EnteredValues, engine_entered_values, indicators_details
from rankings.errors import RaceConfigurationError
from rankings.models import MethodologyVersion, Publication, Race, Standing
from rankings.selectors.publications import previous_standings, publication_current
from rankings.selectors.race_inputs import RaceInputs, race_inputs


@dataclass(frozen=True)
class PreparedRace:
    """A race's inputs for a period, read and fingerprinted but not yet computed."""

    race: Race
    period: Period
    version: MethodologyVersion
    methodology: Methodology
    inputs: RaceInputs
    fingerprint: str
    previous_publication: Publication | None


@dataclass(frozen=True)
class RacePreview:
    """A computed race that is not (or not yet) published."""

    race: Race
    period: Period
    version: MethodologyVersion
    inputs: RaceInputs
    result: RaceResult
    fingerprint: str
    previous_publication: Publication | None


def race_prepare(*, race: Race, period: Period) -> PreparedRace:
    """Read and fingerprint what decides the race's standings, without computing them:
    whoever only needs to know whether they would change stops here."""
    version = race.current_methodology
    if version is None:
        raise RaceConfigurationError([f"race {race.code!r} has no methodology yet"])
    methodology = parse_methodology(version.spec)
    inputs = race_inputs(race=race, period=period, methodology=methodology)
    previous_publication = publication_current(race=race, period=period.previous())
    missing = sorted(set(methodology.indicator_codes) - inputs.indicators.keys())
    if missing:
        # The methodology was checked when loaded; an indicator removed since is named here.
        raise RaceConfigurationError([f"indicator {code!r}: no such indicator" for code in missing])
    fingerprint = inputs_fingerprint(
        version=version, period=period, inputs=inputs, previous=previous_publication
    )
    return PreparedRace(
        race, period, version, methodology, inputs, fingerprint, previous_publication
    )


def race_run(prepared: PreparedRace) -> RacePreview:
    """Compute the standings of a prepared race."""
    result = run_race(
        prepared.methodology,
        entrants=prepared.inputs.entrants,
        figures=prepared.inputs.figures,
        indicators=prepared.inputs.indicator_infos,
        previous=previous_standings(publication=prepared.previous_publication),
    )
    return RacePreview(
        prepared.race,
        prepared.period,
        prepared.version,
        prepared.inputs,
        result,
        prepared.fingerprint,
        prepared.previous_publication,
    )


def race_compute(*, race: Race, period: Period) -> RacePreview:
    return race_run(race_prepare(race=race, period=period))


def inputs_fingerprint(
    *,
    version: MethodologyVersion,
    period: Period,
    inputs: RaceInputs,
    previous: Publication | None,
) -> str:
    """A SHA-256 of everything that decides the standings, so a re-run can be recognised."""
    figures = sorted(
        [district, indicator, figure.value, figure.last_year, figure.target, figure.year_share]
        for (district, indicator), figure in inputs.figures.items()
    )
    payload = {
        "methodology": version.spec,
        "version": [version.race_id, version.number],
        "period": period.code,
        "entrants": list(inputs.entrants),
        "directions": {code: i.direction for code, i in sorted(inputs.indicators.items())},
        "figures": figures,
        "previous": previous.pk if previous else None,
    }
    rolled_up = _rolled_up_records(inputs)
    if rolled_up:  # only then, so the fingerprints of races that roll nothing up stay
        payload["rolled_up"] = rolled_up
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _rolled_up_records(inputs: RaceInputs) -> list:
    """The monthly records behind each rolled-up figure (and the months it lacked): a
    corrected month changes what its figure cites even where the figure stays the same."""
    if all(indicator.roll_up == RollUp.NONE for indicator in inputs.indicators.values()):
        return []  # nothing rolls up: spare a national race's 110,000 figures the look
    return sorted(
        [
            district,
            indicator,
            [[m["period"], m["value_id"], m["value"]] for m in figure.ref.get("months", ())],
            list(figure.ref.get("missing_months", ())),
        ]
        for (district, indicator), figure in inputs.figures.items()
        if figure.ref is not None and "roll_up" in figure.ref
    )


def standing_rows(
    *, preview: RacePreview, publication: Publication | None = None
) -> list[Standing]:
    """The engine's standings as Standing rows: saved when published, shown as a preview."""
    ranked = preview_entered_values(preview)
    rows = []
    standings = preview.result.standings
    for standing, details in zip(standings, indicators_details(standings, ranked), strict=True):
        rows.append(
            Standing(
                publication=publication,
                district=preview.inputs.districts[standing.district],
                rank=standing.rank,
                tied=standing.tied,
                score=standing.score,
                ranking_score=standing.ranking_score,
                coverage=standing.coverage,
                flags=list(standing.flags),
                rank_change=standing.rank_change,
                movement=standing.movement,
                contributions=dict(standing.contributions),
                indicators=details,
                reasons=[reason.to_dict() for reason in standing.reasons],
            )
        )
    return rows


def preview_entered_values(preview: RacePreview) -> EnteredValues:
    """The entered figures of the computed race ranked per indicator (stored when published)."""
    directions = {code: i.direction for code, i in preview.inputs.indicators.items()}
    return engine_entered_values(preview.result.standings, directions)


def publication_inputs_changed(*, publication: Publication) -> bool:
    """Whether publishing the race for the period again would add a revision.

    True when an approved figure, the methodology or the previous period's publication has
    changed since ``publication`` was computed (for example after a return was reopened and
    corrected). Reads every input of the race, so it is asked for the bureau's view only.
    """
    try:
        prepared = race_prepare(race=publication.race, period=Period.parse(publication.period))
    except RaceConfigurationError:
        return False
    return prepared.fingerprint != publication.fingerprint
