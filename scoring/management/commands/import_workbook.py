from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessment.services import CycleReadOnly
from scoring.workbook.importer import WorkbookInvalid, import_workbook


class Command(BaseCommand):
    help = "Import a cycle from a workbook (spec/workbook.md); all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the .xlsx workbook to import")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the year's definitions and data in place if the year exists, "
            "keeping the records that hang on it",
        )
        parser.add_argument(
            "--discard-records",
            action="store_true",
            dest="discard",
            help="with --replace: replace even when records not in the workbook would be "
            "deleted (listed without this option)",
        )

    # English whatever the default language: spec/workbook.md fixes these lines for scripts.
    # The web upload shows the same problems in the user's language.
    @no_translations
    def handle(self, *args, path: str, replace: bool, discard: bool, **options) -> None:
        try:
            summary = import_workbook(path, replace=replace, discard=discard)
        except CycleReadOnly as exc:
            # An archived year is not replaced.
            raise CommandError(str(exc)) from exc
        except WorkbookInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            if exc.unlisted:
                raise CommandError(
                    _("nothing imported: %(count)s problems, the first %(listed)s listed above")
                    % {"count": exc.total, "listed": len(exc.problems)}
                ) from exc
            raise CommandError(
                ngettext(
                    "nothing imported: %(count)s problem listed above",
                    "nothing imported: %(count)s problems listed above",
                    exc.total,
                )
                % {"count": exc.total}
            ) from exc
        self.stdout.write(
            _(
                "imported %(year)s: %(counties)s counties, %(units)s units, %(indicators)s "
                "indicators, %(items)s rule items, %(annual_rows)s annual data rows, "
                "%(progress_rows)s progress rows, %(exemptions)s exemptions, %(adjustments)s "
                "adjustments, %(vetoes)s vetoes"
            )
            % vars(summary)
        )
