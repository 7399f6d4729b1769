import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import gettext as _

from demo.build import build_demo
from demo.plan import CURRENT_YEAR, DEFAULT_PASSWORD, DRAFT_YEAR, YEARS


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "Build an invented demo city: 14 counties, 12 units, about 40 indicators, three past "
        "years with results and the current year in progress. Replaces the demo years."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"password of every demo account (default {DEFAULT_PASSWORD})",
        )
        parser.add_argument(
            "--force", action="store_true", help="run even when DEBUG is off (never in production)"
        )

    # English whatever the default language, like every command (see import_workbook).
    @no_translations
    def handle(self, *args, password: str, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo writes invented data and replaces the cycles %(first)s–%(last)s; "
                    "it runs only with DEBUG on. Pass --force to run it anyway."
                )
                % {"first": YEARS[0], "last": DRAFT_YEAR}
            )
        report = build_demo(password=password)
        if report.replaced_years:
            self.stdout.write(
                _("Deleted the existing cycles %(years)s and built them again.")
                % {"years": ", ".join(str(y) for y in report.replaced_years)}
            )
        self.stdout.write(
            _(
                "Built the demo city %(city)s: cycles %(first)s–%(last)s, %(indicators)s "
                "indicators a year; results computed for the past years; in %(current)s the "
                "April round is closed and the August round open."
            )
            % {
                "city": report.city,
                "first": YEARS[0],
                "last": YEARS[-1],
                "indicators": report.indicators,
                "current": CURRENT_YEAR,
            }
        )
        rows = [(_("username"), _("role"), _("bound to"))]
        rows += [(a.username, a.role, a.bound_to) for a in report.accounts]
        self.stdout.write("")
        for line in _table(rows):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            _("Every account above has the password %(password)s.") % {"password": password}
        )
        self._write_tokens(report.tokens)

    def _write_tokens(self, tokens) -> None:
        if not tokens:
            return
        self.stdout.write("")
        self.stdout.write(
            _("Data interface tokens (shown only now; the lead department revokes them on "
              "/api/tokens/):")
        )  # fmt: skip
        rows = [(_("username"), _("purpose"), _("token"))]
        rows += [(t.username, t.purpose, t.secret) for t in tokens]
        for line in _table(rows):
            self.stdout.write(line)
