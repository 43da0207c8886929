"""Reproduce UNDP's published Human Development Index 2022: all 193 values and ranks.

The race is configured in tests/data/hdi2022/race.toml like any user methodology; see the
README there for the published method and the source of the figures.
"""

import csv
import math
import tomllib
from pathlib import Path

import pytest

from rankings.engine import Figure, IndicatorInfo, RaceResult, parse_methodology, run_race

DATA = Path(__file__).resolve().parents[2] / "data" / "hdi2022"
INDICATORS = ("le", "eys", "mys", "gnipc")


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def load_spec() -> dict:
    with (DATA / "race.toml").open("rb") as file:
        return tomllib.load(file)


def run_hdi(spec: dict) -> RaceResult:
    rows = read_csv("inputs.csv")
    figures = {
        (row["iso3"], code): Figure(
            float(row[f"{code}_2022"]), ref={"iso3": row["iso3"], "column": f"{code}_2022"}
        )
        for row in rows
        for code in INDICATORS
    }
    return run_race(
        parse_methodology(spec),
        entrants=[row["iso3"] for row in rows],
        figures=figures,
        indicators={c: IndicatorInfo(c) for c in INDICATORS},
    )


@pytest.fixture(scope="module")
def published() -> dict[str, dict[str, str]]:
    return {row["iso3"]: row for row in read_csv("published.csv")}


@pytest.fixture(scope="module")
def result() -> RaceResult:
    return run_hdi(load_spec())


def test_all_193_countries_are_ranked(result):
    assert len(result.standings) == 193
    assert all(standing.rank is not None for standing in result.standings)


def test_every_published_hdi_value_is_reproduced_to_3_decimals(result, published):
    wrong = {
        s.district: (s.ranking_score, published[s.district]["hdi_2022"])
        for s in result.standings
        if s.ranking_score != float(published[s.district]["hdi_2022"])
    }
    assert wrong == {}


def test_every_published_rank_is_reproduced(result, published):
    wrong = {
        s.district: (s.rank, published[s.district]["hdi_rank_2022"])
        for s in result.standings
        if s.rank != int(published[s.district]["hdi_rank_2022"])
    }
    assert wrong == {}


def test_switzerland_leads_and_norway_follows(result):
    first, second = result.standings[:2]
    assert (first.district, first.ranking_score, second.district) == ("CHE", 0.967, "NOR")


def test_contributions_sum_to_the_log_of_each_hdi(result):
    for standing in result.standings:
        assert standing.contribution_scale == "log"
        assert sum(standing.contributions.values()) == pytest.approx(
            math.log(standing.score), abs=1e-9
        )


def test_values_beyond_the_goalposts_are_clamped_and_reported(result):
    # Norway's expected schooling (18.6 years) is beyond the 18-year goalpost.
    norway = result.standing("NOR")
    assert norway.indicators["eys"].normalised == 1.0 and norway.indicators["eys"].capped
    assert [r.params["indicator"] for r in norway.reasons if r.kind == "capped"] == ["eys"]


def test_ranking_the_unrounded_hdi_would_get_ranks_wrong(published):
    # Why score.round = 3 matters: the published ranks treat equal 3-decimal values as ties.
    spec = load_spec()
    del spec["score"]["round"]
    unrounded = run_hdi(spec)
    wrong = [
        s for s in unrounded.standings if s.rank != int(published[s.district]["hdi_rank_2022"])
    ]
    assert len(wrong) == 27
