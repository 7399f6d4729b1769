from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from assessment.management.cycles import cycle_or_error
from indicators.models import Indicator
from indicators.services.yearcopy import copy_cycle


class Command(BaseCommand):
    help = (
        "Start a year as a draft copy of another: settings, counties, rounds, indicators, "
        "rules and per-county targets; no data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", type=int, help="the year to copy")
        parser.add_argument("year", type=int, help="the new year")

    # English whatever the default language, like every command (see import_workbook).
    @no_translations
    def handle(self, *args, source: int, year: int, **options) -> None:
        try:
            cycle = copy_cycle(source=cycle_or_error(source), year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("Created the draft cycle %(year)s from %(source)s: %(count)s indicators.")
            % {
                "year": cycle.year,
                "source": source,
                "count": Indicator.objects.filter(cycle=cycle).count(),
            }
        )
