"""A race over quarters or years reads a figure entered for the period itself, or else one
rolled up from the indicator's approved months (docs/periods.md, issue 13)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from districts.decimals import format_decimal
from districts.models import Indicator, Value, ValueStatus
from districts.periods import Period
from rankings.reasons_text import ReasonRenderer
from rankings.selectors.leaderboard_pages import publication_inputs_changed_cached
from rankings.selectors.race_inputs import race_cited_values
from rankings.selectors.race_previews import race_compute, race_prepare
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import race_spec
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

QUARTER = Period.parse("2026Q3")
# What each leaf of the race ranks: the figure, its growth on last year, its target's share.
LEAVES = (("sum", "value"), ("last", "value"), ("mean", "value"), ("sum", "growth"))
LEAVES += (("last", "target_completion"),)


def _monthly(district: int, leaf: int, year: int) -> list[Decimal]:
    """Three months of a deterministic figure that reorders the districts per leaf; the
    steps are equal so a quarter's mean is exact, as a clerk would enter it."""
    start = Decimal((district * (leaf + 3) + 5 * leaf + year) % 11 + 2)
    step = Decimal((district + leaf) % 4) / 2
    return [start, start + step, start + 2 * step]


def _quarterly(kind: str, months: list[Decimal]) -> Decimal:
    if kind == "sum":
        return sum(months, Decimal(0))
    if kind == "last":
        return months[-1]
    return sum(months, Decimal(0)) / len(months)


def _approved(district, indicator, period: str, value, target=None) -> Value:
    return Value(
        district=district,
        indicator=indicator,
        period=period,
        value=value,
        target=target,
        status=ValueStatus.APPROVED,
    )


def _race(code: str, group, indicators, leaves=LEAVES, missing: str = "average"):
    spec = race_spec(code=code, group=group.code, indicators=indicators)
    spec["defaults"]["missing"] = missing
    for node, (_kind, measure) in zip(spec["nodes"], leaves, strict=True):
        node["input"] = measure
    return race_load(spec=spec).race


def _scene(group, districts, *, entered: str, prefix: str):
    """One indicator per leaf, with this year's and last year's third quarter entered
    ``monthly`` (rolled up by the indicator) or ``quarterly`` (not rolled up)."""
    indicators = [
        IndicatorFactory(
            code=f"{prefix}{i}", roll_up=kind if entered == "monthly" else "none", decimals=1
        )
        for i, (kind, _measure) in enumerate(LEAVES)
    ]
    values = []
    for d, district in enumerate(districts):
        for i, ((kind, _measure), indicator) in enumerate(zip(LEAVES, indicators, strict=True)):
            for year in (2025, 2026):
                months = _monthly(d, i, year)
                target = Decimal(40 + d) if year == 2026 else None
                if entered == "quarterly":
                    quarter = f"{year}Q3"
                    values.append(
                        _approved(district, indicator, quarter, _quarterly(kind, months), target)
                    )
                    continue
                for month, figure in zip((7, 8, 9), months, strict=True):
                    values.append(
                        _approved(district, indicator, f"{year}-{month:02}", figure, target)
                    )
    Value.objects.bulk_create(values)
    return _race(f"{prefix}-race", group, indicators)


def _results(race, period=QUARTER):
    return [
        (s.district, s.rank, s.tied, s.score, list(s.contributions.values()), s.coverage)
        for s in race_compute(race=race, period=period).result.standings
    ]


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def districts(group):
    return [DistrictFactory(group=group) for _ in range(5)]


def test_monthly_figures_give_the_same_standings_as_the_same_figures_entered_quarterly(
    group, districts
):
    from_months = _results(_scene(group, districts, entered="monthly", prefix="m"))
    from_quarters = _results(_scene(group, districts, entered="quarterly", prefix="q"))

    assert from_months == from_quarters
    # Not trivially equal: every figure is there and the districts are told apart.
    assert {coverage for *_rest, coverage in from_months} == {1.0}
    assert len({score for _d, _r, _t, score, _c, _cov in from_months}) == len(districts)


