from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _
from xlsxwriter.exceptions import FileCreateError

from alerts.workbooks import write_warnings_workbook
from assessment.management.cycles import cycle_or_error
from assessment.models import Round
from scoring.workbook.layout import ROUNDS


class Command(BaseCommand):
    help = "Write the warnings workbook of a pre-assessment round (sheets 预警 and 会诊)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("round", help="round code: april or august (also 4月, 8月)")
        parser.add_argument("--out", required=True, help="path of the .xlsx file to write")

    # English whatever the default language, like every command (see import_workbook).
    @no_translations
    def handle(self, *args, year: int, round: str, out: str, **options) -> None:
        cycle = cycle_or_error(year)
        code = ROUNDS.get(round, round)
        rnd = Round.objects.filter(cycle=cycle, code=code, kind=Round.Kind.PRE).first()
        if rnd is None:
            raise CommandError(
                _("no pre-assessment round %(round)s in %(year)s") % {"round": round, "year": year}
            )
        if rnd.closed_at is None:
            # An empty workbook would read as "no warnings"; the round has simply not closed.
            raise CommandError(
                _(
                    "the round %(round)s of %(year)s has not been closed yet: close it first "
                    "(manage.py close_round %(year)s %(round)s)"
                )
                % {"round": code, "year": year}
            )
        try:
            write_warnings_workbook(round=rnd, out=out)
        except (OSError, FileCreateError) as exc:
            raise CommandError(
                _("cannot write %(path)s: %(error)s") % {"path": out, "error": exc}
            ) from exc
        self.stdout.write(
            _("wrote the warnings of %(year)s %(round)s to %(path)s")
            % {"year": year, "round": code, "path": out}
        )
