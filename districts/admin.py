from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.access import is_bureau
from districts.models import District, Group, Indicator, Value


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


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order"]
    search_fields = ["code", "name", "name_en"]
    list_editable = ["order"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind", "group", "population", "order", "active"]
    list_filter = ["group", "kind", "active"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["group"]
    autocomplete_fields = ["group"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "direction", "category", "frequency", "cumulative"]
    list_filter = ["direction", "category", "frequency", "cumulative"]
    search_fields = ["code", "name", "name_en", "category"]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = [
        "district",
        "indicator",
        "period",
        "value",
        "target",
        "status",
        "entered_by",
        "entered_at",
    ]
    list_filter = [PeriodListFilter, "indicator", "district__group", "district__kind", "status"]
    search_fields = ["district__code", "district__name", "indicator__code", "indicator__name"]
    list_select_related = ["district", "indicator", "entered_by"]
    autocomplete_fields = ["district", "indicator"]
    readonly_fields = ["entered_by", "entered_at"]

    @staticmethod
    def _limited_to_own_districts(request) -> bool:
        # Clerks enter figures for the districts they look after; the bureau sees them all.
        return not is_bureau(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._limited_to_own_districts(request):
            queryset = queryset.filter(district__clerks=request.user)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and self._limited_to_own_districts(request):
            kwargs["queryset"] = District.objects.filter(clerks=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        # The autocomplete widget would offer every district; clerks get a plain choice list.
        if self._limited_to_own_districts(request):
            return ["indicator"]
        return super().get_autocomplete_fields(request)

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