def test_rolled_up_figures_read_the_sum_the_last_month_and_the_mean(group, districts):
    district = districts[0]
    race = _scene(group, districts, entered="monthly", prefix="m")
    figures = _inputs(race).figures
    months = [_monthly(0, i, 2026) for i in range(len(LEAVES))]
    assert figures[(district.code, "m0")].value == float(sum(months[0]))
    assert figures[(district.code, "m1")].value == float(months[1][-1])
    assert figures[(district.code, "m2")].value == float(sum(months[2]) / 3)
    # Growth reads last year's third quarter rolled up the same way.
    assert figures[(district.code, "m3")].last_year == float(sum(_monthly(0, 3, 2025)))
    # The annual target comes from the months (the last one that carries it).
    assert figures[(district.code, "m4")].target == 40.0


def test_a_year_rolls_up_from_its_twelve_months(group, districts):
    sums = IndicatorFactory(code="flow", roll_up="sum")
    entered = IndicatorFactory(code="flow-entered")
    values = []
    for d, district in enumerate(districts):
        months = [Decimal((d * 7 + m * 3) % 13) for m in range(12)]
        values.append(_approved(district, entered, "2026", sum(months, Decimal(0))))
        values += [
            _approved(district, sums, f"2026-{m + 1:02}", figure) for m, figure in enumerate(months)
        ]
    Value.objects.bulk_create(values)
    leaves = (("sum", "value"),)
    year = Period.parse("2026")

    rolled = _results(_race("flow-race", group, [sums], leaves), year)
    direct = _results(_race("flow-entered-race", group, [entered], leaves), year)

    assert [row[:4] for row in rolled] == [row[:4] for row in direct]


def test_a_quarter_entered_for_itself_wins_over_its_months(group, districts):
    indicator = IndicatorFactory(code="investment", roll_up="sum")
    district = districts[0]
    Value.objects.bulk_create(
        [_approved(district, indicator, f"2026-{m:02}", Decimal(10)) for m in (7, 8, 9)]
    )
    quarter = Value.objects.create(
        district=district,
        indicator=indicator,
        period="2026Q3",
        value=Decimal("12.5"),
        status=ValueStatus.APPROVED,
    )
    race = _race("investment-race", group, [indicator], (("sum", "value"),))

    figure = _inputs(race).figures[(district.code, "investment")]

    assert figure.value == 12.5
    assert figure.ref["value_id"] == quarter.pk
    assert "months" not in figure.ref
    # Publishing locks the quarter, not the months it did not need.
    standings_publish(race=race, period=QUARTER)
    locked = set(Value.objects.filter(locked=True).values_list("period", flat=True))
    assert locked == {"2026Q3"}


def _inputs(race, period=QUARTER):
    return race_prepare(race=race, period=period).inputs


@pytest.mark.parametrize("kind", ["sum", "mean"])
def test_a_quarter_with_a_month_missing_is_missing_and_its_reason_names_the_month(
    group, districts, kind
):
    indicator = IndicatorFactory(code="investment", roll_up=kind, name_en="Investment")
    values = [
        _approved(district, indicator, f"2026-{m:02}", Decimal(d + m))
        for d, district in enumerate(districts)
        for m in (7, 8, 9)
        if (d, m) != (0, 8)
    ]
    Value.objects.bulk_create(values)
    race = _race("investment-race", group, [indicator], ((kind, "value"),))

    preview = race_compute(race=race, period=QUARTER)
    figure = preview.inputs.figures[(districts[0].code, "investment")]
    assert figure.value is None
    assert figure.ref["missing_months"] == ["2026-08"]

    standing = next(s for s in preview.result.standings if s.district == districts[0].code)
    assert standing.indicators["investment"].missing
    imputed = next(r for r in standing.reasons if r.kind == "imputed")
    renderer = ReasonRenderer({"investment": indicator}, QUARTER.code)
    with translation.override("en"):
        text = renderer.render(imputed.to_dict())
    assert text.startswith("No figure for Investment in 2026Q3: counted at the group average")
    assert text.endswith("2026-08 is missing, so 2026Q3 cannot be made from its months.")


def test_a_quarter_without_any_month_entered_is_missing_without_a_note(group, districts):
    indicator = IndicatorFactory(code="investment", roll_up="sum")
    Value.objects.bulk_create(
        [_approved(districts[1], indicator, f"2026-{m:02}", Decimal(m)) for m in (7, 8, 9)]
    )
    race = _race("investment-race", group, [indicator], (("sum", "value"),))
    assert (districts[0].code, "investment") not in _inputs(race).figures


