"""Officials' comments (点评) on published races, and their audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from districts.models import District
from districts.periods import PERIOD_PATTERN


class Comment(models.Model):
    """An official's remark (点评) on a published race and period.

    It concerns the whole race, one district's standing or one indicator. A response is a
    comment whose ``parent`` is the comment it answers (a unit's statement or plan). A leader's
    comment made at a meeting names the meeting; it may then address the whole meeting, with
    no race.
    """

    race = models.ForeignKey(
        "rankings.Race",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("race"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("meeting"),
    )
    period = models.CharField(_("period"), max_length=7)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("district"),
    )
    indicator = models.ForeignKey(
        "districts.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("indicator"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("in response to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="saima_comments",
        verbose_name=_("author"),
    )
    author_role = models.CharField(_("author's role"), max_length=20)
    body = models.TextField(_("comment"))
    body_html = models.TextField(_("comment (rendered)"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        # The table keeps the name it had when comments lived in the rankings app.
        db_table = "rankings_comment"
        permissions = [
            ("post_comment", _("Can comment on published races")),
            ("respond_comment", _("Can respond to comments about own districts")),
            ("remove_comment", _("Can remove comments")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(indicator__isnull=True),
                name="comment_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="comment_period_well_formed"
            ),
            models.CheckConstraint(
                condition=Q(race__isnull=False) | Q(meeting__isnull=False),
                name="comment_race_or_meeting",
            ),
        ]
        indexes = [models.Index(fields=["race", "period"], name="rankings_co_race_id_801184_idx")]

    def __str__(self) -> str:
        subject = self.race.code if self.race_id else f"meeting {self.meeting_id}"
        return f"{subject} {self.period} #{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class CommentEvent(models.Model):
    """The audit trail of a comment: what was written, edited or removed, by whom and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        REMOVED = "removed", _("removed")

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    body = models.TextField(_("text at the time"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        db_table = "rankings_commentevent"
        verbose_name = _("comment event")
        verbose_name_plural = _("comment events")

    def __str__(self) -> str:
        return f"{self.comment} {self.action} by {self.actor}"
