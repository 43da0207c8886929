from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import Milestone, Problem, Project, ProjectReport


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "industry", "kind", "year", "planned_annual_investment"]
    list_filter = ["year", "kind", "industry", "unit__group"]
    search_fields = ["name", "unit__code", "unit__name", "industry"]
    inlines = [MilestoneInline]


@admin.register(ProjectReport)
class ProjectReportAdmin(SimpleHistoryAdmin):
    list_display = ["project", "week", "investment_to_date", "started", "reported_by"]
    list_filter = ["week"]
    search_fields = ["project__name", "project__unit__code"]
    raw_id_fields = ["project", "milestone"]


@admin.register(Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ["project", "category", "raised_week", "status"]
    list_filter = ["status", "category"]
    search_fields = ["project__name", "description"]
    raw_id_fields = ["project", "report"]
