"""What the management commands share: finding the cycle a command names by its year."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessment.models import Cycle


def cycle_or_error(year: int) -> Cycle:
    """The cycle of ``year``, or a CommandError that says there is none."""
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        raise CommandError(_("no cycle for the year %(year)s") % {"year": year})
    return cycle
