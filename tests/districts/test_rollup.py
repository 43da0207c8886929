"""Roll-ups: a quarter's or a year's figure made from its months' (sum, last, mean), or None
naming exactly the months that are missing."""

from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from districts.models import FIGURE_DECIMALS
from districts.periods import Period, PeriodError, PeriodKind
from districts.rollup import MEAN_DECIMALS, RolledUp, RollUp, roll_up

# Figures as a Value stores them: up to 18 digits before the point and 10 after.
figures = st.decimals(
    min_value=Decimal("-999999999999999999"),
    max_value=Decimal("999999999999999999"),
    places=10,
    allow_nan=False,
    allow_infinity=False,
)
quarters = st.builds(
    Period, st.integers(1900, 2999), st.just(PeriodKind.QUARTER), st.integers(1, 4)
)
years = st.builds(Period, st.integers(1900, 2999), st.just(PeriodKind.YEAR))


def months_of(period: Period) -> list[str]:
    return [month.code for month in period.parts(PeriodKind.MONTH)]


@st.composite
def complete_months(draw, periods=quarters):
    period = draw(periods)
    codes = months_of(period)
    return period, dict(
        zip(codes, draw(st.lists(figures, min_size=len(codes), max_size=len(codes))), strict=True)
    )


class TestCompleteMonths:
    @given(complete_months())
    def test_sum_is_the_sum_of_the_months(self, case):
        quarter, monthly = case
        rolled = roll_up(RollUp.SUM, quarter, monthly)
        with localcontext(prec=60):
            assert rolled.value == sum(monthly.values(), Decimal(0))
        assert rolled.months_used == months_of(quarter) and rolled.missing == []

    @given(complete_months())
    def test_last_is_the_quarters_third_month(self, case):
        quarter, monthly = case
        rolled = roll_up(RollUp.LAST, quarter, monthly)
        third = months_of(quarter)[2]
        assert rolled.value == monthly[third]
        assert rolled.months_used == [third]

    @given(quarters, figures)
    def test_mean_of_equal_months_is_that_figure(self, quarter, figure):
        rolled = roll_up(RollUp.MEAN, quarter, dict.fromkeys(months_of(quarter), figure))
        assert rolled.value == figure

    @given(complete_months())
    def test_mean_lies_within_the_months_and_keeps_a_stored_figures_decimals(self, case):
        quarter, monthly = case
        value = roll_up(RollUp.MEAN, quarter, monthly).value
        assert min(monthly.values()) <= value <= max(monthly.values())
        assert -value.as_tuple().exponent <= MEAN_DECIMALS == FIGURE_DECIMALS
        with localcontext(prec=60):
            exact = sum(monthly.values(), Decimal(0)) / 3
            assert abs(value - exact) <= Decimal("0.5e-10")

    def test_mean_rounds_half_even_and_reads_without_trailing_zeros(self):
        quarter = Period.parse("2026Q1")
        thirds = {"2026-01": Decimal(1), "2026-02": Decimal(1), "2026-03": Decimal(2)}
        assert str(roll_up(RollUp.MEAN, quarter, thirds).value) == "1.3333333333"
        tens = {"2026-01": Decimal("90"), "2026-02": Decimal("100.0"), "2026-03": Decimal("110")}
        assert str(roll_up(RollUp.MEAN, quarter, tens).value) == "100"
        halves = {"2026-01": Decimal("1.5"), "2026-02": Decimal("1.50"), "2026-03": Decimal("1.5")}
        assert str(roll_up(RollUp.MEAN, quarter, halves).value) == "1.5"

    def test_a_sum_of_large_figures_is_exact(self):
        big = Decimal("999999999999999999.9999999999")
        year = Period.parse("2026")
        rolled = roll_up(RollUp.SUM, year, dict.fromkeys(months_of(year), big))
        # 30 digits: the default context (28) would round it.
        assert rolled.value == Decimal("11999999999999999999.9999999988")


