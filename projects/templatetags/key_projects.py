"""Filters for the key project pages."""

from django import template

register = template.Library()


@register.filter
def percent(share) -> str:
    """A share as a whole percentage: 0.4321 -> 43%; nothing for a missing share."""
    if share is None or share == "":
        return "–"
    return f"{float(share) * 100:.0f}%"
