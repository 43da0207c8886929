"""Rectification (整改) items of yellow-flagged units and their plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from districts.models import District
from districts.periods import PERIOD_PATTERN
from rankings.models import Publication, Race

__all__ = ["RectificationItem", "RectificationStatus"]


class RectificationStatus(models.TextChoices):
    AWAITING_PLAN = "awaiting_plan", _("awaiting a plan")
    SUBMITTED = "submitted", _("plan submitted")
    RETURNED = "returned", _("returned for more")
    CLOSED = "closed", _("closed")


class RectificationItem(models.Model):
    """A yellow flag's follow-up: one per race, period and unit, open until its plan is accepted.

    Items do not belong to a period's page only: an open item stays on the unit's list in
    every later period (it carries over) until an official accepts its plan, which closes it.
    """

    race = models.ForeignKey(
        Race, on_delete=models.PROTECT, related_name="+", verbose_name=_("race")
    )
    period = models.CharField(_("period"), max_length=7)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("unit")
    )
    # The publication that flagged it (the latest revision that did, for a corrected period).
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="+", verbose_name=_("publication")
    )
    # The unit's item still open from an earlier period when this one was flagged: "flagged
    # again while an item is open".
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("flagged again while open"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.AWAITING_PLAN,
    )
    causes = models.TextField(_("causes"), blank=True)
    measures = models.TextField(_("measures"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    remark = models.TextField(_("remark"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period", "race", "district__order", "district__code"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        constraints = [
            models.UniqueConstraint(
                fields=["race", "period", "district"], name="rectification_one_per_flag"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="rectification_period_well_formed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} · {self.race.code} · {self.period}"

    @property
    def is_open(self) -> bool:
        return self.status != RectificationStatus.CLOSED
