"""Filters for the leaderboard (django-filter): the kind of unit, and a district search."""

from __future__ import annotations

from collections.abc import Sequence

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from districts.models import DistrictKind
from rankings.models import Standing


def _matches(standing: Standing, text: str) -> bool:
    district = standing.district
    folded = text.casefold()
    return (
        district.code.casefold().startswith(folded)
        or folded in district.name.casefold()
        or folded in (district.name_en or "").casefold()
    )


class StandingFilter(django_filters.FilterSet):
    """Narrow a leaderboard to one kind of unit (districts, counties, zones, ...), or find a
    district by the start of its code or a part of its name in either language."""

    district__kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=DistrictKind.choices, empty_label=_("All kinds")
    )
    q = django_filters.CharFilter(
        label=_("Find a district"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or name")}),
    )

    class Meta:
        model = Standing
        fields = ["district__kind", "q"]

    def __init__(self, data=None, queryset=None, *, kinds: Sequence[str] = (), **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        if kinds:
            # Offer only the kinds that race here; a filter that can only empty the table helps
            # nobody.
            field = self.filters["district__kind"]
            field.extra["choices"] = [(k, v) for k, v in DistrictKind.choices if k in kinds]

    @property
    def cleaned(self) -> dict:
        """The valid fields of the form: an unknown kind is dropped, a search still applies."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def kind(self) -> str:
        """The chosen kind, or "" for all (an unknown kind counts as none chosen)."""
        return self.cleaned.get("district__kind") or ""

    @property
    def kind_label(self) -> str:
        return str(dict(DistrictKind.choices).get(self.kind, ""))

    @property
    def search_text(self) -> str:
        """The district searched for, or "" for none."""
        return (self.cleaned.get("q") or "").strip()

    def search(self, queryset: QuerySet[Standing], name: str, value: str) -> QuerySet[Standing]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(district__code__istartswith=text)
            | Q(district__name__icontains=text)
            | Q(district__name_en__icontains=text)
        )

    def apply(self, standings: QuerySet[Standing] | list[Standing]):
        """Filter a queryset in the database, or the unsaved rows of a preview in memory."""
        if isinstance(standings, QuerySet):
            if not self.is_bound:
                return standings
            self.form.is_valid()  # leaves only the valid fields in cleaned_data
            return self.filter_queryset(standings)
        kind, text = self.kind, self.search_text
        return [
            s
            for s in standings
            if (not kind or s.district.kind == kind) and (not text or _matches(s, text))
        ]
