from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment.management.cycles import cycle_or_error
from assessment.services import CycleReadOnly
from scoring.results.services import ResultsRefused, compute_results


class Command(BaseCommand):
    help = "Compute the annual results of a cycle: totals, ranks, grades, statistics."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)

    # English whatever the default language, like every command (see import_workbook).
    @no_translations
    def handle(self, *args, year: int, **options) -> None:
        cycle = cycle_or_error(year)
        try:
            result = compute_results(cycle=cycle)
        except CycleReadOnly as exc:
            raise CommandError(str(exc)) from exc
        except ResultsRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "results not computed: %(count)s problem listed above",
                    "results not computed: %(count)s problems listed above",
                    len(exc.problems),
                )
                % {"count": len(exc.problems)}
            ) from exc
        self.stdout.write(
            _("computed %(year)s: %(counties)s counties")
            % {"year": year, "counties": len(result.total)}
        )
