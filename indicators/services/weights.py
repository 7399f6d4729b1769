"""What the indicator system of a cycle must satisfy."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from assessment.models import Cycle
from indicators.models import Indicator


def _points(value: Decimal) -> str:
    # Two places, as the pages show weights, unless that would hide the difference.
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else f"{value.normalize()}"


def weight_problems(cycle: Cycle) -> list[str]:
    """The weights of ``cycle``'s indicators must sum to its total points (spec/scoring.md);
    an activation check of ``assessment.services``. Reads one aggregate."""
    weights = Indicator.objects.filter(cycle=cycle) if cycle.pk else Indicator.objects.none()
    total = weights.aggregate(s=Sum("weight"))["s"] or Decimal(0)
    if total == cycle.total_points:
        return []
    return [
        _("The weights sum to %(sum)s, not the total points %(total)s.")
        % {"sum": _points(total), "total": _points(cycle.total_points)}
    ]
