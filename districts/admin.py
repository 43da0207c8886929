from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import is_bureau, may_enter_values, may_review
from districts.admin_views.period_grid import period_grid_view
from districts.admin_views.value_import import value_import_view
from districts.decimals import format_decimal
from districts.models import DataReturn, District, Group, Indicator, PeriodDeadline, Value
from districts.periods import Period
from districts.services.entry import value_save
from districts.services.review import return_approve
from districts.validation import figure_problems, week_code_refused


class PeriodListFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        periods = Value.objects.order_by("-period").values_list("period", flat=True).distinct()
        return [(code, code) for code in periods[:40]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(period=self.value())
        return queryset


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages are not found, rather than a server error, when
    the address names a record or version by something that is not a number."""

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model, unquote(object_id))
        _key_or_404(
            getattr(self.model, self.model._meta.simple_history_manager_attribute).model, version_id
        )
        return super().history_form_view(request, object_id, version_id, extra_context)


def _key_or_404(model, text: str) -> None:
    try:
        model._meta.pk.to_python(text)
    except ValidationError as error:
        raise Http404("no such record") from error


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order"]
    search_fields = ["code", "name", "name_en"]
    list_editable = ["order"]


@admin.register(District)
class DistrictAdmin(HistoryAdmin):
    list_display = ["code", "name", "name_en", "kind", "group", "population", "order", "active"]
    list_filter = ["group", "kind", "active"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["group"]
    autocomplete_fields = ["group"]

    def get_search_results(self, request, queryset, search_term):
        # The district autocomplete of the value forms offers a clerk his own districts only.
        if not is_bureau(request.user):
            queryset = queryset.filter(clerks=request.user)
        return super().get_search_results(request, queryset, search_term)


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "direction",
        "category",
        "frequency",
        "cumulative",
        "roll_up",
    ]
    list_filter = ["direction", "category", "frequency", "cumulative", "roll_up"]
    search_fields = ["code", "name", "name_en", "category"]


class ValueAdminForm(forms.ModelForm):
    """The change form of one figure: the service's rules, shown on the form's fields."""

    # The version the editor started from; a save after someone else's is refused.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Value
        fields = ["district", "indicator", "period", "value", "target", "note", "justification"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].validators.insert(0, week_code_refused)
        self.user = user
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        district, indicator = cleaned.get("district"), cleaned.get("indicator")
        if district is not None and not may_enter_values(self.user, district):
            self.add_error("district", _("You may enter figures for your own districts only."))
        if indicator is not None and cleaned.get("period"):
            problems = figure_problems(
                indicator=indicator,
                period_code=cleaned["period"],
                value=cleaned.get("value"),
                target=cleaned.get("target"),
            )
            for field, message in problems.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        if self.instance.pk:
            expected = cleaned.get("expected_version")
            current = Value.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if expected is not None and current and current[0] != expected:
                raise ValidationError(
                    _(
                        "Someone saved this figure after you opened it. Reload the page to "
                        "see their figure, then enter yours again if it is still right."
                    )
                )
            if self.instance.locked and self.has_changed():
                raise ValidationError(
                    _(
                        "This figure is used by a published race and locked; a reviewer "
                        "reopens the return to correct it."
                    )
                )
        return cleaned


@admin.register(Value)
class ValueAdmin(HistoryAdmin):
    form = ValueAdminForm
    list_display = [
        "district",
        "indicator",
        "period",
        "figure",
        "target_figure",
        "status",
        "locked",
        "entered_by",
        "entered_at",
    ]
    list_filter = [PeriodListFilter, "indicator", "district__group", "district__kind", "status"]
    search_fields = ["district__code", "district__name", "indicator__code", "indicator__name"]
    list_select_related = ["district", "indicator", "entered_by"]
    autocomplete_fields = ["district", "indicator"]
    readonly_fields = ["status", "locked", "version", "entered_by", "entered_at"]
    history_list_display = ["status", "value", "target", "locked"]

    @admin.display(description=_("value"), ordering="value")
    def figure(self, obj: Value) -> str:
        return format_decimal(obj.value)

    @admin.display(description=_("annual target"), ordering="target")
    def target_figure(self, obj: Value) -> str:
        return format_decimal(obj.target) if obj.target is not None else "—"

    change_list_template = "admin/districts/value/change_list.html"

    def get_urls(self):
        extra = [
            path(
                "grid/",
                self.admin_site.admin_view(lambda request: period_grid_view(request, self)),
                name="districts_value_grid",
            ),
            path(
                "import/",
                self.admin_site.admin_view(lambda request: value_import_view(request, self)),
                name="districts_value_import",
            ),
        ]
        return extra + super().get_urls()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class FormForUser(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return FormForUser

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_bureau(request.user):
            queryset = queryset.filter(district__clerks=request.user)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and not is_bureau(request.user):
            kwargs["queryset"] = District.objects.filter(clerks=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj: Value, form: ValueAdminForm, change: bool) -> None:
        # One write path for every figure: the entry service (rules, draft status, history).
        data = form.cleaned_data
        saved = value_save(
            user=request.user,
            district=data["district"],
            indicator=data["indicator"],
            period=data["period"],
            value=data["value"],
            target=data.get("target"),
            note=data.get("note", ""),
            justification=data.get("justification", ""),
            expected_version=data.get("expected_version"),
            reason="admin form",
        )
        obj.pk, obj.period, obj.status, obj.version = (
            saved.pk,
            saved.period,
            saved.status,
            saved.version,
        )


@admin.register(DataReturn)
class DataReturnAdmin(HistoryAdmin):
    """Returns change through the review page's workflow only; here they are read."""

    list_display = [
        "district",
        "period",
        "status",
        "first_submitted_at",
        "submitted_at",
        "reviewed_at",
        "review_link",
    ]
    list_filter = ["status", PeriodListFilter, "district__group"]
    search_fields = ["district__code", "district__name", "district__name_en"]
    list_select_related = ["district"]
    readonly_fields = [
        "district",
        "period",
        "status",
        "submitted_at",
        "submitted_by",
        "first_submitted_at",
        "reviewed_at",
        "reviewed_by",
        "reason",
    ]

    actions = ["approve_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_bureau(request.user):
            queryset = queryset.filter(district__clerks=request.user)
        return queryset

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_review(request.user):
            actions.pop("approve_selected", None)
        return actions

    @admin.action(description=_("Approve the selected submitted returns"))
    def approve_selected(self, request, queryset) -> None:
        # Through the workflow service, one return at a time: the same rules and history as
        # the review page; returns not submitted are named and left as they are.
        approved, skipped = 0, []
        for data_return in queryset.select_related("district"):
            try:
                return_approve(
                    user=request.user,
                    district=data_return.district,
                    period=Period.parse(data_return.period),
                )
                approved += 1
            except (ValidationError, PermissionDenied):
                skipped.append(f"{data_return.district.code} {data_return.period}")
        if approved:
            self.message_user(
                request,
                ngettext("%d return approved.", "%d returns approved.", approved) % approved,
            )
        if skipped:
            self.message_user(
                request,
                _("Not approved (not submitted): %(returns)s") % {"returns": ", ".join(skipped)},
                level=messages.WARNING,
            )

    @admin.display(description=_("review"))
    def review_link(self, obj: DataReturn) -> str:
        url = reverse("entry-review", args=[obj.district.code, obj.period])
        return format_html('<a href="{}">{}</a>', url, _("open"))


@admin.register(PeriodDeadline)
class PeriodDeadlineAdmin(admin.ModelAdmin):
    list_display = ["period", "due"]
    search_fields = ["period"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "period":
            field.validators.insert(0, week_code_refused)
        return field