def test_a_year_to_date_quarter_needs_only_its_last_month(group, districts):
    indicator = IndicatorFactory(code="output", roll_up="last")
    district = districts[0]
    Value.objects.bulk_create(
        [_approved(district, indicator, f"2026-{m:02}", Decimal(m * 10)) for m in (8, 9)]
        + [_approved(districts[1], indicator, f"2026-{m:02}", Decimal(m)) for m in (7, 8)]
    )
    race = _race("output-race", group, [indicator], (("last", "value"),))

    figures = _inputs(race).figures

    assert figures[(district.code, "output")].value == 90.0
    # Without September the quarter is simply not there: July and August are not read.
    assert (districts[1].code, "output") not in figures


def test_citations_name_the_monthly_records_a_rolled_up_figure_used(group, districts):
    indicator = IndicatorFactory(code="investment", roll_up="sum", name_en="Investment")
    Value.objects.bulk_create(
        [
            _approved(district, indicator, f"2026-{m:02}", Decimal(d * 3 + m))
            for d, district in enumerate(districts)
            for m in (7, 8, 9)
        ]
    )
    race = _race("investment-race", group, [indicator], (("sum", "value"),))

    preview = race_compute(race=race, period=QUARTER)

    best = next(s for s in preview.result.standings if s.rank == 1)
    months = Value.objects.filter(district__code=best.district).order_by("period")
    ref = best.indicators["investment"].ref
    assert ref["period"] == "2026Q3" and ref["value_id"] is None
    assert ref["value"] == format_decimal(sum(v.value for v in months))
    assert ref["roll_up"] == "sum"
    assert ref["months"] == [
        {"value_id": v.pk, "period": v.period, "value": format_decimal(v.value)} for v in months
    ]
    strength = next(r for r in best.reasons if r.kind == "strength")
    assert strength.params["ref"] == ref
    with translation.override("en"):
        text = ReasonRenderer({"investment": indicator}, QUARTER.code).render(strength.to_dict())
    assert "in 2026Q3 (rolled up from 2026-07, 2026-08, 2026-09: sum)" in text


def test_publishing_locks_the_monthly_records_the_standings_used(group, districts):
    sums = IndicatorFactory(code="investment", roll_up="sum")
    last = IndicatorFactory(code="output", roll_up="last")
    entered = IndicatorFactory(code="entered", roll_up="sum")
    values = []
    for d, district in enumerate(districts):
        for m in (7, 8, 9):
            if (d, m) != (1, 8):  # district 1's investment is incomplete
                values.append(_approved(district, sums, f"2026-{m:02}", Decimal(d + m)))
            values.append(_approved(district, last, f"2026-{m:02}", Decimal(d * m)))
            values.append(_approved(district, entered, f"2026-{m:02}", Decimal(m)))
            values.append(_approved(district, sums, f"2025-{m:02}", Decimal(m)))  # last year
        values.append(_approved(district, entered, "2026Q3", Decimal(d)))
    Value.objects.bulk_create(values)
    leaves = (("sum", "value"), ("last", "value"), ("sum", "value"))
    race = _race("mixed-race", group, [sums, last, entered], leaves)
    methodology = race_prepare(race=race, period=QUARTER).methodology

    cited = set(race_cited_values(race=race, period=QUARTER, methodology=methodology))
    standings_publish(race=race, period=QUARTER)

    locked = set(Value.objects.filter(locked=True))
    assert locked == cited
    expected = {
        *Value.objects.filter(indicator=sums, period__startswith="2026-").exclude(
            district=districts[1]
        ),
        *Value.objects.filter(indicator=last, period="2026-09"),
        *Value.objects.filter(indicator=entered, period="2026Q3"),
    }
    assert locked == expected
    # What is locked is what the standings cite, record by record.
    refs = [f.ref for f in _inputs(race).figures.values() if f.ref and f.ref.get("value")]
    cited_ids = {m["value_id"] for ref in refs for m in ref.get("months", [])}
    cited_ids |= {ref["value_id"] for ref in refs if ref["value_id"] is not None}
    assert cited_ids == {value.pk for value in locked}


