"""The period a value belongs to: a year (``2025``), quarter (``2025Q1``) or month (``2025-03``).

Plain Python, no Django: the ranking engine and the import commands use it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import total_ordering

PERIOD_PATTERN = r"^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$"

_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4})Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")

MIN_YEAR = 1900
MAX_YEAR = 2999


class PeriodError(ValueError):
    """A period code that cannot be read."""


class PeriodKind(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


# How many months each kind spans; used to order periods that end in the same month.
_MONTHS_SPANNED = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period. ``number`` is the quarter (1-4) or month (1-12); 0 for a year."""

    year: int
    kind: PeriodKind
    number: int = 0

    def __post_init__(self) -> None:
        # The year range is checked where codes are read (parse): the period before the
        # first readable one, or after the last, must still exist as a baseline to look up.
        limits = {PeriodKind.YEAR: (0, 0), PeriodKind.QUARTER: (1, 4), PeriodKind.MONTH: (1, 12)}
        low, high = limits[self.kind]
        if not low <= self.number <= high:
            raise PeriodError(f"{self.kind} number {self.number} is outside {low}-{high}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2025``, ``2025Q1`` (also ``2025q1``) or ``2025-03``."""
        if not isinstance(text, str):
            raise PeriodError(f"expected a period code such as 2025Q1, got {text!r}")
        code = text.strip().upper()
        period = cls._read(text, code)
        if not MIN_YEAR <= period.year <= MAX_YEAR:
            raise PeriodError(f"year {period.year} is outside {MIN_YEAR}-{MAX_YEAR}")
        return period

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
        raise PeriodError(
            f"{text!r} is not a period; "
            "write a year (2025), a quarter (2025Q1) or a month (2025-03)"
        )

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    def __str__(self) -> str:
        return self.code

    @property
    def end_month(self) -> int:
        """The last month (1-12) the period covers."""
        if self.kind is PeriodKind.QUARTER:
            return self.number * 3
        if self.kind is PeriodKind.MONTH:
            return self.number
        return 12

    @property
    def year_share(self) -> float:
        """Share of the year elapsed at the end of the period: the "time account" (Q1 = 0.25)."""
        return self.end_month / 12

    def _sort_key(self) -> tuple[int, int, int]:
        # By end month, then the shorter period first: 2025-03 < 2025Q1 < 2025-04 ... < 2025.
        return (self.year, self.end_month, _MONTHS_SPANNED[self.kind])

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def previous(self) -> Period:
        """The period just before, of the same kind (2025Q1 -> 2024Q4)."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year - 1, PeriodKind.YEAR)
        if self.number == 1:
            last = 4 if self.kind is PeriodKind.QUARTER else 12
            return Period(self.year - 1, self.kind, last)
        return Period(self.year, self.kind, self.number - 1)

    def next(self) -> Period:
        """The period just after, of the same kind (2024Q4 -> 2025Q1)."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.year + 1, PeriodKind.YEAR)
        last = 4 if self.kind is PeriodKind.QUARTER else 12
        if self.number == last:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.number + 1)

    def same_period_last_year(self) -> Period:
        """The comparison base for year-on-year growth (2025Q1 -> 2024Q1)."""
        return Period(self.year - 1, self.kind, self.number)
