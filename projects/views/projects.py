"""Key project pages: the list, a project, a unit's weekly report, problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import may_manage_projects, may_report_for_unit, reader_required
from districts.models import District
from districts.periods import Period, PeriodError
from projects.models import Problem, ProblemCategory, ProblemStatus
from projects.selectors.projects import (
    ReportLine,
    problem_list,
    project_industries,
    project_page,
    project_rows,
    project_units,
    reportable_units,
    week_report_lines,
)
from projects.services.problems import problem_escalate, problem_resolve
from projects.services.reports import (
    ProblemInput,
    RowInput,
    plain,
    row_key,
    week_checked,
    week_report_save,
)


class ProjectFilterForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    industry = forms.ChoiceField(label=gettext_lazy("Industry"), required=False)

    def __init__(self, *args, units, industries, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["unit"].choices = everything + [(u.code, u.display_name) for u in units]
        self.fields["industry"].choices = everything + [(i, i) for i in industries]


@reader_required
def project_list(request: HttpRequest) -> HttpResponse:
    units = project_units()
    form = ProjectFilterForm(request.GET or None, units=units, industries=project_industries())
    unit, industry = None, ""
    if form.is_bound and form.is_valid():
        unit = next((u for u in units if u.code == form.cleaned_data["unit"]), None)
        industry = form.cleaned_data["industry"]
    this_week = Period.week_of(timezone.localdate())
    context = {
        "form": form,
        "rows": project_rows(unit=unit, industry=industry),
        "report_units": reportable_units(request.user),
        "this_week": this_week,
        "last_week": this_week.previous(),
    }
    return render(request, "projects/project_list.html", context)


@reader_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = project_page(pk)
    if page is None:
        raise Http404(_("No such project."))
    context = {
        "page": page,
        "project": page.project,
        "may_report": may_report_for_unit(request.user, page.project.unit_id),
        "this_week": Period.week_of(timezone.localdate()),
    }
    return render(request, "projects/project.html", context)


@dataclass
class FormLine:
    """A report line with what the form shows in it: the values and their errors."""

    line: ReportLine
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)


def _initial_values(line: ReportLine) -> dict[str, str]:
    report = line.prefill
    if report is None:
        return {"investment": "", "started": "", "milestone": "", "note": ""}
    return {
        "investment": plain(report.investment_to_date),
        "started": "on" if report.started else "",
        "milestone": str(report.milestone_id or ""),
        # A note explains one week; last week's is not carried into this one.
        "note": report.note if line.report else "",
    }


def _posted_values(post, line: ReportLine) -> dict[str, str]:
    pk = line.project.pk
    return {
        name: post.get(row_key(pk, name), "")
        for name in ("investment", "started", "milestone", "note", "category", "problem")
    }


def _row_input(line: ReportLine, values: dict[str, str]) -> RowInput:
    problems = []
    if values["category"] or values["problem"].strip():
        problems.append(ProblemInput(values["category"], values["problem"]))
    return RowInput(
        project_id=line.project.pk,
        investment_to_date=values["investment"],
        started=bool(values["started"]),
        milestone_id=values["milestone"] or None,
        note=values["note"],
        problems=problems,
    )


def _not_reportable(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "projects/report_unavailable.html", {"message": message}, status=404)


@reader_required
def week_report(request: HttpRequest, unit_code: str, week: str) -> HttpResponse:
    """A unit's report for one week: a row per active project, all sent at once."""
    unit = District.objects.filter(code=unit_code).select_related("group").first()
    if unit is None:
        return _not_reportable(
            request, _("There is no unit with the code %(code)s.") % {"code": unit_code}
        )
    try:
        Period.parse_week(week)
    except PeriodError:
        return _not_reportable(
            request, _("%(code)s is not an ISO week such as 2026-W14.") % {"code": week}
        )
    if not may_report_for_unit(request.user, unit.pk):
        raise PermissionDenied
    try:
        period = week_checked(week)
    except ValidationError as error:
        return _not_reportable(request, " ".join(error.messages))
    if period.code != week:
        return redirect("projects:report", unit_code=unit.code, week=period.code)
    lines = week_report_lines(unit, period)
    general_errors: list[str] = []
    if request.method == "POST":
        form_lines = [FormLine(line, _posted_values(request.POST, line)) for line in lines]
        try:
            week_report_save(
                user=request.user,
                unit=unit,
                week=period.code,
                rows=[_row_input(f.line, f.values) for f in form_lines],
            )
        except ValidationError as error:
            found = error.message_dict
            for form_line in form_lines:
                for name in ("investment", "milestone", "note", "category", "problem"):
                    form_line.errors[name] = found.pop(row_key(form_line.line.project.pk, name), [])
            general_errors = [m for messages_ in found.values() for m in messages_]
            row_errors = [m for f in form_lines for ms in f.errors.values() for m in ms]
            context = _report_context(unit, period, form_lines, general_errors + row_errors)
            return render(request, "projects/week_report.html", context)
        messages.success(
            request,
            _("The report of %(unit)s for %(week)s is saved.")
            % {"unit": unit.display_name, "week": period.code},
        )
        return redirect("projects:report", unit_code=unit.code, week=period.code)
    form_lines = [FormLine(line, _initial_values(line)) for line in lines]
    return render(
        request, "projects/week_report.html", _report_context(unit, period, form_lines, [])
    )


