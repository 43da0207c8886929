"""Races (methodologies applied to a group) and their published standings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import BilingualName, District, Group
from districts.periods import PERIOD_PATTERN, Period, PeriodError, PeriodKind


class ImmutableRecordError(Exception):
    """An attempt to change a published record."""


class Race(BilingualName):
    """A ranking methodology applied to one group; its methodology is versioned."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="races", verbose_name=_("group")
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("race")
        verbose_name_plural = _("races")

    @property
    def current_methodology(self) -> "MethodologyVersion | None":
        return self.versions.order_by("-number").first()


class MethodologyVersion(models.Model):
    """One version of a race's methodology. Publishing freezes it: a change makes a new version."""

    race = models.ForeignKey(
        Race, on_delete=models.CASCADE, related_name="versions", verbose_name=_("race")
    )
    number = models.PositiveIntegerField(_("version"))
    spec = models.JSONField(_("methodology"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["race", "-number"]
        verbose_name = _("methodology version")
        verbose_name_plural = _("methodology versions")
        constraints = [
            models.UniqueConstraint(fields=["race", "number"], name="methodology_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="methodology_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.race.code} v{self.number}"


def is_monthly_review(period: str | Period) -> bool:
    """Whether a race published on ``period`` is a monthly review (月点评): a month's figures
    to date, a lighter publication than the quarterly race. The period's kind says so; no
    column does. A code that is not a period is no monthly review."""
    if isinstance(period, str):
        try:
            period = Period.parse(period)
        except PeriodError:
            return False
    return period.kind is PeriodKind.MONTH


class Publication(models.Model):
    """An immutable snapshot of one race's standings for one period.

    Publishing again after a correction adds a revision and marks this one superseded;
    both stay readable. A publication on a month is a monthly review (``is_monthly_review``):
    it has its own standings and comments, but makes no rectification items and is reported
    at no meeting.
    """

    race = models.ForeignKey(
        Race, on_delete=models.PROTECT, related_name="publications", verbose_name=_("race")
    )
    period = models.CharField(_("period"), max_length=7)
    revision = models.PositiveIntegerField(_("revision"))
    methodology = models.ForeignKey(
        MethodologyVersion,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("methodology version"),
    )
    fingerprint = models.CharField(_("input fingerprint"), max_length=64)
    contribution_scale = models.CharField(_("contribution scale"), max_length=10, default="score")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # Per indicator: the group's average of the figures as entered, the districts ranked
    # first on them and their figure (rankings.entered_values), so that a district's page
    # need not read every standing. Empty for publications made before it was kept.
    entered_values = models.JSONField(_("entered values summary"), default=dict, blank=True)

    class Meta:
        ordering = ["race", "-period", "-revision"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["race", "period", "revision"], name="publication_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["race", "period"],
                condition=Q(superseded_at__isnull=True),
                name="publication_one_current_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_PATTERN), name="publication_period_well_formed"
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1), name="publication_revision_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.race.code} {self.period} r{self.revision}"

    def save(self, *args, **kwargs) -> None:
        # A publication is a snapshot: once stored, only its retirement may be recorded.
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"superseded_at"}:
            raise ImmutableRecordError(f"publication {self} is immutable")
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_monthly_review(self) -> bool:
        return is_monthly_review(self.period)


class Standing(models.Model):
    """One district's place in one publication, with everything needed to explain it."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="standings")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="standings")
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    tied = models.BooleanField(_("tied"), default=False)
    score = models.FloatField(_("score"), null=True, blank=True)
    ranking_score = models.FloatField(_("ranking score"), null=True, blank=True)
    coverage = models.FloatField(_("coverage"), default=1.0)
    flags = models.JSONField(_("flags"), default=list)
    rank_change = models.IntegerField(_("rank change"), null=True, blank=True)
    movement = models.CharField(_("movement"), max_length=10)
    contributions = models.JSONField(_("contributions"), default=dict)
    indicators = models.JSONField(_("indicator details"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)

    class Meta:
        ordering = ["publication", "rank", "district__code"]
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "district"], name="standing_unique_per_publication"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} #{self.rank} {self.district.code}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRecordError(f"standing {self} is part of a publication and immutable")
        super().save(*args, **kwargs)


class StandingExplanation(models.Model):
    """What a page tells about one district of one publication beyond its standing, computed
    once (at publish, or afterwards by `manage.py store_explanations`) so that no page
    re-runs a race: the rank interval of the robustness analysis, the changes of one own
    figure that would overtake the district just above, and the parts of the score change
    since the previous period. Each part is null when it was not computed or does not
    apply (nobody above, no previous publication). Stored per publication: a new revision
    stores its own, and a stored row is never changed (docs/explanations.md)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="explanations"
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    rank_interval = models.JSONField(_("rank interval"), null=True, blank=True)
    overtake = models.JSONField(_("what it takes to overtake"), null=True, blank=True)
    rank_change = models.JSONField(_("parts of the score change"), null=True, blank=True)
    # False: only the cheap parts (the rank interval) were stored at publish; the command
    # store_explanations adds the rest.
    complete = models.BooleanField(_("complete"), default=False)

    class Meta:
        verbose_name = _("stored explanation")
        verbose_name_plural = _("stored explanations")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "district"], name="explanation_unique_per_publication"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.district_id}"
