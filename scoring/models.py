"""The engine's inputs (annual actuals and targets, pre-assessment progress, exemptions) and
the annual results it produces (county totals, indicator points, item scores, statistics).

Rows are keyed by ids and carry their cycle so that a whole cycle loads with one indexed
query per table and stores with bulk writes.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.models import County, Cycle, Round, cross_year_errors
from assessment.uploads import private_file_storage
from indicators.models import Indicator, RuleItem
from scoring.values import value_messages

# Precision of stored figures. Inputs keep 6 decimals; points and totals are stored as the
# round2 values the spec publishes; the exact values are recomputed by the engine on demand.
VALUE = {"max_digits": 24, "decimal_places": 6}
POINTS = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 4}

OTHER_YEAR = {
    "item": _("This rule item belongs to %(other)s, not to %(year)s: choose one of %(year)s."),
    "indicator": _("This indicator belongs to %(other)s, not to %(year)s: choose one of %(year)s."),
    "round": _("This round belongs to %(other)s, not to %(year)s: choose one of %(year)s."),
}


def _check_years(obj: models.Model, *fields: str) -> None:
    errors = cross_year_errors(obj, {name: OTHER_YEAR[name] for name in fields})
    if errors:
        raise ValidationError(errors)


class AnnualInput(models.Model):
    """The actual and the target of one county on one rule item (annual round).

    The target is the per-county target of the indicator system: it can be set at the start
    of the year, while the actual stays empty until the annual round.
    """

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="annual_inputs")
    county = models.ForeignKey(County, models.PROTECT, related_name="+")
    item = models.ForeignKey(RuleItem, models.CASCADE, related_name="inputs")
    # Whether a value may be negative depends on the item's method: see clean().
    actual = models.DecimalField(_("actual"), **VALUE, null=True, blank=True)
    target = models.DecimalField(_("target"), **VALUE, null=True, blank=True)
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

    def clean(self) -> None:
        """Refuse a rule item of another year, and values the item's method cannot take
        (indicators.methods.input_problems): negatives for ratio, relative, deduction and
        manual, a manual score outside [0, 100], a ratio target of 0 or less. Blank values are
        allowed (entered later)."""
        super().clean()
        _check_years(self, "item")
        if self.item_id is not None:
            errors = value_messages(self.item.method, self.actual, self.target)
            if errors:
                raise ValidationError(errors)


class Progress(models.Model):
    """Progress v (% of the year's task done) of a county on an indicator in a pre-assessment."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="progress")
    round = models.ForeignKey(Round, models.CASCADE, related_name="progress")
    county = models.ForeignKey(County, models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="progress")
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

    def clean(self) -> None:
        super().clean()
        _check_years(self, "round", "indicator")


class Exemption(models.Model):
    """An indicator declared not applicable to a county (免考)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="exemptions")
    county = models.ForeignKey(County, models.PROTECT, related_name="exemptions")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="exemptions")
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "county"], name="exemption_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.indicator_id}"

    def clean(self) -> None:
        super().clean()
        _check_years(self, "indicator")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class CountyResult(models.Model):
    """A county's annual result: total, rank and grade (with the lead department's override)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="county_results")
    county = models.ForeignKey(County, models.PROTECT, related_name="results")
    indicator_points = models.DecimalField(_("indicator points"), **POINTS)
    adjustment = models.DecimalField(_("adjustments"), **POINTS)
    total = models.DecimalField(_("total"), **POINTS)
    rank = models.PositiveIntegerField(_("rank"))
    vetoed = models.BooleanField(_("vetoed"), default=False)
    computed_grade = models.CharField(_("computed grade"), max_length=16, choices=Grade.choices)
    grade_override = models.CharField(
        _("overridden grade"), max_length=16, choices=Grade.choices, blank=True
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("county result")
        verbose_name_plural = _("county results")
        ordering = ["cycle", "rank", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "county"], name="county_result_unique"),
            models.CheckConstraint(
                name="county_result_override_has_reason",
                condition=Q(grade_override="") | ~Q(override_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.county}: {self.total}"

    @property
    def grade(self) -> str:
        return self.grade_override or self.computed_grade

    def get_grade_display(self) -> str:
        return Grade(self.grade).label

    @property
    def is_overridden(self) -> bool:
        return bool(self.grade_override)


class IndicatorResult(models.Model):
    """A county's points on one indicator (P_ci, stored as round2) and its place there."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="indicator_results")
    county = models.ForeignKey(County, models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="results")
    percent = models.DecimalField(_("score (%)"), **RATE)
    points = models.DecimalField(_("points"), **POINTS)
    exempt = models.BooleanField(_("exempt"), default=False)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "county"], name="indicator_result_unique")
        ]
        indexes = [models.Index(fields=["cycle", "county"])]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.indicator_id}: {self.points}"


class ItemScore(models.Model):
    """A county's score on one rule item (100-point scale, up to the item's cap)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="item_scores")
    county = models.ForeignKey(County, models.PROTECT, related_name="+")
    item = models.ForeignKey(RuleItem, models.CASCADE, related_name="scores")
    score = models.DecimalField(_("score"), **RATE)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [models.UniqueConstraint(fields=["item", "county"], name="item_score_unique")]
        indexes = [models.Index(fields=["cycle", "county"])]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.item_id}: {self.score}"


