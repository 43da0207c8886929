"""The whole path a bureau would take reproduces a real published ranking.

The 193 countries of UNDP's Human Development Index 2022 are imported from CSV like any
district data, the HDI is loaded as a race from its TOML file, and the published race
must give UNDP's published values (3 decimals) and ranks.
"""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from districts.periods import Period
from rankings.models import Race
from rankings.services.publishing import standings_publish

pytestmark = pytest.mark.django_db
HDI = Path(__file__).parent.parent / "data" / "hdi2022"
INDICATORS = {"le": "years", "eys": "years", "mys": "years", "gnipc": "2017 PPP $"}


def _read(name):
    with (HDI / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_importing_and_publishing_the_hdi_race_reproduces_undps_values_and_ranks(tmp_path):
    countries = _read("inputs.csv")
    districts = tmp_path / "countries.csv"
    with districts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "kind", "group"])
        writer.writerows([c["iso3"], c["country"], "district", "countries"] for c in countries)
    indicators = tmp_path / "indicators.csv"
    with indicators.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "unit", "direction", "frequency"])
        writer.writerows(
            [code, code, unit, "higher", "yearly"] for code, unit in INDICATORS.items()
        )
    values = tmp_path / "values.csv"
    with values.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["district", "indicator", "period", "value"])
        for country in countries:
            for code in INDICATORS:
                writer.writerow([country["iso3"], code, "2022", country[f"{code}_2022"]])

    call_command("import_districts", str(districts), create_groups=True, verbosity=0)
    call_command("import_indicators", str(indicators), verbosity=0)
    call_command("import_values", str(values), verbosity=0)
    call_command("load_race", str(HDI / "race.toml"), verbosity=0)
    publication = standings_publish(
        race=Race.objects.get(code="hdi-2022"), period=Period.parse("2022")
    ).publication

    published = {row["iso3"]: row for row in _read("published.csv")}
    standings = publication.standings.values_list("district__code", "ranking_score", "rank")
    assert len(standings) == len(published) == 193
    wrong = [
        (code, score, rank, published[code]["hdi_2022"], published[code]["hdi_rank_2022"])
        for code, score, rank in standings
        if f"{score:.3f}" != f"{float(published[code]['hdi_2022']):.3f}"
        or rank != int(published[code]["hdi_rank_2022"])
    ]
    assert wrong == []