def test_a_corrected_monthly_record_changes_the_inputs_fingerprint(group, districts):
    indicator = IndicatorFactory(code="investment", roll_up="sum")
    Value.objects.bulk_create(
        [
            _approved(district, indicator, f"2026-{m:02}", Decimal(d + m))
            for d, district in enumerate(districts)
            for m in (7, 8, 9)
        ]
    )
    race = _race("investment-race", group, [indicator], (("sum", "value"),))
    first = standings_publish(race=race, period=QUARTER).publication
    assert not standings_publish(race=race, period=QUARTER).created

    # July and August swap figures: the quarter's sum is the same, what it cites is not.
    july, august = Value.objects.filter(district=districts[2], period__in=["2026-07", "2026-08"])
    july.value, august.value = august.value, july.value
    Value.objects.bulk_update([july, august], ["value"])
    assert race_prepare(race=race, period=QUARTER).fingerprint != first.fingerprint

    september = Value.objects.get(district=districts[2], period="2026-09")
    september.value += 40
    september.save()
    result = standings_publish(race=race, period=QUARTER)
    assert result.created and result.superseded == first
    assert result.publication.standings.get(district=districts[2]).rank == 1


def test_a_month_race_and_an_indicator_not_rolled_up_read_only_what_was_entered(group, districts):
    indicator = IndicatorFactory(code="investment")  # roll-up "none"
    Value.objects.bulk_create(
        [_approved(districts[0], indicator, f"2026-{m:02}", Decimal(m)) for m in (7, 8, 9)]
    )
    race = _race("investment-race", group, [indicator], (("sum", "value"),))
    assert _inputs(race).figures == {}
    september = _inputs(race, Period.parse("2026-09")).figures[(districts[0].code, "investment")]
    assert september.value == 9.0 and "roll_up" not in september.ref


def test_the_district_page_cites_the_months_and_names_the_missing_one(group, districts, client_for):
    indicator = IndicatorFactory(code="investment", roll_up="sum", name_en="Investment")
    Value.objects.bulk_create(
        [
            _approved(district, indicator, f"2026-{m:02}", Decimal(d * 3 + m))
            for d, district in enumerate(districts)
            for m in (7, 8, 9)
            if (d, m) != (0, 8)
        ]
    )
    race = _race("investment-race", group, [indicator], (("sum", "value"),))
    publication = standings_publish(race=race, period=QUARTER).publication
    best = publication.standings.get(rank=1).district
    client = client_for(Role.VIEWER)

    def page(district) -> str:
        url = reverse("district", args=[district.code])
        response = client.get(f"{url}?race={race.code}&period={QUARTER.code}")
        assert response.status_code == 200
        return " ".join(response.content.decode().split())

    assert "in 2026Q3 (rolled up from 2026-07, 2026-08, 2026-09: sum)" in page(best)
    assert "2026-08 is missing, so 2026Q3 cannot be made from its months." in page(districts[0])


def test_a_corrected_month_is_announced_as_changed_inputs_on_the_next_request(group, districts):
    cache.clear()
    indicator = IndicatorFactory(code="investment", roll_up="mean")
    Value.objects.bulk_create(
        [
            _approved(district, indicator, f"2026-{m:02}", Decimal(d + m))
            for d, district in enumerate(districts)
            for m in (7, 8, 9)
        ]
    )
    race = _race("investment-race", group, [indicator], (("mean", "value"),))
    publication = standings_publish(race=race, period=QUARTER).publication
    assert publication_inputs_changed_cached(publication=publication) is False

    # A bulk update renews neither entered_at nor the version: the digest reads the figures.
    Value.objects.filter(district=districts[0], period="2026-08").update(value=Decimal(99))

    assert publication_inputs_changed_cached(publication=publication) is True


def test_the_rolled_up_citation_and_the_missing_months_read_in_chinese():
    indicator = Indicator(code="investment", name="固定资产投资", name_en="Investment", unit="亿元")
    renderer = ReasonRenderer({"investment": indicator}, QUARTER.code)
    months = [{"value_id": n, "period": f"2026-0{n}", "value": "1"} for n in (7, 8, 9)]
    ref = {"period": "2026Q3", "value": "3", "roll_up": "sum", "months": months}
    strength = {
        "kind": "strength",
        "params": {"indicator": "investment", "value": 3.0, "rank": 1, "gap": 1.0, "ref": ref},
    }
    missing = {
        "kind": "missing_zero",
        "params": {
            "indicator": "investment",
            "ref": {"period": "2026Q3", "value": None, "missing_months": ["2026-07", "2026-08"]},
        },
    }
    with translation.override("zh-hans"):
        assert "2026Q3（由 2026-07、2026-08、2026-09 汇总：求和）" in renderer.render(strength)
        assert renderer.render(missing).endswith(
            "缺少 2026-07、2026-08 的数据，2026Q3 无法由月度数据汇总。"
        )
