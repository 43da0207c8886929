"""Publishing freezes standings; a correction adds a revision and keeps the old one."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from districts.models import Value
from districts.periods import Period
from rankings.errors import RaceConfigurationError
from rankings.models import ImmutableRecordError, Publication, Standing
from rankings.selectors.publications import STANDING_FIELDS
from rankings.selectors.race_previews import race_compute, standing_rows
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import build_published_race, race_spec

pytestmark = pytest.mark.django_db


def _standings(publication):
    return list(
        publication.standings.order_by("district__code").values_list(
            "district__code", "rank", "tied", "score", "flags", "contributions", "reasons"
        )
    )


def test_publishing_again_without_changes_keeps_the_same_publication():
    scene = build_published_race(periods=1)
    first = scene.publications[0]
    again = standings_publish(race=scene.race, period=scene.latest_period)
    assert not again.created
    assert again.publication.pk == first.pk
    assert Publication.objects.filter(race=scene.race).count() == 1


def test_recomputing_the_same_inputs_gives_identical_standings():
    scene = build_published_race(periods=2)
    latest = scene.publications[-1]
    preview = race_compute(race=scene.race, period=scene.latest_period)
    assert preview.fingerprint == latest.fingerprint
    recomputed = {s.district: (s.rank, s.score) for s in preview.result.standings}
    stored = {code: (rank, score) for code, rank, _, score, *_ in _standings(latest)}
    assert recomputed == stored


def test_a_value_correction_publishes_a_new_revision_and_supersedes_the_old():
    scene = build_published_race(periods=1)
    old = scene.publications[0]
    old_standings = _standings(old)
    value = Value.objects.filter(district=scene.districts[-1], period="2025Q1").first()
    value.value += Decimal("40")
    value.save()

    result = standings_publish(race=scene.race, period=scene.latest_period)

    assert result.created and result.superseded.pk == old.pk
    new = result.publication
    assert (new.revision, new.supersedes_id) == (2, old.pk)
    old.refresh_from_db()
    assert old.superseded_at is not None and not old.is_current
    assert old.superseded_by == new
    # The old revision is still readable, exactly as it was.
    assert _standings(old) == old_standings
    assert _standings(new) != old_standings


def test_a_methodology_change_publishes_a_new_revision_with_the_new_version():
    scene = build_published_race(periods=1)
    spec = race_spec(code=scene.race.code, group=scene.group.code, indicators=scene.indicators)
    spec["score"]["order"] = "lowest_first"
    version = race_load(spec=spec).version
    result = standings_publish(race=scene.race, period=scene.latest_period)
    assert result.created
    assert result.publication.methodology == version
    assert scene.publications[0].methodology.number == 1


def test_the_database_allows_only_one_current_revision_per_race_and_period():
    scene = build_published_race(periods=1)
    old = scene.publications[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.bulk_create(
            [
                Publication(
                    race=old.race,
                    period=old.period,
                    revision=2,
                    methodology=old.methodology,
                    fingerprint="x",
                )
            ]
        )


def test_published_records_refuse_to_be_edited():
    scene = build_published_race(periods=1)
    publication = scene.publications[0]
    publication.fingerprint = "tampered"
    with pytest.raises(ImmutableRecordError):
        publication.save()
    standing = Standing.objects.filter(publication=publication).first()
    standing.rank = 99
    with pytest.raises(ImmutableRecordError):
        standing.save()


def test_rank_changes_compare_with_the_previous_periods_publication():
    scene = build_published_race(periods=2)
    first, second = scene.publications
    one, two, three, four = (d.code for d in scene.districts)
    moves = {
        code: (rank, change, movement)
        for code, rank, change, movement in second.standings.values_list(
            "district__code", "rank", "rank_change", "movement"
        )
    }
    # Worked out by hand from the builder's formula: 4th, 3rd, 2nd, 1st in 2025Q1 and
    # 3rd, 1st, 2nd, 4th in 2025Q2; rank_change is the previous rank minus the new one.
    assert moves == {
        one: (3, 1, "up"),
        two: (1, 2, "up"),
        three: (2, 0, "same"),
        four: (4, -3, "down"),
    }
    assert set(first.standings.values_list("movement", flat=True)) == {"new"}


def test_reasons_cite_the_value_record_they_come_from():
    scene = build_published_race(periods=1)
    standing = scene.publications[0].standings.order_by("rank").first()
    cited = [r["params"]["ref"] for r in standing.reasons if r["kind"] == "strength"]
    assert cited, "the leader has at least one strength"
    ref = cited[0]
    value = Value.objects.get(pk=ref["value_id"])
    assert (ref["district"], ref["indicator"], ref["period"]) == (
        value.district.code,
        value.indicator.code,
        value.period,
    )
    assert Decimal(ref["value"]) == value.value


def test_the_publish_command_reports_what_it_did(capsys):
    scene = build_published_race(periods=1)
    call_command("publish", scene.race.code, "2025Q1")
    assert "unchanged" in capsys.readouterr().out
    Value.objects.filter(district=scene.districts[0], period="2025Q1").update(value=Decimal("99"))
    call_command("publish", scene.race.code, "2025q1")
    out = capsys.readouterr().out
    assert "revision 2" in out and "revision 1 is superseded" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["no-such-race", "2025Q1"], "no race"), (["test-race", "2025Q7"], "period")],
)
def test_the_publish_command_names_what_is_wrong(args, message):
    build_published_race(periods=1)
    with pytest.raises(Exception) as error:
        call_command("publish", *args)
    assert message in str(error.value)


def test_a_period_without_values_is_not_published():
    scene = build_published_race(periods=1)
    with pytest.raises(RaceConfigurationError) as error:
        standings_publish(race=scene.race, period=Period.parse("2030Q1"))
    assert "nothing to publish" in str(error.value)
    assert not Publication.objects.filter(period="2030Q1").exists()


def test_the_stored_standings_are_the_computed_ones_field_for_field():
    # PostgreSQL stores them by COPY, other databases in bulk: both must keep exactly
    # what the engine computed, citations included.
    scene = build_published_race(periods=2)
    latest = scene.publications[-1]
    preview = race_compute(race=scene.race, period=scene.latest_period)
    computed = {
        row.district.code: [getattr(row, name) for name in STANDING_FIELDS]
        for row in standing_rows(preview=preview)
    }
    stored = {
        code: list(fields)
        for code, *fields in latest.standings.values_list("district__code", *STANDING_FIELDS)
    }
    assert stored == computed


@pytest.mark.parametrize("microsecond", [0, 250_000])
def test_a_citation_gives_the_entry_time_as_isoformat_writes_it(microsecond):
    scene = build_published_race(periods=1)
    value = Value.objects.filter(period=scene.latest_period.code).first()
    entered = datetime(2025, 4, 2, 8, 30, 5, microsecond, tzinfo=UTC)
    Value.objects.filter(pk=value.pk).update(entered_at=entered, locked=False)
    preview = race_compute(race=scene.race, period=scene.latest_period)
    figure = preview.inputs.figures[value.district.code, value.indicator.code]
    assert figure.ref["entered_at"] == entered.isoformat()


def test_publishing_a_revision_records_history_only_for_figures_not_locked_before():
    scene = build_published_race(periods=1)
    period = scene.latest_period
    corrected = Value.objects.filter(period=period.code).first()
    Value.objects.filter(pk=corrected.pk).update(locked=False, value=Decimal("99"))
    histories_before = {v.pk: v.history.count() for v in Value.objects.filter(period=period.code)}
    result = standings_publish(race=scene.race, period=period)
    assert result.created and result.publication.revision == 2
    grown = {
        v.pk
        for v in Value.objects.filter(period=period.code)
        if v.history.count() > histories_before[v.pk]
    }
    assert grown == {corrected.pk}
    assert Value.objects.get(pk=corrected.pk).locked


@pytest.mark.parametrize("failing", ["rows", "lock"])
def test_a_publish_that_fails_half_way_leaves_nothing_behind(failing, monkeypatch):
    """On PostgreSQL the standings' rows are made in a worker thread while the cited figures
    are locked: a failure in either undoes both, the publication with them."""
    import rankings.services.publishing as publishing

    scene = build_published_race(periods=1)
    period = scene.latest_period
    corrected = Value.objects.filter(period=period.code).first()
    Value.objects.filter(period=period.code).update(locked=False)
    Value.objects.filter(pk=corrected.pk).update(value=Decimal("99"))

    def broken(*args, **kwargs):
        raise RuntimeError(f"{failing} failed")

    monkeypatch.setattr(
        publishing, "_standing_copy_rows" if failing == "rows" else "values_lock", broken
    )
    if failing == "rows":
        # The other databases write the standings in bulk, without the worker.
        monkeypatch.setattr(publishing, "standing_rows", broken)
    with pytest.raises(RuntimeError, match=f"{failing} failed"):
        standings_publish(race=scene.race, period=period)
    assert Publication.objects.filter(race=scene.race).count() == 1
    assert not Publication.objects.get(race=scene.race).superseded_at
    assert not Value.objects.filter(period=period.code, locked=True).exists()
