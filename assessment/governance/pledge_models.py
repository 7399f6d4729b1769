"""Responsibility pledges (责任状) under list management (清单管理, article 4.5): the list of the
matters the city allows counties to be asked to sign, each with its basis and issuing unit;
the signings per county and year; the yearly clean-up review; the spot checks (专项检查).

Models of the frame (``assessment``), imported by ``assessment.models``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.models import County, Cycle, ListedItem, ListReview, Unit


class PledgeItem(ListedItem):
    """A matter of the pledge list (责任状事项): what a county may be asked to sign, on which
    basis (the document that grounds it), issued by which unit, in which years."""

    name = models.CharField(_("name"), max_length=200)
    basis = models.TextField(
        _("basis"),
        blank=True,
        help_text=_("The document that grounds the pledge; a matter without one is flagged by "
                    "the yearly review."),
    )  # fmt: skip
    issuing_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="pledge_items", verbose_name=_("issuing unit")
    )

    class Meta:
        verbose_name = _("pledge matter")
        verbose_name_plural = _("pledge matters")
        ordering = ListedItem.Meta.ordering
        constraints = [ListedItem.years_in_order("pledge_item_years_in_order")]


class PledgeReview(ListReview):
    """The lead department's yearly clean-up review of the pledge list."""

    flagged = models.JSONField(_("flagged matters"), default=list)

    class Meta:
        verbose_name = _("pledge list review")
        verbose_name_plural = _("pledge list reviews")
        ordering = ListReview.Meta.ordering


class PledgeSigning(models.Model):
    """A county's signing of a matter of the list in a year (签订责任状)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="pledge_signings")
    item = models.ForeignKey(
        PledgeItem, models.PROTECT, related_name="signings", verbose_name=_("pledge matter")
    )
    county = models.ForeignKey(County, models.PROTECT, related_name="pledge_signings")
    signed_on = models.DateField(_("signed on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge signing")
        verbose_name_plural = _("pledge signings")
        ordering = ["cycle", "county", "item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "item", "county"], name="pledge_signing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.county}: {self.item}"


class PledgeCheck(models.Model):
    """A spot check (专项检查) of the pledges in counties, against one matter of the list or the
    whole list, with its findings (a matter signed off the list, a rebound …)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="pledge_checks")
    item = models.ForeignKey(
        PledgeItem, models.PROTECT, null=True, blank=True, related_name="checks",
        verbose_name=_("pledge matter"), help_text=_("Blank: the whole list."),
    )  # fmt: skip
    checked_on = models.DateField(_("checked on"))
    counties = models.ManyToManyField(
        County, related_name="pledge_checks", verbose_name=_("counties checked")
    )
    findings = models.TextField(pgettext_lazy("pledge check", "findings"))
    problems_found = models.BooleanField(_("problems found"), default=False)
    recorded_by = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge spot check")
        verbose_name_plural = _("pledge spot checks")
        ordering = ["cycle", "-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cycle.year} {self.checked_on}"
