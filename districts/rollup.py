"""How an indicator's monthly figures make a quarter's or a year's: the roll-up.

Plain Python, no Django, like ``districts.periods``: a race reader or a command calls
``roll_up`` with the figures it read and phrases the outcome in the reader's language.
docs/periods.md explains when each roll-up fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal
from enum import StrEnum
from functools import lru_cache

from districts.periods import Period, PeriodKind

# A mean keeps as many decimals as a stored figure (districts.models.FIGURE_DECIMALS).
MEAN_DECIMALS = 10

# Wide enough that adding twelve figures of 18 + 10 digits rounds nothing.
_EXACT = Context(prec=60)


class RollUp(StrEnum):
    """How the figures of shorter periods make a longer period's figure."""

    SUM = "sum"
    """A flow: the quarter's figure is the sum of its months (investment completed in the
    month makes the investment completed in the quarter). Every month is needed."""

    LAST = "last"
    """A year-to-date cumulative figure: the quarter's figure is its last month's (March's
    year-to-date output is the first quarter's). Only that month is needed."""

    MEAN = "mean"
    """A rate or a level: the quarter's figure is the plain mean of its months (each month
    weighs the same), rounded half-even to MEAN_DECIMALS. Every month is needed."""

    NONE = "none"
    """Not rolled up: the figure is entered for the longer period itself, or not at all."""


@dataclass(frozen=True)
class RolledUp:
    """A rolled-up figure, or None with the reason.

    ``months_used`` are the codes of the figures it was made from (the records a reason
    cites); ``missing`` the codes of the figures it needed and did not get, in order, so a
    caller can say "March 2026 is missing" in the reader's language. ``reason`` says the same
    in plain English, for commands and logs.
    """

    value: Decimal | None
    months_used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reason: str = ""


def roll_up(
    kind: RollUp,
    period: Period,
    monthly: Mapping[str, Decimal | None],
    *,
    of: PeriodKind = PeriodKind.MONTH,
) -> RolledUp:
    """``period``'s figure made from its months' figures in ``monthly`` (keyed by canonical
    code; other keys are ignored, and None is as missing as an absent key).

    ``of`` makes a year from its quarters instead (``of=PeriodKind.QUARTER``); ``months_used``
    and ``missing`` then name quarters. A period that is not made of ``of`` (a week, or a month
    from quarters) raises PeriodError: that is the caller's mistake, not missing data.
    """
    parts = _part_codes(period, of)
    if kind is RollUp.NONE:
        return RolledUp(None, reason=f"{period.code} is not rolled up from {of}s")
    needed = list(parts[-1:] if kind is RollUp.LAST else parts)
    missing = [code for code in needed if monthly.get(code) is None]
    if missing:
        return RolledUp(
            None,
            missing=missing,
            reason=f"{period.code} cannot be rolled up: {', '.join(missing)} missing",
        )
    figures = [_finite(code, monthly[code]) for code in needed]
    if kind is RollUp.LAST:
        value = figures[0]
        how = f"the last {of}'s figure"
    elif kind is RollUp.SUM:
        value = _sum(figures)
        how = f"the sum of {len(figures)} {of}s"
    else:
        value = _mean(figures)
        how = f"the mean of {len(figures)} {of}s"
    return RolledUp(value, months_used=needed, reason=f"{period.code} is {how}")


@lru_cache(maxsize=256)
def _part_codes(period: Period, of: PeriodKind) -> tuple[str, ...]:
    # A race rolls up tens of thousands of figures of the same period: its parts once.
    return tuple(part.code for part in period.parts(of))


def _finite(code: str, figure: Decimal | None) -> Decimal:
    if not isinstance(figure, Decimal) or not figure.is_finite():
        raise ValueError(f"the figure of {code} is not a finite Decimal: {figure!r}")
    return figure


def _sum(figures: list[Decimal]) -> Decimal:
    total = Decimal(0)
    for figure in figures:
        total = _EXACT.add(total, figure)
    return total


def _mean(figures: list[Decimal]) -> Decimal:
    mean = _EXACT.divide(_sum(figures), Decimal(len(figures)))
    rounded = mean.quantize(Decimal(1).scaleb(-MEAN_DECIMALS), context=_EXACT)
    # Without trailing zeros, so the mean of 1.5 and 1.5 reads 1.5 (the recipe of Python's
    # decimal FAQ; normalize alone would write 100 as 1E+2).
    if rounded == rounded.to_integral_value():
        return rounded.quantize(Decimal(1))
    return rounded.normalize(_EXACT)
