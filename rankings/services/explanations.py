"""Writes: the explanations stored with a publication, so that pages read them and never
re-run a race (docs/explanations.md, "Stored with a publication").

Per district: the rank interval (one Monte Carlo run ranks every district at once, with
the methodology's [robustness] settings and the fixed seed STORED_SEED, recorded with
each interval), the changes of one own figure that would overtake the district just above
(overtake only: `manage.py explain` still gives hold), and the parts of the score change
since the previous period's publication. The versus parts need nothing stored: they are
differences of the standings' own contributions.

Publishing stores every part for races up to settings.SAIMA_EXPLANATIONS_AT_PUBLISH_MAX
districts × indicators, only the rank intervals up to SAIMA_INTERVALS_AT_PUBLISH_MAX
(nothing above it); `manage.py store_explanations RACE PERIOD`
stores them afterwards for a larger race, or for a publication made before they were
stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from districts.periods import Period
from rankings.engine import (
    RaceSetup,
    neighbours,
    parse_methodology,
    rank_intervals,
)
from rankings.engine.overtaking import changes_each
from rankings.engine.rank_change import rank_change_parts_each
from rankings.leaderboard_cache import state_changed
from rankings.models import Publication, StandingExplanation
from rankings.selectors.explanations import explanation_setups

STORED_SEED = 0
# 40 districts × 20 indicators: publishing then stays under about 2 s with every part
# stored (docs/explanations.md, "At publish"); the setting overrides it.
DEFAULT_AT_PUBLISH_MAX = 800
# Up to 100 districts × 20 indicators (a province) publishing still stores the rank
# intervals, the cheap part (0.04 s at 100 × 20), which the leaderboard's "statistically
# tied" marks read; the rest then waits for `manage.py store_explanations`.
DEFAULT_INTERVALS_AT_PUBLISH_MAX = 2_000


def at_publish_max() -> int:
    return int(getattr(settings, "SAIMA_EXPLANATIONS_AT_PUBLISH_MAX", DEFAULT_AT_PUBLISH_MAX))


def intervals_at_publish_max() -> int:
    return int(
        getattr(settings, "SAIMA_INTERVALS_AT_PUBLISH_MAX", DEFAULT_INTERVALS_AT_PUBLISH_MAX)
    )


def store_rank_intervals(
    publication: Publication, *, setup: RaceSetup, result, districts: dict
) -> int:
    """Store only the rank intervals, marked incomplete. Returns how many rows were stored."""
    intervals = rank_intervals(setup, seed=STORED_SEED, result=result)
    rows = [
        StandingExplanation(
            publication=publication,
            district=districts[s.district],
            rank_interval=intervals[s.district].to_dict() if s.district in intervals else None,
            complete=False,
        )
        for s in result.standings
    ]
    StandingExplanation.objects.bulk_create(rows)
    state_changed()  # bulk_create sends no post_save; the leaderboard shows these rows
    return len(rows)


@transaction.atomic
def store_explanations(publication: Publication) -> int:
    """Compute and store every part for every district of the publication, replacing any
    incomplete rows (only the rank intervals, as publishing stored them before it stored
    everything). Idempotent: a publication whose explanations are complete is left as it
    is. Returns how many rows were stored (0 when nothing was to do)."""
    if (
        StandingExplanation.objects.filter(publication=publication, complete=True).exists()
        and not StandingExplanation.objects.filter(publication=publication, complete=False).exists()
    ):
        return 0
    race = publication.race
    setups = explanation_setups(race=race, period=Period.parse(publication.period))
    if setups.publication is None or setups.publication.pk != publication.pk:
        raise ValueError(f"publication {publication} is not the current one of its period")
    setup = setups.setup
    result = setup.run()
    intervals = rank_intervals(setup, seed=STORED_SEED, result=result)
    scored = [s.district for s in result.standings if s.score is not None]
    changes = (
        rank_change_parts_each(
            districts=scored,
            before=setups.before,
            after=setup,
            previous_period=setups.previous_period,
            after_result=result,
        )
        if setups.before is not None
        else {}
    )
    pairs = {}
    for standing in result.standings:
        if standing.score is not None:
            above, _ = neighbours(result, standing.district)
            if above is not None:
                pairs[standing.district] = above
    # Every district's searches advance in step (engine/figure_tries.py).
    overtakes = changes_each(setup, pairs=pairs, valid_ranges=setups.valid_ranges, overtake=True)
    rows = []
    for standing in result.standings:
        code = standing.district
        overtake = [change.to_dict() for change in overtakes[code]] if code in overtakes else None
        change = changes.get(code)
        rows.append(
            StandingExplanation(
                publication=publication,
                district=setups.districts[code],
                rank_interval=intervals[code].to_dict() if code in intervals else None,
                overtake=overtake,
                rank_change=change.to_dict() if change is not None else None,
                complete=True,
            )
        )
    StandingExplanation.objects.filter(publication=publication).delete()
    StandingExplanation.objects.bulk_create(rows)
    state_changed()  # bulk_create sends no post_save; the leaderboard shows these rows
    return len(rows)


def explanations_at_publish(*, publication: Publication, preview) -> None:
    """What publishing stores: every part (store_explanations) for races up to
    at_publish_max() districts × indicators; only the rank intervals up to
    intervals_at_publish_max(); nothing above (`manage.py store_explanations` afterwards).
    Measured in docs/explanations.md."""
    result = preview.result
    methodology = parse_methodology(preview.version.spec)
    size = len(result.standings) * len(methodology.indicator_codes)
    if size <= at_publish_max():
        store_explanations(publication)
    elif size <= intervals_at_publish_max():
        inputs = preview.inputs
        setup = RaceSetup(methodology, inputs.entrants, inputs.figures, inputs.indicator_infos)
        store_rank_intervals(publication, setup=setup, result=result, districts=inputs.districts)
