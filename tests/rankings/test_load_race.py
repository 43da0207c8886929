"""Races come from a methodology file; loading the same file again changes nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from demo.city import DEMO_RACE_FILES
from rankings.methodology_files import methodology_from_file, methodology_from_toml
from rankings.models import MethodologyVersion, Race
from tests.factories import GroupFactory, IndicatorFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data" / "races"


@pytest.fixture
def demo_reference_data():
    """The groups and indicators the demo race files refer to."""
    GroupFactory(code="counties")
    spec = methodology_from_file(DEMO_RACE_FILES[0])
    for node in spec["nodes"]:
        for leaf in node["nodes"]:
            IndicatorFactory(code=leaf["indicator"])


def test_loading_a_file_creates_the_race_and_version_one(demo_reference_data, capsys):
    call_command("load_race", str(DEMO_RACE_FILES[0]))
    race = Race.objects.get(code="counties-economy")
    assert race.group.code == "counties"
    assert race.current_methodology.number == 1
    assert "created" in capsys.readouterr().out


def test_loading_the_same_file_twice_keeps_one_version(demo_reference_data, capsys):
    call_command("load_race", str(DEMO_RACE_FILES[0]))
    call_command("load_race", str(DEMO_RACE_FILES[0]))
    assert MethodologyVersion.objects.count() == 1
    assert "unchanged" in capsys.readouterr().out


def test_a_changed_file_adds_a_version_and_keeps_the_old(demo_reference_data, tmp_path):
    call_command("load_race", str(DEMO_RACE_FILES[0]))
    changed = tmp_path / "race.toml"
    changed.write_text(
        DEMO_RACE_FILES[0].read_text(encoding="utf-8").replace("round = 2", "round = 1"),
        encoding="utf-8",
    )
    call_command("load_race", str(changed), note="one decimal")
    versions = list(MethodologyVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].spec["score"]["round"] == 2 and versions[1].spec["score"]["round"] == 1
    assert versions[1].note == "one decimal"


def test_export_then_load_is_a_round_trip(demo_reference_data, tmp_path):
    call_command("load_race", str(DEMO_RACE_FILES[0]))
    exported = tmp_path / "exported.toml"
    call_command("export_race", "counties-economy", str(exported))
    assert methodology_from_file(exported) == Race.objects.get().current_methodology.spec
    call_command("load_race", str(exported))
    assert MethodologyVersion.objects.count() == 1


def test_unknown_group_and_indicator_are_both_reported_and_nothing_is_loaded(capsys):
    with pytest.raises(CommandError) as error:
        call_command("load_race", str(DATA / "bad_unknown_refs.toml"))
    assert "2 problem(s)" in str(error.value)
    err = capsys.readouterr().err
    assert "unknown group 'nowhere'" in err and "'no_such_indicator'" in err
    assert not Race.objects.exists()


def test_engine_validation_problems_name_their_path(capsys):
    GroupFactory(code="g")
    IndicatorFactory(code="a")
    spec_text = """
code = "r"
name = "R"
group = "g"
[score]
aggregation = "median"
[[nodes]]
indicator = "a"
weight = -1
normalisation = { method = "efficacy" }
"""
    from rankings.errors import RaceConfigurationError
    from rankings.services.races import race_load

    with pytest.raises(RaceConfigurationError) as error:
        race_load(spec=methodology_from_toml(spec_text))
    problems = "\n".join(error.value.problems)
    assert "score.aggregation" in problems and "nodes[0].weight" in problems
    assert not Race.objects.exists()


def test_a_file_that_is_not_toml_is_named_in_the_error():
    with pytest.raises(CommandError) as error:
        call_command("load_race", str(DATA / "bad_syntax.toml"))
    assert "bad_syntax.toml" in str(error.value) and "TOML" in str(error.value)
