"""The assessments around the annual one, as models of the frame (``assessment``): special
assessments (``SpecialTask``, ``SpecialScore``), the routine assessment archive
(``RoutineRecord``) and the assessment plan (``PlannedActivity``). Imported by
``assessment.models``, so that Django registers them with that app.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import Adjustment, County, Cycle
from assessment.uploads import private_file_storage


class SpecialTask(models.Model):
    """A special assessment (专项考核): a major task or emergency of the year, the counties it
    involves, and the limits of the bonus and penalty it may carry."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="special_tasks")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    counties = models.ManyToManyField(
        County, related_name="special_tasks", verbose_name=_("counties involved")
    )
    max_bonus = models.DecimalField(
        _("largest bonus"), max_digits=10, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    max_penalty = models.DecimalField(
        _("largest penalty"), max_digits=10, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("As a positive number: a penalty of 2 points is written 2."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("special assessment")
        verbose_name_plural = _("special assessments")
        ordering = ["cycle", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="special_task_period_in_order", condition=Q(ends_on__gte=models.F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return self.name


class SpecialScore(models.Model):
    """An involved county's evaluation and points in a special assessment. Its points are the
    county's adjustment of the cycle (``adjustment``), which the engine sums and caps."""

    task = models.ForeignKey(SpecialTask, models.CASCADE, related_name="scores")
    county = models.ForeignKey(County, models.PROTECT, related_name="special_scores")
    evaluation = models.TextField(_("evaluation"))
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=2)
    adjustment = models.OneToOneField(
        Adjustment, models.SET_NULL, null=True, blank=True, related_name="special_score"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("special assessment score")
        verbose_name_plural = _("special assessment scores")
        ordering = ["task", "county"]
        constraints = [
            models.UniqueConstraint(fields=["task", "county"], name="special_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.county} {self.points:+}"


class RoutineRecord(models.Model):
    """An observation of a county team in the routine assessment archive (平时考核): what the
    lead department learned, from where, positive or negative. Never shown to counties."""

    class Source(models.TextChoices):
        DEMOCRATIC_LIFE = "democratic_life", _("Democratic life meeting")
        CADRE_TALKS = "cadre_talks", _("Talks with cadres")
        FIELD_VISIT = "field_visit", _("Field visit")
        INSPECTION = "inspection", _("Inspection")
        AUDIT = "audit", _("Audit")
        PETITIONS = "petitions", _("Petitions")
        OTHER = "other", _("Other")

    class Polarity(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="routine_records")
    county = models.ForeignKey(County, models.PROTECT, related_name="routine_records")
    observed_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=32, choices=Source.choices)
    polarity = models.CharField(_("positive or negative"), max_length=16, choices=Polarity.choices)
    text = models.TextField(_("observation"))
    attachment = models.FileField(
        _("attachment"), storage=private_file_storage, upload_to="routine/%Y/", blank=True
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("routine assessment record")
        verbose_name_plural = _("routine assessment records")
        ordering = ["-observed_on", "-id"]
        indexes = [models.Index(fields=["cycle", "county"])]

    def __str__(self) -> str:
        return f"{self.county} {self.observed_on} {self.get_polarity_display()}"


class PlannedActivity(models.Model):
    """An assessment, inspection or check that a department plans to run on counties in the
    year (the assessment plan, 多考合一). Several can be merged into one combined activity:
    the originals then point at it."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        INSPECTION = "inspection", _("Inspection")
        CHECK = "check", _("Check")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="planned_activities")
    topic = models.CharField(_("topic"), max_length=200)
    organizer = models.CharField(_("organizer"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CHECK)
    counties = models.ManyToManyField(
        County, related_name="planned_activities", verbose_name=_("counties")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    combined = models.BooleanField(_("combined activity"), default=False)
    merged_into = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="merged",
        verbose_name=_("merged into"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["cycle", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="planned_activity_period_in_order",
                condition=Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return self.topic
