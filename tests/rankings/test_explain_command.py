"""`manage.py explain`: one district's explanation as JSON or text, and clear refusals."""

import csv
import io
import json
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districts.periods import Period
from rankings.models import Race
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import race_spec
from tests.factories import ValueFactory

from .test_commands_hostile_arguments import HOSTILE_ARGUMENTS, hostile_argument

pytestmark = pytest.mark.django_db

KEYS = [
    "district",
    "rank",
    "score",
    "contribution_scale",
    "versus",
    "overtake",
    "hold",
    "rank_change",
    "robustness",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command("explain", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def explained(*args) -> dict:
    return json.loads(run(*args, "--format", "json"))


def refused(*args) -> str:
    with pytest.raises(CommandError) as refusal:
        run(*args)
    message = str(refusal.value)
    assert message.strip() and "Traceback" not in message
    return message


def ranked_codes(publication):
    return list(
        publication.standings.order_by("rank", "district__code").values_list(
            "district__code", flat=True
        )
    )


def test_json_has_exactly_the_documented_keys_and_compares_with_the_district_above(published):
    publication = published.publications[-1]
    codes = ranked_codes(publication)
    found = explained(published.race.code, "2025Q2", "--district", codes[2], "--draws", "50")
    assert list(found) == KEYS
    standing = publication.standings.get(district__code=codes[2])
    assert (found["district"], found["rank"]) == (codes[2], standing.rank)
    assert found["score"] == pytest.approx(standing.score, abs=1e-12)
    assert found["contribution_scale"] == "score"
    versus = found["versus"]
    assert list(versus) == ["district", "score_difference", "parts"]
    assert versus["district"] == codes[1]
    assert math.fsum(versus["parts"].values()) == pytest.approx(
        versus["score_difference"], abs=1e-9
    )
    above = publication.standings.get(district__code=codes[1])
    assert versus["score_difference"] == pytest.approx(standing.score - above.score, abs=1e-9)
    for listed, rival in (("overtake", codes[1]), ("hold", codes[3])):
        assert [c["indicator"] for c in found[listed]] == [i.code for i in published.indicators]
        for change in found[listed]:
            assert list(change) == ["indicator", "rival", "value", "needed", "change", "reachable"]
            assert change["rival"] == rival


def test_the_rank_change_is_split_into_own_others_and_methodology(published):
    code = ranked_codes(published.publications[-1])[0]
    change = explained(published.race.code, "2025Q2", "--district", code, "--draws", "10")[
        "rank_change"
    ]
    assert list(change) == ["previous_period", "score_change", "own", "others", "methodology"]
    assert change["previous_period"] == "2025Q1"
    assert change["methodology"] == 0.0
    total = math.fsum([*change["own"].values(), change["others"], change["methodology"]])
    assert total == pytest.approx(change["score_change"], abs=1e-9)
    before = published.publications[0].standings.get(district__code=code).score
    now = published.publications[1].standings.get(district__code=code).score
    assert change["score_change"] == pytest.approx(now - before, abs=1e-9)


def test_a_new_methodology_has_its_own_part_of_the_change(published):
    spec = race_spec(
        code=published.race.code, group=published.group.code, indicators=published.indicators
    )
    spec["nodes"][0]["weight"] = 3
    race_load(spec=spec)
    standings_publish(race=published.race, period=published.latest_period)
    code = ranked_codes(published.publications[-1])[1]
    change = explained(published.race.code, "2025Q2", "--district", code, "--draws", "10")[
        "rank_change"
    ]
    assert change["methodology"] != 0
    total = math.fsum([*change["own"].values(), change["others"], change["methodology"]])
    assert total == pytest.approx(change["score_change"], abs=1e-9)


def test_the_first_published_period_has_no_rank_change(published):
    code = ranked_codes(published.publications[0])[0]
    assert explained(published.race.code, "2025Q1", "--district", code)["rank_change"] is None


def test_the_same_seed_gives_the_same_robustness(published):
    code = ranked_codes(published.publications[-1])[1]
    args = (published.race.code, "2025Q2", "--district", code, "--draws", "200", "--seed", "7")
    first, second = explained(*args), explained(*args)
    assert first["robustness"] == second["robustness"]
    assert first["robustness"]["draws"] == 200 and first["robustness"]["seed"] == 7
    low, high = first["robustness"]["rank_low"], first["robustness"]["rank_high"]
    assert low <= first["robustness"]["rank_median"] <= high


def test_text_names_the_gap_the_changes_and_the_robustness(published):
    codes = ranked_codes(published.publications[-1])
    text = run(published.race.code, "2025Q2", "--district", codes[1], "--draws", "20")
    assert text.startswith(f"{published.race.code} 2025Q2 (methodology v1, published revision 1)")
    assert f"Behind {codes[0]}" in text
    assert "opening the gap:" in text
    assert "To overtake" in text and "To stay ahead of" in text
    assert "Since 2025Q1:" in text and "own figures:" in text
    assert "Robustness (20 draws, seed 0): rank" in text


def test_an_unpublished_period_is_explained_as_a_preview(published):
    for d, district in enumerate(published.districts):
        for indicator in published.indicators:
            ValueFactory(district=district, indicator=indicator, period="2025Q3", value=d + 1)
    code = published.districts[0].code
    text = run(published.race.code, "2025Q3", "--district", code, "--draws", "5")
    assert "preview, not published" in text
    assert "Since 2025Q2:" in text


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (("no-such-race", "2025Q2", "--district", "X"), "no race"),
        (("{race}", "2025Q5", "--district", "X"), "period:"),
        (("{race}", "2025Q2", "--district", "NOPE"), "--district:"),
        (("{race}", "2025Q2", "--district", "{first}", "--versus", "NOPE"), "--versus:"),
        (("{race}", "2025Q2", "--district", "{first}", "--versus", "{first}"), "--versus:"),
        (("{race}", "2025Q2", "--district", "{first}", "--draws", "0"), "--draws:"),
        (("{race}", "2025Q2", "--district", "{first}", "--draws", "abc"), "--draws:"),
        (("{race}", "2025Q2", "--district", "{first}", "--draws", "٣"), "--draws:"),
        (("{race}", "2025Q2", "--district", "{first}", "--draws", "9" * 40), "--draws:"),
        (("{race}", "2025Q2", "--district", "{first}", "--seed", "-1"), "--seed:"),
    ],
)
def test_a_bad_argument_is_refused_naming_it(published, arguments, named):
    first = published.districts[0].code
    filled = [a.format(race=published.race.code, first=first) for a in arguments]
    assert named in refused(*filled)


