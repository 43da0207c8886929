"""Deployment tasks: deploying one at a meeting, a task's page with every unit's progress and
the report form, and the agenda's deployment section."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import may_deploy_task, may_read_meeting, reader_required
from comments.forms import ServiceErrorsMixin
from districts.models import District
from meetings.models import Meeting
from meetings.selectors.tasks import carried_tasks, meeting_tasks, task_row, task_unit_choices
from meetings.services.tasks import MAX_TASK_TEXT, task_deploy, task_progress_report

# SQLite cannot even compare an integer beyond 64 bits: such an id is refused as a bad choice
# before it reaches the database, rather than ending in a server error.
_LARGEST_ID = 2**63 - 1


def _too_large(value) -> bool:
    try:
        return abs(int(str(value).strip())) > _LARGEST_ID
    except ValueError:
        return False  # not a number: the field itself says so


class UnitChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _too_large(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            if _too_large(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class TaskDeployForm(ServiceErrorsMixin, forms.Form):
    """Reads the input only; which units may be chosen is the service's rule, so a unit outside
    the meeting's races is refused by name rather than as an unknown choice."""

    text = forms.CharField(
        label=gettext_lazy("Task"), max_length=MAX_TASK_TEXT, widget=forms.Textarea
    )
    responsible = UnitsChoiceField(
        label=gettext_lazy("Responsible units"),
        queryset=District.objects.all(),
        error_messages={"required": gettext_lazy("Name at least one responsible unit.")},
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ProgressReportForm(ServiceErrorsMixin, forms.Form):
    """Whose unit the reader may report for is the service's rule (another unit is a 403)."""

    district = UnitChoiceField(label=gettext_lazy("Unit"), queryset=District.objects.all())
    text = forms.CharField(
        label=gettext_lazy("Progress"), max_length=MAX_TASK_TEXT, widget=forms.Textarea
    )
    done = forms.BooleanField(label=gettext_lazy("Our part is done"), required=False)


def task_sections(meeting: Meeting, user) -> dict:
    """The meeting page's deployment section: the context its template needs."""
    today = timezone.localdate()
    return {
        "tasks_template": "meetings/_tasks_section.html",
        "tasks": meeting_tasks(meeting, user, today),
        "carried_tasks": carried_tasks(meeting, today, user),
        "may_deploy_task": may_deploy_task(user, meeting),
    }


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@reader_required
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("No such meeting."))
    if not may_read_meeting(request.user, meeting) or not may_deploy_task(request.user, meeting):
        raise PermissionDenied
    form = TaskDeployForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            task = task_deploy(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The task is deployed."))
            return redirect("meetings:task", pk=task.pk)
    chosen = {str(value) for value in (form["responsible"].value() or [])}
    context = {
        "meeting": meeting,
        "form": form,
        "unit_groups": task_unit_choices(meeting),
        "chosen": chosen,
    }
    return render(request, "meetings/task_form.html", context)


@reader_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The task with every unit's progress; the report form for the units the reader may
    report for."""
    row = task_row(pk, request.user, timezone.localdate())
    if row is None:
        raise Http404(_("No such task."))
    if not may_read_meeting(request.user, row.task.meeting):
        raise PermissionDenied
    if request.method == "POST" and not row.reportable:
        raise PermissionDenied
    form = None
    if row.reportable:
        form = ProgressReportForm(_posted(request), initial={"district": row.reportable[0].pk})
        if form.is_bound and form.is_valid():
            try:
                task_progress_report(actor=request.user, task=row.task, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your progress report is recorded."))
                return redirect("meetings:task", pk=row.task.pk)
    context = {"row": row, "task": row.task, "meeting": row.task.meeting, "form": form}
    return render(request, "meetings/task.html", context)


urlpatterns = [
    path("<int:pk>/tasks/new/", task_new, name="task-new"),
    path("task/<int:pk>/", task_detail, name="task"),
]
