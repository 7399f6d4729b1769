from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from alerts.services import close_round
from assessment.models import Round
from assessment.services import CycleReadOnly
from scoring.workbook.layout import ROUNDS


class Command(BaseCommand):
    help = "Close a pre-assessment round (april/august) and issue its warnings; idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("round", help="round code, e.g. april or august")

    # English whatever the default language, like every command (see import_workbook).
    @no_translations
    def handle(self, *args, year: int, round: str, **options) -> None:
        # The round names the import workbook accepts (4月, 8月 …) name the same rounds here.
        code = ROUNDS.get(round, round)
        rnd = (
            Round.objects.filter(cycle__year=year, code=code, kind=Round.Kind.PRE)
            .select_related("cycle")
            .first()
        )
        if rnd is None:
            raise CommandError(
                _("no pre-assessment round %(round)s in %(year)s") % {"round": round, "year": year}
            )
        try:
            summary = close_round(round=rnd)
        except CycleReadOnly as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "closed %(year)s %(round)s: %(warnings)s warnings (%(created)s new, "
                "%(replaced)s replaced), %(flagged)s counties flagged for diagnosis"
            )
            % {
                "year": year,
                "round": code,
                "warnings": summary.warnings,
                "created": summary.created,
                "replaced": summary.replaced,
                "flagged": summary.flagged,
            }
        )
        if summary.undelivered:
            self.stdout.write(
                _("not delivered by their units, no warnings: %(indicators)s")
                % {"indicators": ", ".join(summary.undelivered)}
            )
