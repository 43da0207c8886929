"""Fixtures for the import and export command tests: reference data the CSV corpus under
tests/data/imports refers to, a way to run commands, and a check that a rejected file left
the database exactly as it was."""

from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from districts.models import District, DistrictKind, Group, Indicator, Value
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

IMPORTS_DIR = Path(__file__).resolve().parent.parent / "data" / "imports"


@dataclass(frozen=True)
class CommandOutput:
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Rejection:
    message: str
    problems: list[str]


@pytest.fixture
def data_file():
    def path_of(name: str) -> str:
        path = IMPORTS_DIR / name
        assert path.is_file(), f"missing test file {path}"
        return str(path)

    return path_of


@pytest.fixture
def csv_file(tmp_path):
    """Write a small CSV inline, for cases too specific to earn a file in the corpus."""

    def write(text: str, name: str = "inline.csv") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
def reference_data(db):
    """The groups, districts, indicators and two values the corpus files refer to."""
    changchun = GroupFactory(code="changchun", name="长春城区", name_en="Changchun")
    districts = {
        code: DistrictFactory(code=code, name=name, name_en="", kind=kind, group=changchun)
        for code, name, kind in [
            ("220102", "南关区", DistrictKind.DISTRICT),
            ("220103", "宽城区", DistrictKind.DISTRICT),
            ("220112", "双阳区", DistrictKind.DISTRICT),
            ("220183", "德惠市", DistrictKind.COUNTY_CITY),
        ]
    }
    indicators = {
        "gdp_growth": IndicatorFactory(
            code="gdp_growth", name="GDP增速", unit="%", direction="higher",
            min_value=Decimal("-50"), max_value=Decimal("50"),
        ),
        "retail_sales": IndicatorFactory(
            code="retail_sales", name="社会消费品零售总额", unit="亿元", direction="higher",
            min_value=Decimal("0"), max_value=None,
        ),
        "unemployment": IndicatorFactory(
            code="unemployment", name="城镇调查失业率", unit="%", direction="lower",
            frequency="monthly", min_value=Decimal("0"), max_value=Decimal("100"),
        ),
    }  # fmt: skip
    ValueFactory(
        district=districts["220102"], indicator=indicators["gdp_growth"], period="2025Q1",
        value=Decimal("6.1"), target=Decimal("6.5"), note="初值",
    )  # fmt: skip
    ValueFactory(
        district=districts["220103"], indicator=indicators["gdp_growth"], period="2025Q1",
        value=Decimal("5.8"), target=None, note="",
    )  # fmt: skip
    return {"group": changchun, "districts": districts, "indicators": indicators}


@pytest.fixture
def database_state():
    """Every row of every model the imports touch, to compare before and after."""

    def state() -> dict[str, list[dict]]:
        return {
            model.__name__: list(model.objects.order_by("pk").values())
            for model in (Group, District, Indicator, Value)
        }

    return state


@pytest.fixture
def run():
    def run_command(name: str, *args, **options) -> CommandOutput:
        stdout, stderr = StringIO(), StringIO()
        call_command(name, *args, stdout=stdout, stderr=stderr, **options)
        return CommandOutput(stdout.getvalue(), stderr.getvalue())

    return run_command


@pytest.fixture
def rejected(database_state):
    """Run a command that must refuse its file; check nothing changed and return what it said."""

    def run_rejected(name: str, *args, **options) -> Rejection:
        before = database_state()
        stderr = StringIO()
        with pytest.raises(CommandError) as error:
            call_command(name, *args, stdout=StringIO(), stderr=stderr, **options)
        assert database_state() == before, "a rejected file must leave the database unchanged"
        return Rejection(str(error.value), stderr.getvalue().splitlines())

    return run_rejected
