from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.scale import GROUP_CODE, RACE_CODE, SCALE_NOTE, scale_quarters
from districts.models import District, Group, Indicator, Value, ValueStatus
from rankings.models import Publication, Race, Standing
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

SIZE = {"districts": 30, "indicators": 5, "periods": 2}


def _generate(**options):
    out = StringIO()
    call_command("generate_scale", **{**SIZE, **options}, stdout=out)
    return out.getvalue()


def test_it_writes_the_asked_size_with_a_few_figures_missing():
    _generate()
    assert District.objects.filter(group__code=GROUP_CODE).count() == 30
    assert Indicator.objects.count() == 5
    assert set(Value.objects.values_list("period", flat=True)) == {"2024Q1", "2024Q2"}
    values = Value.objects.count()
    assert 0.9 * 30 * 5 * 2 <= values < 30 * 5 * 2
    assert set(Value.objects.values_list("status", flat=True)) == {ValueStatus.APPROVED}


def test_every_name_and_note_says_synthetic():
    _generate()
    first = District.objects.get(code="SYN00001")
    assert (first.name, first.name_en) == ("合成地区1", "Synthetic district 1")
    assert all("Synthetic" in name for name in District.objects.values_list("name_en", flat=True))
    assert all("合成" in name for name in District.objects.values_list("name", flat=True))
    for indicator in Indicator.objects.all():
        assert "Synthetic" in indicator.name_en and "synthetic" in indicator.source
    assert set(Value.objects.values_list("note", flat=True)) == {SCALE_NOTE}
    assert "synthetic" in Group.objects.get().name_en.lower()
    race = Race.objects.get()
    assert "synthetic" in race.name_en.lower() and "Synthetic" in race.description


def test_the_same_seed_gives_the_same_figures():
    _generate()
    first = list(
        Value.objects.order_by("district__code", "indicator__code", "period").values_list(
            "district__code", "indicator__code", "period", "value"
        )
    )
    Value.objects.all().delete()
    Race.objects.all().delete()
    District.objects.all().delete()
    Indicator.objects.all().delete()
    Group.objects.all().delete()
    _generate()
    again = list(
        Value.objects.order_by("district__code", "indicator__code", "period").values_list(
            "district__code", "indicator__code", "period", "value"
        )
    )
    assert again == first


def test_the_zscore_race_publishes_with_reasons():
    _generate()
    latest = scale_quarters(2)[-1]
    out = StringIO()
    call_command("publish", RACE_CODE, latest.code, stdout=out)
    publication = Publication.objects.get(race__code=RACE_CODE, period=latest.code)
    standings = Standing.objects.filter(publication=publication)
    assert standings.count() == 30
    assert sorted(standings.exclude(rank=None).values_list("rank", flat=True))[0] == 1
    assert all(standing.reasons for standing in standings)
    spec = Race.objects.get().current_methodology.spec
    assert {leaf["normalisation"]["method"] for leaf in _leaves(spec)} == {"zscore"}


def _leaves(node):
    for child in node.get("nodes", []):
        if "indicator" in child:
            yield child
        else:
            yield from _leaves(child)


def test_it_refuses_a_database_with_other_districts_unless_forced():
    DistrictFactory(code="220102")
    with pytest.raises(CommandError, match="Refusing"):
        _generate()
    assert not Value.objects.exists()
    _generate(force=True)
    assert District.objects.filter(group__code=GROUP_CODE).count() == 30


def test_it_never_generates_twice():
    _generate()
    with pytest.raises(CommandError, match="synthetic group"):
        _generate(force=True)
