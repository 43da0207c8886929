"""ISO weeks (2026-W14): read only by Period.parse_week, checked against Python's own calendar."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from districts.periods import (
    MAX_YEAR,
    MIN_YEAR,
    Period,
    PeriodError,
    PeriodKind,
    WeekNotAcceptedError,
    iso_weeks_in_year,
)

# Every week whose ISO year parse_week reads, and one either side for previous / next.
days = st.dates(min_value=date(MIN_YEAR, 1, 8), max_value=date(MAX_YEAR, 12, 24))
weeks = days.map(Period.week_of)
non_weeks = st.one_of(
    st.builds(Period, st.integers(MIN_YEAR, MAX_YEAR), st.just(PeriodKind.YEAR)),
    st.builds(
        Period, st.integers(MIN_YEAR, MAX_YEAR), st.just(PeriodKind.QUARTER), st.integers(1, 4)
    ),
    st.builds(
        Period, st.integers(MIN_YEAR, MAX_YEAR), st.just(PeriodKind.MONTH), st.integers(1, 12)
    ),
)
periods = st.one_of(weeks, non_weeks)


class TestReadingWeeks:
    @pytest.mark.parametrize(
        ("text", "year", "number"),
        [
            ("2026-W14", 2026, 14),
            ("2026-w01", 2026, 1),
            (" 2026-W53 ", 2026, 53),
            ("2027-W01", 2027, 1),
        ],
    )
    def test_it_reads_an_iso_week(self, text, year, number):
        week = Period.parse_week(text)
        assert (week.kind, week.year, week.number) == (PeriodKind.WEEK, year, number)

    @pytest.mark.parametrize(
        ("text", "says"),
        [
            ("2026-W54", "2026 has 53 ISO weeks (2026-W01 to 2026-W53)"),
            ("2025-W53", "2025 has 52 ISO weeks (2025-W01 to 2025-W52)"),
            ("2026-W00", "ISO weeks start at 2026-W01"),
            ("2026-w1", "write 2026-W01"),
            ("2026W14", "write 2026-W14"),
            ("2026-W014", "write 2026-W14"),
            ("2026Q1", "such as 2026-W14"),
            ("", "such as 2026-W14"),
            ("W14", "such as 2026-W14"),
            ("1899-W52", "year 1899 is outside"),
        ],
    )
    def test_a_bad_week_code_is_refused_with_what_is_wrong(self, text, says):
        with pytest.raises(PeriodError) as error:
            Period.parse_week(text)
        assert says in str(error.value)

    def test_it_refuses_a_non_string(self):
        with pytest.raises(PeriodError, match="such as 2026-W14"):
            Period.parse_week(202614)  # type: ignore[arg-type]

    @pytest.mark.parametrize("text", ["2026-W14", "2026-w14", "2026W14", "2026-W1", " 2026-W53"])
    def test_parse_refuses_a_week_saying_weeks_are_not_accepted_here(self, text):
        with pytest.raises(WeekNotAcceptedError) as error:
            Period.parse(text)
        assert "weeks are not accepted here" in str(error.value)
        assert "2025Q1" in str(error.value)

    def test_a_week_that_does_not_exist_cannot_be_built(self):
        with pytest.raises(PeriodError):
            Period(2025, PeriodKind.WEEK, 53)
        with pytest.raises(PeriodError):
            Period(2026, PeriodKind.WEEK, 0)

    @given(weeks)
    def test_the_code_round_trips(self, week):
        assert Period.parse_week(week.code) == week
        assert Period.parse_week(week.code.lower()) == week

    @given(weeks)
    def test_a_week_code_fits_no_period_column(self, week):
        # Values, races, comments and meetings store seven characters; a week code has eight.
        assert len(week.code) == 8


class TestTheCalendar:
    @pytest.mark.parametrize(
        ("year", "count"), [(2020, 53), (2021, 52), (2025, 52), (2026, 53), (2027, 52), (2032, 53)]
    )
    def test_some_years_have_53_weeks(self, year, count):
        assert iso_weeks_in_year(year) == count

    def test_the_year_boundary_of_2026_and_2027(self):
        last = Period.parse_week("2026-W53")
        assert (last.first_day, last.last_day) == (date(2026, 12, 28), date(2027, 1, 3))
        first = last.next()
        assert first.code == "2027-W01"
        assert (first.first_day, first.last_day) == (date(2027, 1, 4), date(2027, 1, 10))
        assert Period.parse_week("2026-W01").first_day == date(2025, 12, 29)

    @given(days)
    def test_the_week_of_a_day_holds_it_from_monday_to_sunday(self, day):
        week = Period.week_of(day)
        assert week.first_day <= day <= week.last_day
        assert week.first_day.isoweekday() == 1 and week.last_day.isoweekday() == 7
        assert (week.last_day - week.first_day).days == 6
        assert (week.year, week.number) == tuple(day.isocalendar())[:2]

    @given(weeks)
    def test_dates_agree_with_fromisocalendar(self, week):
        assert week.first_day == date.fromisocalendar(week.year, week.number, 1)
        assert week.last_day == date.fromisocalendar(week.year, week.number, 7)

    @given(weeks)
    def test_a_week_belongs_to_the_month_quarter_and_year_of_its_thursday(self, week):
        thursday = date.fromisocalendar(week.year, week.number, 4)
        assert week.thursday == thursday
        assert week.within(PeriodKind.MONTH) == Period(
            thursday.year, PeriodKind.MONTH, thursday.month
        )
        quarter = (thursday.month - 1) // 3 + 1
        assert week.within(PeriodKind.QUARTER) == Period(thursday.year, PeriodKind.QUARTER, quarter)
        assert week.within(PeriodKind.YEAR) == Period(week.year, PeriodKind.YEAR)
        assert week.within(PeriodKind.WEEK) == week

    def test_weeks_straddling_months_and_years(self):
        assert Period.parse_week("2026-W53").within(PeriodKind.QUARTER).code == "2026Q4"
        assert Period.parse_week("2026-W01").within(PeriodKind.MONTH).code == "2026-01"
        assert Period.parse_week("2026-W14").within(PeriodKind.MONTH).code == "2026-04"
        assert Period.parse_week("2026-W18").within(PeriodKind.MONTH).code == "2026-04"  # to 3 May
        assert Period.parse_week("2020-W53").within(PeriodKind.YEAR).code == "2020"  # to 3 Jan 2021

    def test_no_longer_period_falls_within_a_week_or_is_made_of_weeks(self):
        with pytest.raises(PeriodError):
            Period.parse("2026-04").within(PeriodKind.WEEK)
        with pytest.raises(PeriodError):
            Period.parse("2026").parts(PeriodKind.WEEK)
        with pytest.raises(PeriodError):
            Period.parse_week("2026-W14").parts(PeriodKind.MONTH)


class TestOrderingWeeks:
    @given(days, days)
    def test_weeks_sort_as_their_days(self, one, other):
        if Period.week_of(one) != Period.week_of(other):
            assert (Period.week_of(one) < Period.week_of(other)) == (one < other)

    @given(periods, periods)
    def test_every_period_sorts_by_its_last_day_then_shortest_first(self, one, other):
        rank = [PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR]
        key = lambda p: (p.last_day, rank.index(p.kind))  # noqa: E731
        assert (one < other) == (key(one) < key(other))
        assert (one == other) == (key(one) == key(other))

    @given(non_weeks, non_weeks)
    def test_years_quarters_and_months_sort_as_before_weeks_existed(self, one, other):
        months_spanned = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
        key = lambda p: (p.year, p.end_month, months_spanned[p.kind])  # noqa: E731
        assert (one < other) == (key(one) < key(other))

    def test_weeks_among_the_other_kinds(self):
        codes = ["2027-01", "2026", "2026-04", "2026Q1", "2026-03"]
        mixed = [
            *map(Period.parse, codes),
            *map(Period.parse_week, ["2026-W53", "2026-W14", "2026-W13"]),
        ]
        assert [p.code for p in sorted(mixed)] == [
            "2026-W13",  # ends Sunday 29 March
            "2026-03",
            "2026Q1",
            "2026-W14",  # ends Sunday 5 April
            "2026-04",
            "2026",
            "2026-W53",  # ends Sunday 3 January 2027
            "2027-01",
        ]


class TestWeekArithmetic:
    @given(weeks)
    def test_next_and_previous_are_seven_days_apart_and_undo_each_other(self, week):
        assert week.next().first_day == week.first_day + timedelta(days=7)
        assert week.previous().first_day == week.first_day - timedelta(days=7)
        assert week.next().previous() == week
        assert week.previous().next() == week

    @pytest.mark.parametrize(
        ("text", "previous"),
        [("2027-W01", "2026-W53"), ("2026-W01", "2025-W52"), ("2026-W14", "2026-W13")],
    )
    def test_previous_crosses_the_year(self, text, previous):
        assert Period.parse_week(text).previous().code == previous

    @given(weeks)
    def test_same_week_last_year_keeps_the_number_where_last_year_has_it(self, week):
        base = week.same_period_last_year()
        assert base.year == week.year - 1
        assert base.number == min(week.number, iso_weeks_in_year(week.year - 1))

    @pytest.mark.parametrize(
        ("text", "last_year"),
        [
            ("2026-W53", "2025-W52"),
            ("2026-W52", "2025-W52"),
            ("2032-W53", "2031-W52"),
            ("2027-W14", "2026-W14"),
        ],
    )
    def test_week_53_compares_with_last_years_last_week(self, text, last_year):
        assert Period.parse_week(text).same_period_last_year().code == last_year

    @given(st.integers(MIN_YEAR, MAX_YEAR))
    def test_years_of_53_weeks_never_follow_each_other_so_week_53_always_meets_52(self, year):
        assert not (iso_weeks_in_year(year) == iso_weeks_in_year(year - 1) == 53)

    @given(weeks)
    def test_year_share_counts_weeks_of_the_iso_year(self, week):
        assert week.year_share == week.number / iso_weeks_in_year(week.year)
        assert 0 < week.year_share <= 1

    def test_the_last_week_of_a_year_is_the_whole_year(self):
        assert Period.parse_week("2026-W53").year_share == 1.0
        assert Period.parse_week("2025-W52").year_share == 1.0
        assert Period.parse_week("2026-W14").year_share == pytest.approx(14 / 53)

    @given(weeks, weeks)
    def test_year_share_grows_through_the_year(self, one, other):
        if one.year == other.year and one < other:
            assert one.year_share < other.year_share

    @given(non_weeks)
    def test_year_share_of_the_other_kinds_is_unchanged(self, period):
        assert period.year_share == period.end_month / 12


class TestPartsOfPeriods:
    @given(non_weeks)
    def test_months_make_up_a_period_and_fall_within_it(self, period):
        months = period.parts(PeriodKind.MONTH)
        assert (
            len(months)
            == {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[period.kind]
        )
        assert months[0].first_day == period.first_day and months[-1].last_day == period.last_day
        assert all(m.within(period.kind) == period for m in months)

    def test_a_year_is_made_of_four_quarters(self):
        assert [q.code for q in Period.parse("2026").parts(PeriodKind.QUARTER)] == [
            "2026Q1",
            "2026Q2",
            "2026Q3",
            "2026Q4",
        ]
