"""Warnings (指标预警) issued when a pre-assessment round closes, and diagnosis flags."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import County, Cycle, Round
from indicators.models import Indicator
from scoring.engine import warning_reasons
from scoring.models import VALUE


class Warning(models.Model):
    """One warning to one county on one indicator in one round, with every reason that applies.

    Closing a round again with the same data keeps these rows. When the data changed, the rows
    that no longer hold are marked replaced (``replaced_at``) and stay in the history.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        READ = "read", _("Read")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="warnings")
    round = models.ForeignKey(Round, models.CASCADE, related_name="warnings")
    county = models.ForeignKey(County, models.PROTECT, related_name="warnings")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="warnings")
    bottom_three = models.BooleanField(_("bottom three"), default=False)
    behind_target = models.BooleanField(_("behind target"), default=False)
    not_reported = models.BooleanField(_("not reported"), default=False)
    progress = models.DecimalField(_("progress (%)"), **VALUE, null=True, blank=True)
    # Place among the counties that reported, 1 = the most advanced; of ``reported`` counties.
    place = models.PositiveIntegerField(_("place"), null=True, blank=True)
    reported = models.PositiveIntegerField(_("counties reported"), default=0)
    expected = models.DecimalField(_("expected progress (%)"), max_digits=7, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["round", "county", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county", "indicator"],
                condition=Q(replaced_at__isnull=True),
                name="warning_unique_current",
            ),
            models.CheckConstraint(
                name="warning_has_reason",
                condition=Q(bottom_three=True) | Q(behind_target=True) | Q(not_reported=True),
            ),
        ]
        indexes = [models.Index(fields=["county", "replaced_at"])]

    def __str__(self) -> str:
        return f"{self.round} {self.county_id}/{self.indicator_id}"

    @property
    def reasons(self) -> list[str]:
        """Reason codes in the order of the spec: bottom three, behind target, not reported."""
        return list(warning_reasons(self.bottom_three, self.behind_target, self.not_reported))

    @property
    def gap(self):
        """Percentage points behind the expected progress (None when not reported)."""
        if self.progress is None:
            return None
        return self.expected - self.progress


class DiagnosisFlag(models.Model):
    """A county with warnings on at least the round's threshold of indicators (专家会诊)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="diagnosis_flags")
    round = models.ForeignKey(Round, models.CASCADE, related_name="diagnosis_flags")
    county = models.ForeignKey(County, models.PROTECT, related_name="diagnosis_flags")
    warning_count = models.PositiveIntegerField(_("indicators warned"))
    flagged_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("diagnosis flag")
        verbose_name_plural = _("diagnosis flags")
        ordering = ["round", "county"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county"],
                condition=Q(replaced_at__isnull=True),
                name="diagnosis_flag_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.county_id}: {self.warning_count}"