def _report_context(unit, period: Period, form_lines: list[FormLine], errors: list[str]) -> dict:
    today_week = Period.week_of(timezone.localdate())
    return {
        "unit": unit,
        "week": period,
        "lines": form_lines,
        "errors": errors,
        "categories": ProblemCategory.choices,
        "previous_week": period.previous(),
        "next_week": period.next() if period < today_week else None,
    }


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=gettext_lazy("Resolution"), widget=forms.Textarea(attrs={"rows": 2})
    )
    week = forms.CharField(label=gettext_lazy("Resolved in week"), max_length=20)


def _problems_page(request, *, failed: Problem | None = None, errors=(), status=200):
    chosen = request.GET.get("status", "")
    context = {
        "problems": problem_list(status=chosen),
        "statuses": ProblemStatus.choices,
        "chosen": chosen if chosen in ProblemStatus.values else "",
        "may_manage": may_manage_projects(request.user),
        "this_week": Period.week_of(timezone.localdate()),
        "failed": failed,
        "failed_errors": list(errors),
        "posted": request.POST if failed else {},
    }
    return render(request, "projects/problems.html", context, status=status)


@reader_required
def problems(request: HttpRequest) -> HttpResponse:
    return _problems_page(request)


def _problem_for_bureau(request: HttpRequest, pk: int) -> Problem:
    if request.method != "POST" or not may_manage_projects(request.user):
        raise PermissionDenied
    problem = Problem.objects.filter(pk=pk).select_related("project").first()
    if problem is None:
        raise Http404(_("No such problem."))
    return problem


@reader_required
def problem_escalate_view(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_for_bureau(request, pk)
    try:
        problem_escalate(user=request.user, problem=problem)
    except ValidationError as error:
        return _problems_page(request, failed=problem, errors=error.messages)
    messages.success(
        request, _("The problem of %(project)s is escalated.") % {"project": problem.project.name}
    )
    return redirect(reverse("projects:problems") + f"#problem-{problem.pk}")


@reader_required
def problem_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem_for_bureau(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        errors = [m for ms in form.errors.values() for m in ms]
        return _problems_page(request, failed=problem, errors=errors)
    try:
        problem_resolve(user=request.user, problem=problem, **form.cleaned_data)
    except ValidationError as error:
        return _problems_page(request, failed=problem, errors=error.messages)
    messages.success(
        request,
        _("The problem of %(project)s is recorded as resolved.")
        % {"project": problem.project.name},
    )
    return redirect(reverse("projects:problems") + f"#problem-{problem.pk}")


urlpatterns = [
    path("", project_list, name="list"),
    path("<int:pk>/", project_detail, name="project"),
    path("report/<str:unit_code>/<str:week>/", week_report, name="report"),
    path("problems/", problems, name="problems"),
    path("problems/<int:pk>/escalate/", problem_escalate_view, name="problem-escalate"),
    path("problems/<int:pk>/resolve/", problem_resolve_view, name="problem-resolve"),
]
