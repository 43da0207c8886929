"""Template tags every page uses to show ranks, movements, flags and figures.

The wording comes from pages.formatting, which tables and exports call too.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import role_label as _role_label
from districts.decimals import format_decimal
from districts.presenters import warning_text
from pages import formatting

register = template.Library()


@register.filter
def with_unit(figure, unit):
    return formatting.with_unit(str(figure), unit or "")


@register.simple_tag
def rank_label(rank, tied=False) -> str:
    """Competition rank as shown: '=3' for a shared place, 'unranked' when there is none."""
    return formatting.rank_text(rank, tied) or formatting.unranked_text()


@register.simple_tag
def movement(movement, rank_change=None):
    """An arrow and words, so colour is never the only signal."""
    if movement == "up":
        text = ngettext("up %(n)d", "up %(n)d", rank_change) % {"n": rank_change}
        return format_html(
            '<span class="move-up"><span aria-hidden="true">▲</span> {}</span>', text
        )
    if movement == "down":
        n = abs(rank_change or 0)
        text = ngettext("down %(n)d", "down %(n)d", n) % {"n": n}
        return format_html(
            '<span class="move-down"><span aria-hidden="true">▼</span> {}</span>', text
        )
    if movement == "same":
        return format_html(
            '<span class="move-same"><span aria-hidden="true">＝</span> {}</span>', _("no change")
        )
    if movement == "new":
        return format_html('<span class="move-new">{}</span>', _("new"))
    return format_html('<span class="move-new">{}</span>', formatting.unranked_text())


@register.simple_tag
def flag_badges(flags):
    return format_html_join(
        " ",
        '<span class="flag flag-{}">{}</span>',
        ((flag, formatting.flag_label(flag)) for flag in flags or ()),
    )


@register.filter
def number(value, decimals=2):
    if value is None or value == "":
        return "—"
    try:
        return formatting.format_number(float(value), int(decimals))
    except (TypeError, ValueError):
        return value


@register.filter
def role_label(role: str) -> str:
    """The translated name of a role stored as text (a comment author's role)."""
    return _role_label(role or "")


@register.filter
def figure(value) -> str:
    """A stored figure as entered: 3.9, not 3.9000000000."""
    if value is None or value == "":
        return "—"
    return format_decimal(value)


@register.simple_tag
def check_warning(warning, indicator, period) -> str:
    """A soft-check warning of ``indicator``'s figure for ``period`` (a Period), in words."""
    return warning_text(warning, indicator=indicator, period=period)
