"""Publication of a cycle's annual results, and the objections counties lodge against them.

Results are private to the lead department until it publishes them. Publication is a
reports concept: the lower apps compute and store results without knowing who may read them;
every page that shows a county an annual figure asks :mod:`reports.publication` first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models import Cycle

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
