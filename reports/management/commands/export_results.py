from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _
from xlsxwriter.exceptions import FileCreateError

from assessment.management.cycles import cycle_or_error
from reports.services import ResultsNotComputed, write_results_workbook


class Command(BaseCommand):
    help = "Write the results workbook of a cycle (sheets 结果 and 指标统计)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--out", required=True, help="path of the .xlsx file to write")

    # English whatever the default language, like every command (see import_workbook).
    @no_translations
    def handle(self, *args, year: int, out: str, **options) -> None:
        cycle = cycle_or_error(year)
        try:
            write_results_workbook(cycle=cycle, out=out)
        except ResultsNotComputed as exc:
            raise CommandError(
                _("the results of %(year)s have not been computed; run compute_results first")
                % {"year": year}
            ) from exc
        except (OSError, FileCreateError) as exc:
            raise CommandError(
                _("cannot write %(path)s: %(error)s") % {"path": out, "error": exc}
            ) from exc
        self.stdout.write(
            _("wrote the results of %(year)s to %(path)s") % {"year": year, "path": out}
        )
