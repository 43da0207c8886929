"""Decimals as staff typed them: no trailing-zero noise, never scientific notation."""

from decimal import Decimal


def format_decimal(value: Decimal | int | str) -> str:
    """``12.500000`` -> ``12.5``, ``100.000000`` -> ``100``: never scientific notation."""
    value = Decimal(value)
    if value == 0:
        return "0"  # also turns "-0" into "0"
    return format(value.normalize(), "f")
