"""Filters for the leaderboard (django-filter)."""

from __future__ import annotations

from collections.abc import Sequence

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from districts.models import DistrictKind
from rankings.models import Standing


class StandingFilter(django_filters.FilterSet):
    """Narrow a leaderboard to one kind of unit (districts, counties, zones, ...)."""

    district__kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=DistrictKind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Standing
        fields = ["district__kind"]

    def __init__(self, data=None, queryset=None, *, kinds: Sequence[str] = (), **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        if kinds:
            # Offer only the kinds that race here; a filter that can only empty the table helps
            # nobody.
            field = self.filters["district__kind"]
            field.extra["choices"] = [(k, v) for k, v in DistrictKind.choices if k in kinds]

    @property
    def kind(self) -> str:
        """The chosen kind, or "" for all (an unknown kind counts as none chosen)."""
        if self.form.is_valid():
            return self.form.cleaned_data.get("district__kind") or ""
        return ""

    @property
    def kind_label(self) -> str:
        return str(dict(DistrictKind.choices).get(self.kind, ""))

    def apply(self, standings: QuerySet[Standing] | list[Standing]):
        """Filter a queryset in the database, or the unsaved rows of a preview in memory."""
        if isinstance(standings, QuerySet):
            self.queryset = standings
            return self.qs if self.form.is_valid() else standings
        kind = self.kind
        return [s for s in standings if not kind or s.district.kind == kind]
