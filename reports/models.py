"""Publication of a cycle's annual results, and the objections counties lodge against them.

Results are private to the lead department until it publishes them. Publication is a
reports concept: the lower apps compute and store results without knowing who may read them;
every page that shows a county an annual figure asks :mod:`reports.publication` first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.models import County, Cycle, Round
from assessment.uploads import private_file_storage
from indicators.models import Indicator

DEFAULT_OBJECTION_DAYS = 7


class Publication(models.Model):
    """Whether, since when and by whom the annual results of a cycle are published.

    One row per cycle, created by the first publication; withdrawing keeps the row (and the
    audit trail) with ``published`` off. ``corrected_at`` is the latest recomputation after
    publication (an upheld objection or a correction by the lead department).
    """

    cycle = models.OneToOneField(Cycle, models.CASCADE, related_name="publication")
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    objection_days = models.PositiveIntegerField(
        _("objection period (days)"),
        default=DEFAULT_OBJECTION_DAYS,
        help_text=_("Days after publication during which a county may lodge an objection."),
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.cycle}: {'published' if self.published else 'not published'}"


class Objection(models.Model):
    """A county's objection (异议申诉) to its score on one indicator of a published year.

    The county lodges it with its reasons and evidence within the objection period; the
    responsible unit of the indicator answers; the lead department decides. An upheld
    objection may correct one input of the indicator, which recomputes the results.
    """

    class Status(models.TextChoices):
        LODGED = "lodged", _("Awaiting the unit's answer")
        ANSWERED = "answered", _("Answered, awaiting the decision")
        UPHELD = "upheld", pgettext_lazy("objection status", "Upheld")
        REJECTED = "rejected", pgettext_lazy("objection status", "Rejected")

    OPEN = (Status.LODGED, Status.ANSWERED)

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="objections")
    county = models.ForeignKey(County, models.PROTECT, related_name="objections")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="objections")
    reasons = models.TextField(_("reasons"))
    evidence = models.FileField(
        _("evidence"), storage=private_file_storage, upload_to="objections/%Y/", blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LODGED
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    answer = models.TextField(_("answer of the unit"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The correction an upheld objection made: which input, from what, to what.
    correction = models.JSONField(_("correction"), default=dict, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-lodged_at", "-id"]
        indexes = [models.Index(fields=["cycle", "county"])]

    def __str__(self) -> str:
        return f"{self.cycle} {self.county_id}/{self.indicator_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ForecastShare(models.Model):
    """The lead department lets the counties see the year-end forecast made from one
    pre-assessment round (each county its own). Deleting the row withdraws it."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="forecast_shares")
    round = models.ForeignKey(Round, models.CASCADE, related_name="forecast_shares")
    shared_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("shared forecast")
        verbose_name_plural = _("shared forecasts")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "round"], name="forecast_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.round.code}"
