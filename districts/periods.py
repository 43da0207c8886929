"""The period a value belongs to: a year (``2025``), quarter (``2025Q1``), month (``2025-03``)
or ISO week (``2026-W14``).

Plain Python, no Django: the ranking engine and the import commands use it too.

Weeks are read only by ``Period.parse_week``. Values, races, publications, comments and meetings
keep their period in seven-character columns checked against PERIOD_PATTERN, which a week code
(eight characters) fits neither, so ``Period.parse`` refuses a week by name. docs/periods.md
has the rules for weeks: ordering, year boundaries, the week before and a year before.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import total_ordering

PERIOD_PATTERN = r"^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$"
# A week code as a future weekly record may store it (not in the period columns above).
WEEK_PATTERN = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"

_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4})Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")
# What someone meant as a week, to name it so: 2026-W14, 2026W14, 2026-W1, 2026-W014.
_WEEK_LIKE = re.compile(r"^([0-9]{4})-?W([0-9]{1,3})$")

MIN_YEAR = 1900
MAX_YEAR = 2999

_NOT_A_PERIOD = "write a year (2025), a quarter (2025Q1) or a month (2025-03)"
_WEEK_FORMAT = "the year, a hyphen, W and the week in two digits"


class PeriodError(ValueError):
    """A period code that cannot be read."""


class WeekNotAcceptedError(PeriodError):
    """A week code where only years, quarters and months are accepted."""


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"


# Periods that end on the same day sort shortest first.
_LENGTH_RANK = {PeriodKind.WEEK: 0, PeriodKind.MONTH: 1, PeriodKind.QUARTER: 2, PeriodKind.YEAR: 3}
_PER_YEAR = {PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}


def iso_weeks_in_year(year: int) -> int:
    """52 or 53. 28 December always falls in an ISO year's last week (ISO 8601)."""
    return date(year, 12, 28).isocalendar().week


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period. ``number`` is the quarter (1-4), month (1-12) or ISO week (1-53);
    0 for a year. A week's ``year`` is its ISO year: the year of its Thursday."""

    year: int
    kind: PeriodKind
    number: int = 0

    def __post_init__(self) -> None:
        # The year range is checked where codes are read (parse): the period before the
        # first readable one, or after the last, must still exist as a baseline to look up.
        if self.kind is PeriodKind.YEAR:
            low, high = 0, 0
        elif self.kind is PeriodKind.WEEK:
            if not 1 <= self.year <= 9999:
                raise PeriodError(f"year {self.year} has no ISO weeks that Python can date")
            low, high = 1, iso_weeks_in_year(self.year)
        else:
            low, high = 1, _PER_YEAR[self.kind]
        if not low <= self.number <= high:
            raise PeriodError(f"{self.kind} number {self.number} is outside {low}-{high}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2025``, ``2025Q1`` (also ``2025q1``) or ``2025-03``. A week is refused with
        WeekNotAcceptedError: only ``parse_week`` reads weeks."""
        if not isinstance(text, str):
            raise PeriodError(f"expected a period code such as 2025Q1, got {text!r}")
        code = text.strip().upper()
        if is_week_code(code):
            raise WeekNotAcceptedError(
                f"{text!r} is a week; weeks are not accepted here: {_NOT_A_PERIOD}"
            )
        period = cls._read(text, code)
        _check_year(period.year)
        return period

    @classmethod
    def parse_week(cls, text: str) -> Period:
        """Read an ISO week: ``2026-W14`` (also ``2026-w14``), and nothing else."""
        if not isinstance(text, str):
            raise PeriodError(f"expected a week code such as 2026-W14, got {text!r}")
        code = text.strip().upper()
        match = _WEEK.match(code)
        if match is None:
            raise PeriodError(_week_format_problem(text, code))
        year, week = int(match[1]), int(match[2])
        _check_year(year)
        weeks = iso_weeks_in_year(year)
        if week == 0:
            raise PeriodError(f"{text!r} has week 00; ISO weeks start at {year}-W01")
        if week > weeks:
            raise PeriodError(
                f"{text!r} has week {week:02d}, but {year} has {weeks} ISO weeks "
                f"({year}-W01 to {year}-W{weeks})"
            )
        return cls(year, PeriodKind.WEEK, week)

    @classmethod
    def week_of(cls, day: date) -> Period:
        """The ISO week ``day`` falls in (2026-12-31 -> 2026-W53, 2027-01-03 -> 2026-W53)."""
        year, week, _ = day.isocalendar()
        return cls(year, PeriodKind.WEEK, week)

    @classmethod
    def _read(cls, text: str, code: str) -> Period:
        if match := _QUARTER.match(code):
            return cls(int(match[1]), PeriodKind.QUARTER, int(match[2]))
        if match := _MONTH.match(code):
            month = int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(f"{text!r} has month {month}; months run from 01 to 12")
            return cls(int(match[1]), PeriodKind.MONTH, month)
        if match := _YEAR.match(code):
            return cls(int(match[1]), PeriodKind.YEAR)
        raise PeriodError(f"{text!r} is not a period; {_NOT_A_PERIOD}")

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.WEEK:
            return f"{self.year}-W{self.number:02d}"
        return str(self.year)

    def __str__(self) -> str:
        return self.code

    @property
    def end_month(self) -> int:
        """The last month (1-12) the period covers; for a week, the month it belongs to (its
        Thursday's), so that ``date(period.year, period.end_month, 1)`` stays in its year."""
        if self.kind is PeriodKind.QUARTER:
            return self.number * 3
        if self.kind is PeriodKind.MONTH:
            return self.number
        if self.kind is PeriodKind.WEEK:
            return self.thursday.month
        return 12

    @property
    def first_day(self) -> date:
        """The first day the period covers: a week's Monday, the 1st of a month's or a quarter's
        first month, 1 January."""
        if self.kind is PeriodKind.WEEK:
            return date.fromisocalendar(self.year, self.number, 1)
        first_month = {PeriodKind.QUARTER: self.number * 3 - 2, PeriodKind.MONTH: self.number}
        return date(self.year, first_month.get(self.kind, 1), 1)

    @property
    def last_day(self) -> date:
        """The last day the period covers: a week's Sunday (2026-W53 ends on 2027-01-03)."""
        if self.kind is PeriodKind.WEEK:
            return date.fromisocalendar(self.year, self.number, 7)
        return date(self.year, self.end_month, calendar.monthrange(self.year, self.end_month)[1])

    @property
    def thursday(self) -> date:
        """A week's Thursday: it decides the year, quarter and month the week belongs to."""
        if self.kind is not PeriodKind.WEEK:
            raise PeriodError(f"{self.code} is a {self.kind}, not a week")
        return date.fromisocalendar(self.year, self.number, 4)

    @property
    def year_share(self) -> float:
        """Share of the year elapsed at the end of the period: the "time account" (Q1 = 0.25).

        A week counts in weeks of its ISO year (2026-W14 = 14/53), so that every week weighs
        the same, the last week of every year is 1.0 like December, and a week straddling New
        Year needs no calendar year of its own.
        """
        if self.kind is PeriodKind.WEEK:
            return self.number / iso_weeks_in_year(self.year)
        return self.end_month / 12

    def within(self, kind: PeriodKind) -> Period:
        """The period of ``kind`` that holds this one (2025-05 -> 2025Q2, 2026-W14 -> 2026-04).

        A week belongs to the month, quarter and year of its Thursday, as ISO 8601 gives
        weeks to years: 2026-W53 (28 Dec 2026 to 3 Jan 2027) is December 2026's.
        """
        if kind is self.kind:
            return self
        if _LENGTH_RANK[kind] < _LENGTH_RANK[self.kind] or kind is PeriodKind.WEEK:
            raise PeriodError(f"a {self.kind} does not fall within a single {kind}")
        month = self.end_month
        if kind is PeriodKind.MONTH:
            return Period(self.year, kind, month)
        if kind is PeriodKind.QUARTER:
            return Period(self.year, kind, (month - 1) // 3 + 1)
        return Period(self.year, PeriodKind.YEAR)

    def parts(self, kind: PeriodKind) -> list[Period]:
        """The periods of ``kind`` this one is made of, in order (2025Q2 -> 2025-04, -05, -06).
        Weeks make no month, quarter or year whole, so no period is made of weeks."""
        if kind is self.kind:
            return [self]
        if (
            kind is PeriodKind.WEEK
            or self.kind is PeriodKind.WEEK
            or (_LENGTH_RANK[kind] > _LENGTH_RANK[self.kind])
        ):
            raise PeriodError(f"a {self.kind} is not made of {kind}s")
        months = range(self.first_day.month, self.end_month + 1)
        if kind is PeriodKind.MONTH:
            return [Period(self.year, kind, m) for m in months]
        return [Period(self.year, kind, q) for q in sorted({(m - 1) // 3 + 1 for m in months})]

    def _sort_key(self) -> tuple[date, int]:
        # By the last day, then the shorter period first:
        # 2025-03 < 2025Q1 < 2025-04 ... < 2025 < 2026-W01 (ends on Sunday 2026-01-04).
        return (self.last_day, _LENGTH_RANK[self.kind])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def previous(self) -> Period:
        """The period just before, of the same kind (2025Q1 -> 2024Q4, 2027-W01 -> 2026-W53)."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year - 1, PeriodKind.YEAR)
        if self.number == 1:
            return Period(self.year - 1, self.kind, self._count_in(self.year - 1))
        return Period(self.year, self.kind, self.number - 1)

    def next(self) -> Period:
        """The period just after, of the same kind (2024Q4 -> 2025Q1, 2026-W53 -> 2027-W01)."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year + 1, PeriodKind.YEAR)
        if self.number == self._count_in(self.year):
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.number + 1)

    def same_period_last_year(self) -> Period:
        """The comparison base for year-on-year growth (2025Q1 -> 2024Q1, 2026-W14 -> 2025-W14).

        Week 53 of a year after a year of 52 weeks compares with that year's week 52: the
        last week with the last week, as December with December.
        """
        if self.kind is PeriodKind.WEEK:
            return Period(
                self.year - 1, self.kind, min(self.number, iso_weeks_in_year(self.year - 1))
            )
        return Period(self.year - 1, self.kind, self.number)

    def _count_in(self, year: int) -> int:
        if self.kind is PeriodKind.WEEK:
            return iso_weeks_in_year(year)
        return _PER_YEAR[self.kind]


def is_week_code(text: object) -> bool:
    """Whether ``text`` is meant as a week (2026-W14, 2026w14, 2026-W1), well formed or not."""
    return isinstance(text, str) and _WEEK_LIKE.match(text.strip().upper()) is not None


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")


def _week_format_problem(text: str, code: str) -> str:
    """Why ``text`` is not a week code, naming the code meant when that is plain (2026-w1)."""
    if (match := _WEEK_LIKE.match(code)) and 1 <= int(match[2]) <= 53:
        meant = f"{match[1]}-W{int(match[2]):02d}"
        return f"{text!r} is not a week code; write {meant}: {_WEEK_FORMAT}"
    return f"{text!r} is not a week code; write an ISO week such as 2026-W14: {_WEEK_FORMAT}"
