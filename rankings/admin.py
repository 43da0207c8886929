"""Django admin for races and what they publish.

A race's methodology is edited as the TOML text of its current version; saving a changed text
adds a version through ``race_load``, so published versions are never altered. Publications
and standings are records, shown read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rankings.errors import RaceConfigurationError
from rankings.methodology_files import (
    MethodologyFileError,
    methodology_from_toml,
    methodology_to_toml,
)
from rankings.models import MethodologyVersion, Publication, Race, Standing
from rankings.selectors.methodologies import methodology_validate
from rankings.services.races import race_load

# Race fields the methodology file owns: race_load writes them, so the admin only shows them.
SPEC_FIELDS = ["code", "name", "name_en", "group", "description"]


class ReadOnlyAdminMixin:
    """Records kept as they were written: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _toml_block(spec: dict) -> str:
    return format_html('<pre class="methodology-toml">{}</pre>', methodology_to_toml(spec))


class RaceAdminForm(forms.ModelForm):
    methodology_toml = forms.CharField(
        label=_("Methodology (TOML)"),
        widget=forms.Textarea(
            attrs={
                "rows": 30,
                "cols": 100,
                "spellcheck": "false",
                "style": "font-family: monospace; width: 100%;",
            }
        ),
        help_text=_(
            "The current version's methodology. Saving a changed text adds a new version; "
            "published standings keep the version they were computed with."
        ),
    )
    methodology_note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("Recorded with the new version, if one is created."),
    )

    class Meta:
        model = Race
        fields = ["active", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.methodology_spec: dict | None = None
        current = self.instance.current_methodology if self.instance.pk else None
        if current is not None:
            self.fields["methodology_toml"].initial = methodology_to_toml(current.spec)

    def clean_methodology_toml(self) -> str:
        text = self.cleaned_data["methodology_toml"]
        try:
            spec = methodology_from_toml(text)
            methodology_validate(spec)
        except MethodologyFileError as error:
            raise ValidationError(str(error)) from error
        except RaceConfigurationError as error:
            raise ValidationError(error.problems) from error
        code = spec.get("code")
        if self.instance.pk and code != self.instance.code:
            raise ValidationError(
                _("The code identifies the race and stays %(code)s; create a new race instead."),
                params={"code": self.instance.code},
            )
        if not self.instance.pk and Race.objects.filter(code=code).exists():
            raise ValidationError(
                _("A race with the code %(code)s exists; edit it instead."), params={"code": code}
            )
        self.methodology_spec = spec
        return text


class MethodologyVersionInline(admin.TabularInline):
    model = MethodologyVersion
    fields = ["number", "note", "created_at", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Race)
class RaceAdmin(admin.ModelAdmin):
    form = RaceAdminForm
    list_display = ["code", "name", "name_en", "group", "active", "order"]
    list_filter = ["active", "group"]
    list_select_related = ["group"]
    search_fields = ["code", "name", "name_en"]
    inlines = [MethodologyVersionInline]

    def get_fieldsets(self, request, obj=None):
        if not self.has_change_permission(request, obj):
            return [(None, {"fields": [*SPEC_FIELDS, "active", "order", "methodology_text"]})]
        methodology = (_("Methodology"), {"fields": ["methodology_toml", "methodology_note"]})
        if obj is None:
            return [methodology, (None, {"fields": ["active", "order"]})]
        return [(None, {"fields": [*SPEC_FIELDS, "active", "order"]}), methodology]

    def get_readonly_fields(self, request, obj=None):
        return [*SPEC_FIELDS, "methodology_text"] if obj is not None else []

    @admin.display(description=_("Methodology (TOML)"))
    def methodology_text(self, obj: Race) -> str:
        current = obj.current_methodology
        return _toml_block(current.spec) if current else "—"

    def save_model(self, request, obj: Race, form: RaceAdminForm, change: bool) -> None:
        # One write, through the service that owns races: the methodology text decides the
        # race's code, names, group and version; the form adds how the race is listed.
        result = race_load(
            spec=form.methodology_spec,
            user=request.user,
            note=form.cleaned_data.get("methodology_note", ""),
            active=form.cleaned_data["active"],
            order=form.cleaned_data["order"],
        )
        # The admin goes on with ``obj`` (its log entry and redirect): make it the saved race.
        obj.pk = result.race.pk
        for name in [*SPEC_FIELDS, "active", "order"]:
            setattr(obj, name, getattr(result.race, name))
        if result.created_version and change:
            messages.info(
                request,
                gettext("Methodology version %(number)d is created.")
                % {"number": result.version.number},
            )


@admin.register(MethodologyVersion)
class MethodologyVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["race", "number", "note", "created_at", "created_by"]
    list_filter = ["race"]
    list_select_related = ["race", "created_by"]
    fields = ["race", "number", "note", "created_at", "created_by", "methodology"]
    readonly_fields = fields

    @admin.display(description=_("Methodology (TOML)"))
    def methodology(self, obj: MethodologyVersion) -> str:
        return _toml_block(obj.spec)


class CalendarBoundChangeList(ChangeList):
    """A date-hierarchy day past the calendar's end (year 9999's last day, a year of twenty
    digits) is shown as a wrong filter (?e=1), as Django shows an impossible date, rather
    than the server error Django's OverflowError would give."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "race",
        "period",
        "revision",
        "methodology",
        "published_at",
        "published_by",
        "superseded_at",
    ]
    list_filter = ["race", "period"]
    list_select_related = ["race", "methodology__race", "published_by"]
    date_hierarchy = "published_at"

    def get_changelist(self, request, **kwargs):
        return CalendarBoundChangeList


@admin.register(Standing)
class StandingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["publication", "district", "rank", "tied", "score", "movement", "flags"]
    list_filter = ["publication__race", "publication__period", "movement"]
    list_select_related = ["publication__race", "district"]
    search_fields = ["district__code", "district__name", "district__name_en"]