class TestMissingMonths:
    @given(complete_months(), st.sets(st.integers(0, 2), min_size=1), st.booleans())
    def test_any_missing_month_leaves_sum_and_mean_without_a_value(self, case, gone, as_none):
        quarter, monthly = case
        codes = months_of(quarter)
        for index in gone:
            if as_none:
                monthly[codes[index]] = None
            else:
                del monthly[codes[index]]
        missing = [codes[i] for i in sorted(gone)]
        for kind in (RollUp.SUM, RollUp.MEAN):
            rolled = roll_up(kind, quarter, monthly)
            assert rolled.value is None
            assert rolled.missing == missing
            assert rolled.months_used == []
            assert all(code in rolled.reason for code in missing)

    @given(complete_months(), st.sets(st.integers(0, 2), min_size=1))
    def test_last_needs_only_the_last_month(self, case, gone):
        quarter, monthly = case
        codes = months_of(quarter)
        for index in gone:
            del monthly[codes[index]]
        rolled = roll_up(RollUp.LAST, quarter, monthly)
        if 2 in gone:
            assert (rolled.value, rolled.missing) == (None, [codes[2]])
            assert codes[2] in rolled.reason
        else:
            assert rolled.value == monthly[codes[2]] and rolled.missing == []

    def test_the_reason_names_the_missing_month(self):
        rolled = roll_up(
            RollUp.SUM, Period.parse("2026Q1"), {"2026-01": Decimal(1), "2026-03": Decimal(3)}
        )
        assert rolled == RolledUp(
            None, [], ["2026-02"], "2026Q1 cannot be rolled up: 2026-02 missing"
        )

    def test_figures_of_other_periods_are_ignored(self):
        monthly = {
            "2026-01": Decimal(1),
            "2026-02": Decimal(2),
            "2026-03": Decimal(3),
            "2026-04": Decimal(99),
            "2026Q1": Decimal(7),
        }
        assert roll_up(RollUp.SUM, Period.parse("2026Q1"), monthly).value == Decimal(6)


class TestYears:
    @given(complete_months(years))
    def test_a_year_from_its_months_equals_the_year_from_its_quarters(self, case):
        year, monthly = case
        for kind in (RollUp.SUM, RollUp.LAST, RollUp.MEAN):
            quarterly = {
                quarter.code: roll_up(kind, quarter, monthly).value
                for quarter in year.parts(PeriodKind.QUARTER)
            }
            from_quarters = roll_up(kind, year, quarterly, of=PeriodKind.QUARTER)
            from_months = roll_up(kind, year, monthly)
            if kind is RollUp.MEAN:  # each quarter's mean is rounded once more
                assert abs(from_quarters.value - from_months.value) <= Decimal("1e-10")
            else:
                assert from_quarters.value == from_months.value
        assert from_quarters.months_used == [f"{year.year}Q{n}" for n in range(1, 5)]

    @given(complete_months(years), st.integers(0, 11))
    def test_a_missing_month_leaves_its_quarter_missing_from_the_year(self, case, gone):
        year, monthly = case
        codes = months_of(year)
        assume(gone != 11)
        del monthly[codes[gone]]
        quarterly = {
            q.code: roll_up(RollUp.SUM, q, monthly).value for q in year.parts(PeriodKind.QUARTER)
        }
        rolled = roll_up(RollUp.SUM, year, quarterly, of=PeriodKind.QUARTER)
        assert rolled.missing == [f"{year.year}Q{gone // 3 + 1}"]


class TestWhatCannotBeRolledUp:
    def test_none_gives_no_value_and_misses_nothing(self):
        monthly = {"2026-01": Decimal(1), "2026-02": Decimal(2), "2026-03": Decimal(3)}
        rolled = roll_up(RollUp.NONE, Period.parse("2026Q1"), monthly)
        assert (rolled.value, rolled.months_used, rolled.missing) == (None, [], [])
        assert "not rolled up" in rolled.reason

    def test_a_month_rolls_up_to_itself(self):
        assert roll_up(RollUp.SUM, Period.parse("2026-02"), {"2026-02": Decimal(5)}).value == 5

    @pytest.mark.parametrize(
        ("period", "of"),
        [
            (Period.parse_week("2026-W14"), PeriodKind.MONTH),
            (Period.parse("2026-02"), PeriodKind.QUARTER),
        ],
    )
    def test_a_period_not_made_of_the_parts_is_the_callers_mistake(self, period, of):
        with pytest.raises(PeriodError):
            roll_up(RollUp.SUM, period, {}, of=of)

    @pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), 1.5])
    def test_a_figure_that_is_not_a_finite_decimal_is_refused(self, bad):
        monthly = {"2026-01": Decimal(1), "2026-02": bad, "2026-03": Decimal(3)}
        with pytest.raises(ValueError, match="2026-02"):
            roll_up(RollUp.SUM, Period.parse("2026Q1"), monthly)

    def test_the_roll_up_names_are_the_ones_an_indicator_will_store(self):
        assert [r.value for r in RollUp] == ["sum", "last", "mean", "none"]
