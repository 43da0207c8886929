"""Management commands given hostile arguments end with a clear CommandError (issue 9).

NUL bytes (PostgreSQL refuses them in text, and the operating system in file names), huge
numbers, digits of other scripts ("²", "٣") and periods outside the calendar (0000Q1, 9999Q9)
are refused with a message that says what is wrong, never a traceback. A period the calendar
can read but nothing was entered for, such as 1900Q1, is previewed like any other.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

HOSTILE_ARGUMENTS = [
    "\x00",
    "test-race\x00",
    "2025Q1\x00",
    "²",
    "٣",
    "2025Q²",
    "٢٠٢٥Q١",
    "9" * 40,
    "-1",
    "0000Q1",
    "9999Q9",
    "2025Q5",
    "2025-13",
    "1e999999999",
    "",
    " ",
    "\u202e",
]
hostile_argument = st.one_of(
    st.sampled_from(HOSTILE_ARGUMENTS), st.text(st.characters(blacklist_categories=("Cs",)))
)


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def refused_clearly(*args) -> str:
    """The CommandError message, after checking there was one and it reads as a sentence."""
    with pytest.raises(CommandError) as refusal:
        run(*args)
    message = str(refusal.value)
    assert message.strip()
    assert "Traceback" not in message
    return message


def ends_cleanly(*args) -> None:
    """The command either does its work or refuses with a CommandError; nothing else."""
    try:
        run(*args)
    except CommandError as error:
        assert str(error).strip()


def test_a_preview_of_the_first_readable_quarter_opens(published):
    assert "preview, not published" in run("rank", published.race.code, "1900Q1")


@pytest.mark.parametrize("period", ["0000Q1", "9999Q9", "1899Q4", "3000Q1", "²", "2025Q1\x00"])
def test_rank_refuses_a_period_outside_the_calendar(published, period):
    assert refused_clearly("rank", published.race.code, period).startswith("period:")


@pytest.mark.parametrize("race", ["\x00", "test-race\x00", "²", "9" * 40])
@pytest.mark.parametrize("command", ["rank", "publish"])
def test_rank_and_publish_refuse_a_race_code_that_cannot_exist(published, command, race):
    assert "no race" in refused_clearly(command, race, "2025Q1")


def test_publish_refuses_a_publisher_whose_name_holds_a_nul(published):
    assert "no user" in refused_clearly("publish", published.race.code, "2025Q2", "--user", "a\x00")


@pytest.mark.parametrize("version", ["²", "٣x", "9" * 40, "\x00"])
def test_export_race_refuses_a_version_that_is_not_a_plain_number(published, version):
    refused_clearly("export_race", published.race.code, "--methodology-version", version)


@pytest.mark.parametrize(
    "command", ["import_values", "import_districts", "import_indicators", "load_race"]
)
def test_a_file_name_with_a_nul_is_refused(db, command):
    assert "\x00" not in refused_clearly(command, "values\x00.csv").replace("\\x00", "")


def test_export_values_refuses_a_file_name_with_a_nul(published):
    refused_clearly("export_values", "values\x00.csv")


@pytest.mark.parametrize("period", ["0000Q1", "9999Q9", "²", "\x00"])
def test_export_values_refuses_a_period_outside_the_calendar(published, period):
    refused_clearly("export_values", "--period", period)


def test_import_values_refuses_a_user_whose_name_holds_a_nul(published, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("district,indicator,period,value\n", encoding="utf-8")
    assert "no user" in refused_clearly("import_values", str(path), "--user", "\x00")


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(race=hostile_argument, period=hostile_argument, command=st.sampled_from(["rank", "publish"]))
def test_no_race_or_period_argument_gives_a_traceback(published, command, race, period):
    ends_cleanly(command, race, period)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(race=hostile_argument, version=hostile_argument)
def test_no_export_race_argument_gives_a_traceback(published, race, version):
    ends_cleanly("export_race", race, "--methodology-version", version)
