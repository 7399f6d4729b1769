"""The inputs of the engine: annual actuals and targets, pre-assessment progress, exemptions.

Rows are keyed by ids and carry their cycle so that a whole cycle loads with one indexed
query per table and stores with bulk writes.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

VALUE = {"max_digits": 24, "decimal_places": 6}


class AnnualInput(models.Model):
    """The actual and the target of one county on one rule item (annual round).

    The target is the per-county target of the indicator system: it can be set at the start
    of the year, while the actual stays empty until the annual round.
    """

    cycle = models.ForeignKey("assessment.Cycle", models.CASCADE, related_name="annual_inputs")
    county = models.ForeignKey("assessment.County", models.PROTECT, related_name="+")
    item = models.ForeignKey("indicators.RuleItem", models.CASCADE, related_name="inputs")
    actual = models.DecimalField(
        _("actual"), **VALUE, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    target = models.DecimalField(
        _("target"), **VALUE, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("annual input")
        verbose_name_plural = _("annual inputs")
        constraints = [
            models.UniqueConstraint(fields=["item", "county"], name="annual_input_unique")
        ]
        indexes = [models.Index(fields=["cycle", "county"])]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.item_id}: {self.actual} / {self.target}"


class Progress(models.Model):
    """Progress v (% of the year's task done) of a county on an indicator in a pre-assessment."""

    cycle = models.ForeignKey("assessment.Cycle", models.CASCADE, related_name="progress")
    round = models.ForeignKey("assessment.Round", models.CASCADE, related_name="progress")
    county = models.ForeignKey("assessment.County", models.PROTECT, related_name="+")
    indicator = models.ForeignKey("indicators.Indicator", models.CASCADE, related_name="progress")
    value = models.DecimalField(_("progress (%)"), **VALUE, validators=[MinValueValidator(0)])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator", "county"], name="progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.indicator_id}: {self.value}%"


class Exemption(models.Model):
    """An indicator declared not applicable to a county (免考)."""

    cycle = models.ForeignKey("assessment.Cycle", models.CASCADE, related_name="exemptions")
    county = models.ForeignKey("assessment.County", models.PROTECT, related_name="exemptions")
    indicator = models.ForeignKey("indicators.Indicator", models.CASCADE, related_name="exemptions")
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "county"], name="exemption_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.indicator_id}"