class IndicatorStat(models.Model):
    """The published statistics of one indicator: highest, lowest, average, top and bottom."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="indicator_stats")
    indicator = models.OneToOneField(Indicator, models.CASCADE, related_name="stat")
    highest = models.DecimalField(_("highest"), **POINTS)
    lowest = models.DecimalField(_("lowest"), **POINTS)
    average = models.DecimalField(_("average"), **POINTS)
    # County codes, best first (top) and worst first (bottom), ties ordered by code.
    top = models.JSONField(_("top three"), default=list)
    bottom = models.JSONField(_("bottom three"), default=list)

    class Meta:
        verbose_name = _("indicator statistics")
        verbose_name_plural = _("indicator statistics")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.lowest}–{self.highest}"


class ResultsRefusal(models.Model):
    """Why the latest computation of a cycle's results gave none: refused, with the problems
    the computation found, or given up, lost with its worker on every attempt (the lease
    sweep, :mod:`assessment.jobs.leases`: ``interruptions`` > 0, no problems). Kept until a
    computation succeeds (the next refusal or give-up replaces it), so that the results page
    explains it to every lead user without loading the whole year again on each visit."""

    # The problems kept for the page; the count covers all of them.
    KEPT = 1000

    cycle = models.OneToOneField(Cycle, models.CASCADE, related_name="results_refusal")
    refused_at = models.DateTimeField(_("refused at"))
    # MissingInput rows as dicts, other reasons as {"text": ...}; the first KEPT of them.
    problems = models.JSONField(_("problems"), default=list)
    problem_count = models.PositiveIntegerField(_("number of problems"))
    # [[unit code, unit name, missing inputs]] over every problem, not only the kept ones.
    by_unit = models.JSONField(default=list)
    # Given up: how many times the computation was lost with its worker (0: refused for its
    # inputs), and the worker it was last lost with (for the administrator's logs).
    interruptions = models.PositiveIntegerField(_("interruptions"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("refused computation")
        verbose_name_plural = _("refused computations")

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.problem_count}"


class EntryState(models.Model):
    """Where the data of one indicator in one round stands (录入状态): the unit enters a
    draft, submits it, and the lead department approves (locks) or returns it.

    No row means not started. The status changes only through the services of
    ``scoring.entry.services``, which check the lock guard and audit every change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", pgettext_lazy("entry status", "Approved")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="entry_states")
    round = models.ForeignKey(Round, models.CASCADE, related_name="entry_states")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="entry_states")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The lead department's latest word: the comment of a return or the reason of a reopening.
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("entry state")
        verbose_name_plural = _("entry states")
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator"], name="entry_state_unique")
        ]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self) -> str:
        return f"{self.round.code}/{self.indicator.code}"


class Delivery(models.Model):
    """The round data of one indicator delivered (报送) by its unit: the lead department
    approved its entry, or loaded them with its workbook import (spec/scoring.md, 未报送).

    Only delivered data count when a round closes: a county is never warned for its unit's
    lateness. Written by :func:`scoring.entry.delivery.deliver` (approval, import) and
    removed when the approved entry is reopened.
    """

    class Source(models.TextChoices):
        APPROVAL = "approval", _("Entry approved")
        IMPORT = "import", _("Workbook import")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="deliveries")
    round = models.ForeignKey(Round, models.CASCADE, related_name="deliveries")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="deliveries")
    source = models.CharField(_("delivered by"), max_length=16, choices=Source.choices)
    delivered_at = models.DateTimeField(_("delivered at"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator"], name="delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.indicator_id}: {self.source}"


def _evidence_path(instance: "Evidence", filename: str) -> str:
    # Stored under a random name: the person's file name is kept in ``name`` only.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.cycle_id}/{instance.round_id}/{uuid.uuid4().hex}.{suffix}"


class Evidence(models.Model):
    """A supporting file (佐证材料) a county uploads for an indicator in a round. Stored in
    the private storage (assessment.uploads), sent only by a view that checks the role."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="evidence")
    round = models.ForeignKey(Round, models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="evidence")
    county = models.ForeignKey(County, models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), storage=private_file_storage, upload_to=_evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16)
    size = models.PositiveBigIntegerField(_("size"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["round", "indicator", "county", "-uploaded_at"]
        indexes = [models.Index(fields=["round", "county"])]

    def __str__(self) -> str:
        return self.name
