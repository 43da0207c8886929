"""Small display helpers shared by every page: ranks, movements, flags, numbers."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rankings.reasons_text import with_unit as _with_unit

register = template.Library()


@register.filter
def with_unit(figure, unit):
    return _with_unit(str(figure), unit or "")


@register.simple_tag
def rank_label(rank, tied=False) -> str:
    """Competition rank as shown: '=3' for a shared place, '—' when unranked."""
    if rank is None:
        return _("unranked")
    return f"={rank}" if tied else str(rank)


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
    return format_html('<span class="move-new">{}</span>', _("unranked"))


@register.simple_tag
def flag_badges(flags):
    labels = {"red": _("Red flag"), "yellow": _("Yellow flag")}
    return format_html_join(
        " ",
        '<span class="flag flag-{}">{}</span>',
        ((flag, labels.get(flag, flag)) for flag in flags or ()),
    )


@register.filter
def number(value, decimals=2):
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):,.{int(decimals)}f}"
    except (TypeError, ValueError):
        return value


@register.filter
def signed(value, decimals=2):
    if value is None:
        return "—"
    return f"{float(value):+,.{int(decimals)}f}"
