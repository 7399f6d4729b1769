"""The indicator system of a cycle: categories, indicators and their rule items; the units'
evaluation opinions of the counties on their indicators.

Indicators point down at the year's frame (``assessment``: cycles and responsible units).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.models import County, Cycle, Unit, cross_year_errors


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Method(models.TextChoices):
    """The eight scoring methods of spec/scoring.md (计分办法)."""

    MANUAL = "manual", _("Direct score")
    RATIO = "ratio", _("Completion ratio")
    RELATIVE = "relative", _("Benchmark against the best")
    LINEAR = "linear", _("Points per unit around the target")
    RANK = "rank", _("Rank steps")
    DEDUCTION = "deduction", _("Deductions")
    TIERS = "tiers", _("Tiers")
    BINARY = "binary", _("Pass or fail")


class Category(models.Model):
    """A group of indicators (类别), e.g. economic development or ecology."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["cycle", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator (指标) of a cycle: weight in points, direction, responsible unit."""

    class RulesStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", pgettext_lazy("rule status", "Approved")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        # RESTRICT, not PROTECT: a category with indicators cannot be deleted alone, but a
        # cycle's deletion cascades through both.
        Category,
        models.RESTRICT,
        related_name="indicators",
        verbose_name=_("category"),
    )
    weight = models.DecimalField(
        _("weight (points)"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="indicators",
        verbose_name=_("responsible unit"),
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    rules_status = models.CharField(
        _("rules status"), max_length=16, choices=RulesStatus.choices, default=RulesStatus.DRAFT
    )
    # The lead department's latest word on the rules: a return comment or a reopening reason.
    rules_comment = models.TextField(_("comment on the rules"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["cycle", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        errors = cross_year_errors(
            self,
            {
                "category": _(
                    "This category belongs to %(other)s, not to %(year)s: choose one of %(year)s."
                )
            },
        )
        if errors:
            raise ValidationError(errors)
        if self.pk is not None:
            self._check_items_for_direction()

    def _check_items_for_direction(self) -> None:
        """Tiers depend on the direction: changing it re-checks every item's parameters."""
        from indicators.params import ParamError, parse_params

        problems = []
        for item in self.items.order_by("order", "code"):
            try:
                parse_params(item.method, item.params, self.direction)
            except ParamError as exc:
                problems.append(
                    _("item %(code)s: %(errors)s")
                    % {"code": item.code, "errors": "; ".join(exc.messages)}
                )
        if problems:
            raise ValidationError({"direction": problems})


class RuleItem(models.Model):
    """A rule item (考核项目) of an indicator: its share, scoring method and parameters."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="rule_items")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    method = models.CharField(_("scoring method"), max_length=16, choices=Method.choices)
    params = models.CharField(_("parameters"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rule item")
        verbose_name_plural = _("rule items")
        ordering = ["indicator", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="rule_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        from indicators.params import ParamError, parse_params

        errors = cross_year_errors(
            self,
            {
                "indicator": _(
                    "This indicator belongs to %(other)s, not to %(year)s: choose one of %(year)s."
                )
            },
        )
        if errors:
            raise ValidationError(errors)
        if self.indicator_id is None:
            return
        try:
            parse_params(self.method, self.params, self.indicator.direction)
        except ParamError as exc:
            raise ValidationError({"params": list(exc.messages)}) from exc


class IndicatorProposal(models.Model):
    """A proposed new indicator (指标准入): a unit proposes, the lead department reviews, the
    approver named in the settings decides; an approved proposal can join a cycle."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed, awaiting decision")
        APPROVED = "approved", pgettext_lazy("indicator proposal", "Approved")
        REJECTED = "rejected", pgettext_lazy("indicator proposal", "Rejected")
        ADDED = "added", _("Added to a year")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="proposals", verbose_name=_("responsible unit")
    )
    name = models.CharField(_("name"), max_length=200)
    rationale = models.TextField(_("rationale"))
    suggested_weight = models.DecimalField(
        _("suggested weight (points)"), max_digits=10, decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )  # fmt: skip
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    draft_rules = models.TextField(_("draft rules"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    indicator = models.ForeignKey(
        Indicator, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("indicator"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator proposal")
        verbose_name_plural = _("indicator proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ProposalEvent(models.Model):
    """One step in the history of a proposal: who did what, when, with which comment."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Proposed")
        REVIEWED = "reviewed", _("Reviewed and forwarded")
        APPROVED = "approved", pgettext_lazy("indicator proposal", "Approved")
        REJECTED = "rejected", pgettext_lazy("indicator proposal", "Rejected")
        ADDED = "added", _("Added to a year")

    proposal = models.ForeignKey(IndicatorProposal, models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["proposal", "at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal} {self.action}"


class UnitEvaluation(models.Model):
    """A responsible unit's evaluation opinion (评价意见) of a county on its indicators, written
    after the annual round: strengths, weaknesses, advice. Reviewed by the lead department
    (the frame's review workflow); once approved it is published on the county's feedback
    page with the unit's name."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", pgettext_lazy("evaluation", "Published")

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="unit_evaluations")
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="evaluations", verbose_name=_("responsible unit")
    )
    county = models.ForeignKey(
        County, models.PROTECT, related_name="unit_evaluations", verbose_name=_("county")
    )
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The lead department's latest word: a return comment or a reopening reason.
    comment = models.TextField(_("comment of the lead department"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation opinion")
        verbose_name_plural = _("evaluation opinions")
        ordering = ["cycle", "unit", "county"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "county"], name="unit_evaluation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.unit.name} → {self.county.name}"
