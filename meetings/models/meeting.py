"""A meeting, its exchange speeches and its deployment tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from districts.models import District
from districts.periods import PERIOD_PATTERN
from rankings.models import Race

__all__ = [
    "DeploymentTask",
    "Meeting",
    "MeetingForm",
    "MeetingStatus",
    "Speech",
    "SpeechAttachment",
    "TaskProgress",
]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    MINUTES_PUBLISHED = "minutes_published", _("minutes published")


class MeetingForm(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    VIDEO = "video", _("by video")


class Meeting(models.Model):
    """The quarterly horse-race meeting (赛马会) of a period, covering one or more races.

    Its agenda is fixed by the practice it serves: the results report (generated from the
    publications), the exchange speeches, the leaders' comments and the deployment of tasks.
    """

    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=7)
    races = models.ManyToManyField(Race, related_name="meetings", verbose_name=_("races"))
    date = models.DateField(_("date"))
    form = models.CharField(
        _("form"), max_length=10, choices=MeetingForm.choices, default=MeetingForm.VIDEO
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # Who attended, as the bureau records it after the meeting (free text: one line each).
    attendance = models.TextField(_("attendance"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="meeting_period_well_formed"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_held(self) -> bool:
        return self.status != MeetingStatus.PLANNED


class Speech(models.Model):
    """An exchange speech (交流发言) by one unit at a meeting, written by its clerk."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="speeches", verbose_name=_("meeting")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="speeches", verbose_name=_("unit")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Why the bureau chose this unit (the suggestion it took, or its own words).
    reason = models.CharField(_("why this unit speaks"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("speech"), blank=True)
    body_html = models.TextField(_("speech (rendered)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("exchange speech")
        verbose_name_plural = _("exchange speeches")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "district"], name="speech_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.district}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class SpeechAttachment(models.Model):
    """A speech's PDF or DOCX, kept in the database so every server and every backup has it.

    Its own table, so that listing speeches never reads the bytes.
    """

    speech = models.OneToOneField(
        Speech, on_delete=models.CASCADE, related_name="attachment", verbose_name=_("speech")
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("speech attachment")
        verbose_name_plural = _("speech attachments")

    def __str__(self) -> str:
        return self.name


class DeploymentTask(models.Model):
    """A task the leaders deploy at a meeting ("how to do" next): text, units, due date."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("meeting")
    )
    text = models.TextField(_("task"))
    responsible = models.ManyToManyField(
        District, related_name="deployment_tasks", verbose_name=_("responsible units")
    )
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("deployment task")
        verbose_name_plural = _("deployment tasks")

    def __str__(self) -> str:
        return self.text[:60]


class TaskProgress(models.Model):
    """One unit's report of progress on a task; the latest says whether the unit is done."""

    task = models.ForeignKey(
        DeploymentTask, on_delete=models.CASCADE, related_name="progress", verbose_name=_("task")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    text = models.TextField(_("progress"))
    done = models.BooleanField(_("done"), default=False)
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["task", "district", "reported_at", "pk"]
        verbose_name = _("task progress report")
        verbose_name_plural = _("task progress reports")
        indexes = [models.Index(fields=["district", "task"], name="meetings_progress_unit_task")]

    def __str__(self) -> str:
        return f"{self.task} · {self.district}"
