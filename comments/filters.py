"""The filters of the list of all comments."""

import django_filters
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from districts.models import District
from rankings.models import Race


def _comment_periods() -> list[tuple[str, str]]:
    periods = (
        Comment.objects.filter(removed_at__isnull=True)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
    return [(code, code) for code in periods]


class CommentFilter(django_filters.FilterSet):
    """The filters of the list of all comments: period, race and district, by code."""

    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=_comment_periods, empty_label=_("All periods")
    )
    race = django_filters.ModelChoiceFilter(
        label=_("Race"),
        queryset=Race.objects.all(),
        to_field_name="code",
        empty_label=_("All races"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="code",
        empty_label=_("All districts"),
    )

    class Meta:
        model = Comment
        fields = ["period", "race", "district"]