def test_the_district_is_required(published):
    assert "--district" in refused(published.race.code, "2025Q2")


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    race=hostile_argument,
    period=hostile_argument,
    district=hostile_argument,
    draws=st.one_of(st.none(), st.sampled_from(HOSTILE_ARGUMENTS)),
)
def test_no_argument_gives_a_traceback(published, race, period, district, draws):
    arguments = [race, period, "--district", district]
    if draws is not None:
        arguments += ["--draws", draws]
    try:
        run(*arguments)
    except CommandError as error:
        assert str(error).strip()


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(district=hostile_argument, versus=hostile_argument)
def test_no_district_or_versus_argument_of_a_real_race_gives_a_traceback(
    published, district, versus
):
    try:
        run(published.race.code, "2025Q2", "--district", district, "--versus", versus)
    except CommandError as error:
        assert str(error).strip()


HDI = Path(__file__).parent.parent / "data" / "hdi2022"
HDI_INDICATORS = {"le": "years", "eys": "years", "mys": "years", "gnipc": "2017 PPP $"}


def _hdi_rows(name):
    with (HDI / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def hdi_published(tmp_path):
    """The HDI 2022 race imported and published as a bureau would (as in
    test_hdi2022_published.py)."""
    countries = _hdi_rows("inputs.csv")
    files = {name: tmp_path / f"{name}.csv" for name in ("districts", "indicators", "values")}
    with files["districts"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "group"])
        writer.writerows([c["iso3"], c["country"], "district", "countries"] for c in countries)
    with files["indicators"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "unit", "direction", "frequency"])
        writer.writerows([c, c, unit, "higher", "yearly"] for c, unit in HDI_INDICATORS.items())
    with files["values"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["district", "indicator", "period", "value"])
        for country in countries:
            for code in HDI_INDICATORS:
                writer.writerow([country["iso3"], code, "2022", country[f"{code}_2022"]])
    call_command("import_districts", str(files["districts"]), create_groups=True, verbosity=0)
    call_command("import_indicators", str(files["indicators"]), verbosity=0)
    call_command("import_values", str(files["values"]), verbosity=0)
    call_command("load_race", str(HDI / "race.toml"), verbosity=0)
    race = Race.objects.get(code="hdi-2022")
    return standings_publish(race=race, period=Period.parse("2022")).publication


def test_norway_against_switzerland_sums_to_the_published_difference(hdi_published):
    found = explained("hdi-2022", "2022", "--district", "NOR", "--versus", "CHE", "--draws", "100")
    scores = dict(
        hdi_published.standings.filter(district__code__in=["NOR", "CHE"]).values_list(
            "district__code", "score"
        )
    )
    published_difference = math.log(scores["NOR"]) - math.log(scores["CHE"])
    versus = found["versus"]
    assert found["contribution_scale"] == "log" and versus["district"] == "CHE"
    assert versus["score_difference"] == pytest.approx(published_difference, abs=1e-12)
    assert math.fsum(versus["parts"].values()) == pytest.approx(published_difference, abs=1e-9)
    assert found["rank"] == 2 and [c["rival"] for c in found["overtake"]] == ["CHE"] * 4
