"""The examples in docs/methodology.md are real: they parse and run."""

import re
import tomllib
from pathlib import Path

from rankings.engine import Figure, IndicatorInfo, parse_methodology, run_race

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "methodology.md"


def toml_examples() -> dict[str, dict]:
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    specs = [tomllib.loads(block) for block in blocks]
    return {spec["code"]: spec for spec in specs}


def test_the_docs_show_the_county_and_hdi_examples():
    assert set(toml_examples()) == {"county-economy", "hdi-2022"}


def test_the_hdi_example_in_the_docs_is_the_tested_race_file():
    with (ROOT / "tests" / "data" / "hdi2022" / "race.toml").open("rb") as file:
        tested = parse_methodology(tomllib.load(file))
    assert parse_methodology(toml_examples()["hdi-2022"]) == tested


def test_the_county_example_runs_with_flags_and_reasons():
    method = parse_methodology(toml_examples()["county-economy"])
    districts = [f"d{n}" for n in range(8)]
    figures = {}
    for n, district in enumerate(districts):
        for code in method.indicator_codes:
            figures[(district, code)] = Figure(
                value=100.0 + 3 * n + len(code), last_year=100.0, target=150.0, year_share=0.75
            )
    del figures[("d7", "investment_attracted")]
    infos = {
        code: IndicatorInfo(code, "lower" if code == "energy_intensity" else "higher")
        for code in method.indicator_codes
    }
    result = run_race(method, entrants=districts, figures=figures, indicators=infos)
    assert [s.rank for s in result.standings] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [s.flags for s in result.standings] == [("red",)] * 3 + [()] * 2 + [("yellow",)] * 3
    last = result.standings[-1]
    assert last.district == "d0"
    assert "missing_zero" in [r.kind for r in result.standing("d7").reasons]
    assert all(60 <= s.score <= 120 for s in result.standings)
