import pytest

from districts.periods import Period, PeriodError, PeriodKind


class TestParsing:
    @pytest.mark.parametrize(
        ("text", "kind", "year", "number"),
        [
            ("2025", PeriodKind.YEAR, 2025, 0),
            ("2025Q1", PeriodKind.QUARTER, 2025, 1),
            ("2025q4", PeriodKind.QUARTER, 2025, 4),
            (" 2025Q2 ", PeriodKind.QUARTER, 2025, 2),
            ("2025-03", PeriodKind.MONTH, 2025, 3),
            ("2025-12", PeriodKind.MONTH, 2025, 12),
        ],
    )
    def test_it_reads_years_quarters_and_months(self, text, kind, year, number):
        period = Period.parse(text)
        assert (period.kind, period.year, period.number) == (kind, year, number)

    @pytest.mark.parametrize("text", ["2025Q1", "2025-03", "2025"])
    def test_the_code_round_trips(self, text):
        assert Period.parse(text).code == text

    @pytest.mark.parametrize(
        "text", ["", "25Q1", "2025Q5", "2025Q0", "2025-13", "2025-00", "2025-3", "Q1 2025", "abc"]
    )
    def test_it_rejects_malformed_codes_with_a_helpful_message(self, text):
        with pytest.raises(PeriodError) as error:
            Period.parse(text)
        assert "2025Q1" in str(error.value) or "month" in str(error.value)

    def test_it_rejects_a_non_string(self):
        with pytest.raises(PeriodError):
            Period.parse(2025)  # type: ignore[arg-type]

    def test_it_rejects_years_outside_the_supported_range(self):
        with pytest.raises(PeriodError):
            Period.parse("1899")


class TestOrdering:
    def test_periods_of_one_kind_sort_chronologically(self):
        codes = ["2025Q2", "2024Q4", "2025Q1", "2023Q3"]
        assert [p.code for p in sorted(map(Period.parse, codes))] == [
            "2023Q3",
            "2024Q4",
            "2025Q1",
            "2025Q2",
        ]

    def test_months_sort_by_number_not_text(self):
        assert Period.parse("2025-09") < Period.parse("2025-10")

    def test_periods_of_mixed_kinds_sort_by_their_end_then_shortest_first(self):
        codes = ["2025", "2025Q1", "2025-03", "2025-04", "2024Q4"]
        assert [p.code for p in sorted(map(Period.parse, codes))] == [
            "2024Q4",
            "2025-03",
            "2025Q1",
            "2025-04",
            "2025",
        ]

    def test_equal_periods_are_equal_and_hash_alike(self):
        assert Period.parse("2025q1") == Period.parse("2025Q1")
        assert len({Period.parse("2025Q1"), Period.parse("2025q1")}) == 1


class TestArithmetic:
    @pytest.mark.parametrize(
        ("text", "previous"),
        [
            ("2025Q2", "2025Q1"),
            ("2025Q1", "2024Q4"),
            ("2025-01", "2024-12"),
            ("2025-07", "2025-06"),
            ("2025", "2024"),
        ],
    )
    def test_previous_period_is_the_one_just_before_of_the_same_kind(self, text, previous):
        assert Period.parse(text).previous().code == previous

    @pytest.mark.parametrize("text", ["2024Q4", "2024-12", "2024", "2025Q2"])
    def test_next_undoes_previous(self, text):
        period = Period.parse(text)
        assert period.next().previous() == period

    @pytest.mark.parametrize(
        ("text", "last_year"), [("2025Q1", "2024Q1"), ("2025-03", "2024-03"), ("2025", "2024")]
    )
    def test_same_period_last_year(self, text, last_year):
        assert Period.parse(text).same_period_last_year().code == last_year

    @pytest.mark.parametrize(
        ("text", "share"),
        [
            ("2025Q1", 0.25),
            ("2025Q2", 0.5),
            ("2025Q3", 0.75),
            ("2025Q4", 1.0),
            ("2025-01", 1 / 12),
            ("2025-06", 0.5),
            ("2025", 1.0),
        ],
    )
    def test_share_of_year_elapsed_is_the_time_account(self, text, share):
        assert Period.parse(text).year_share == pytest.approx(share)
