"""How a monthly review (月点评) is named and marked wherever a race's publication appears.

A race published on a month is a monthly review (rankings.models.is_monthly_review). Pages
call it "Monthly review, October 2026" instead of the race's quarterly heading and put a
badge beside it, so that nobody reads the lighter monthly figures as the quarterly race.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from districts.periods import Period, PeriodError
from rankings.models import Race, is_monthly_review
from rankings.presenters import publication_title

register = template.Library()


def _period(period: str | Period) -> Period | None:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(str(period))
    except PeriodError:
        return None


@register.filter
def monthly(period: str | Period) -> bool:
    """``{% if code|monthly %}``: whether a publication on this period is a monthly review."""
    parsed = _period(period)
    return parsed is not None and is_monthly_review(parsed)


@register.simple_tag
def review_title(race: Race, period: str | Period) -> str:
    return publication_title(race, period)


@register.simple_tag
def monthly_badge(period: str | Period) -> str:
    """A "Monthly review" badge beside a monthly review's period; nothing for other periods."""
    if not monthly(period):
        return ""
    return format_html(
        '<span class="badge monthly-review" title="{}">{}</span>',
        _("A lighter monthly publication of figures to date, not the quarterly race"),
        _("Monthly review"),
    )
