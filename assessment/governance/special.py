"""Special assessments (专项考核): a task's evaluations and points, which become the involved
counties' adjustments of the cycle.

Each score owns one ``assessment.Adjustment`` whose reason names the task and the evaluation;
the results service sums a county's adjustments and the engine clips the sum to the cycle's
cap (spec/scoring.md), so the points show in the total. Every change is audited by auditlog
(SpecialTask, SpecialScore and Adjustment are registered).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assessment.audit import acting
from assessment.models import Adjustment, County, Cycle, SpecialScore, SpecialTask
from assessment.services import ensure_cycle_writable

REASON_MAX = 500


def adjustment_reason(task: SpecialTask, evaluation: str) -> str:
    """The stored reason of a score's adjustment, in the site's language (not the language of
    whoever saved it: the reason is data that every reader sees alike)."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Special assessment “%(task)s”: %(evaluation)s") % {
            "task": task.name,
            "evaluation": " ".join(evaluation.split()),
        }
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def check_points(task: SpecialTask, points: Decimal) -> str | None:
    """None when ``points`` is within the task's limits, else the message saying which."""
    if points > task.max_bonus:
        return _("The bonus of this task is at most %(limit)s points.") % {
            "limit": format(task.max_bonus, ".2f")
        }
    if points < -task.max_penalty:
        return _("The penalty of this task is at most %(limit)s points.") % {
            "limit": format(task.max_penalty, ".2f")
        }
    return None


def record_score(
    *, task: SpecialTask, county: County, evaluation: str, points: Decimal, actor=None
) -> SpecialScore:
    """Record (or change) ``county``'s evaluation and points in ``task``.

    Side effects, in one transaction: the SpecialScore and its Adjustment of the cycle (none
    while the points are zero), both audited. Raises ValidationError when the year is
    archived, the county is not involved in the task, the evaluation is empty or the points
    are outside the task's limits.
    """
    ensure_cycle_writable(task.cycle, refusal=ValidationError)
    if not task.counties.filter(pk=county.pk).exists():
        raise ValidationError(_("%(county)s is not involved in this task.") % {"county": county})
    if not evaluation.strip():
        raise ValidationError(_("Write the county's evaluation."))
    problem = check_points(task, points)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic(), acting(actor):
        score = SpecialScore.objects.select_for_update().filter(task=task, county=county).first()
        score = score or SpecialScore(task=task, county=county)
        score.evaluation, score.points = evaluation.strip(), points
        adjustment = score.adjustment
        if points and adjustment is None:
            adjustment = Adjustment(cycle=task.cycle, county=county)
        if adjustment is not None and points:
            adjustment.points = points
            adjustment.reason = adjustment_reason(task, score.evaluation)
            adjustment.save()
            score.adjustment = adjustment
        elif adjustment is not None:
            score.adjustment = None
            score.save()
            adjustment.delete()
        score.save()
    return score


@dataclass(frozen=True)
class CountyAdjustments:
    """A county's adjustments of a cycle: their sum, and the sum the cap lets count."""

    county: County
    total: Decimal
    counted: Decimal

    @property
    def capped(self) -> bool:
        return self.total != self.counted


def county_adjustments(cycle: Cycle, counties) -> list[CountyAdjustments]:
    """The sum of each county's adjustments in ``cycle`` and what counts of it under the
    cycle's cap (the engine's clipping, shown before computing). One query."""
    sums: dict[int, Decimal] = {}
    for county_id, points in Adjustment.objects.filter(cycle=cycle).values_list(
        "county_id", "points"
    ):
        sums[county_id] = sums.get(county_id, Decimal(0)) + points
    cap = cycle.bonus_cap
    rows = []
    for county in counties:
        total = sums.get(county.pk, Decimal(0))
        counted = total if cap is None else max(-cap, min(cap, total))
        rows.append(CountyAdjustments(county, total, counted))
    return rows


def refresh_reasons(*, task: SpecialTask, actor=None) -> int:
    """Rewrite the reasons of ``task``'s adjustments after the task changed (its name), so
    that totals keep showing where their points come from. Audited; returns how many."""
    changed = 0
    with transaction.atomic(), acting(actor):
        for score in task.scores.select_related("adjustment"):
            adjustment = score.adjustment
            if adjustment is None:
                continue
            reason = adjustment_reason(task, score.evaluation)
            if adjustment.reason != reason:
                adjustment.reason = reason
                adjustment.save(update_fields=["reason"])
                changed += 1
    return changed
