from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from assessment.management.cycles import cycle_or_error
from scoring.workbook.exporter import write_cycle_workbook


class Command(BaseCommand):
    help = "Write a cycle in the layout of the import workbook, which import_workbook reads back."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    # English whatever the default language: spec/workbook.md fixes these lines for scripts.
    # The web upload shows the same problems in the user's language.
    @no_translations
    def handle(self, *args, year: int, out: str, **options) -> None:
        cycle = cycle_or_error(year)
        try:
            write_cycle_workbook(cycle, out)
        except OSError as exc:
            raise CommandError(
                _("cannot write %(path)s: %(error)s") % {"path": out, "error": exc.strerror}
            ) from exc
        self.stdout.write(_("wrote %(year)s to %(path)s") % {"year": year, "path": out})
