"""The state of one workbook import: the problems found so far and what the workbook
defines, with the helpers that read one cell of a record and list its problem.

The sheet readers (:mod:`.definitions`, :mod:`.data`) and the cross-sheet checks
(:mod:`.checks`) all work on one :class:`Reader`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from scoring.workbook import cells
from scoring.workbook.cells import INVALID, CellProblem
from scoring.workbook.layout import COUNTIES, INDICATORS, RULE_ITEMS, UNITS, SheetSpec
from scoring.workbook.sheets import Book, Sheet


@dataclass
class Definition:
    """What a valid workbook defines, by code, ready to be written."""

    settings: dict = field(default_factory=dict)
    year_cell: str = ""
    counties: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    # code → (name, category, weight, unit code, direction)
    indicators: dict[str, tuple] = field(default_factory=dict)
    # code → (indicator code, name, share, method, params)
    items: dict[str, tuple] = field(default_factory=dict)
    annual: list[tuple] = field(default_factory=list)  # (county, item, actual, target)
    progress: list[tuple] = field(default_factory=list)  # (round, county, indicator, value)
    exemptions: list[tuple] = field(default_factory=list)  # (county, indicator, reason)
    adjustments: list[tuple] = field(default_factory=list)  # (county, points, reason)
    vetoes: list[tuple] = field(default_factory=list)  # (county, reason)


# The problems of a workbook that are listed; the others are counted.
PROBLEMS_KEPT = 1000

# What a code refers to: the sheet that defines such codes and the problem when it does not.
REGISTERS = {
    "county": (COUNTIES, "counties", gettext_noop('unknown county code "%(code)s"')),
    "unit": (UNITS, "units", gettext_noop('unknown unit code "%(code)s"')),
    "indicator": (INDICATORS, "indicators", gettext_noop('unknown indicator code "%(code)s"')),
    "item": (RULE_ITEMS, "items", gettext_noop('unknown item code "%(code)s"')),
}


class Reader:
    """Reads a workbook into a :class:`Definition`, collecting every problem in order."""

    def __init__(self, book):
        self.book = Book(book)
        self.problems: list[str] = []
        self.problem_count = 0
        self.data = Definition()
        # Row of each indicator code, and the indicators sheet, for the cross-sheet checks.
        self.indicator_rows: dict[str, int] = {}
        self.indicators_sheet: Sheet | None = None
        # Required sheets that could not be read: references to their codes are not checked.
        self.broken: set[str] = set()

    def add(self, where: str, message: str) -> None:
        # A broken national workbook can have a million problems: keep the first ones only,
        # and count them all.
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(f"{where}: {message}")

    def sheet(self, spec: SheetSpec) -> Sheet | None:
        """The sheet of ``spec`` with its columns found, or None (missing, or columns missing)."""
        sheet = self.book.open(spec, self.add)
        if sheet is None and spec.required:
            self.broken.add(spec.key)
        return sheet

    # -- one cell of a record

    def code(self, sheet: Sheet, key: str, number: int, values) -> str | None:
        text = cells.text(values[sheet.columns[key]])
        if not text:
            self.add(sheet.cell(key, number), _("a code is required"))
            return None
        if len(text) > 32:
            self.add(
                sheet.cell(key, number),
                _('code "%(code)s" is longer than 32 characters') % {"code": text},
            )
            return None
        return text

    def text(
        self, sheet: Sheet, key: str, number: int, values, *, limit: int, required: bool = True
    ) -> str | None:
        index = sheet.columns.get(key)
        text = "" if index is None else cells.text(values[index])
        if not text and required:
            self.add(sheet.cell(key, number), _("a value is required"))
            return None
        if len(text) > limit:
            self.add(
                sheet.cell(key, number),
                _("the text is longer than %(limit)s characters") % {"limit": limit},
            )
            return None
        return text

    def number(self, sheet: Sheet, key: str, number: int, values, *checks) -> Decimal | None:
        """A required number passed through ``checks``; None (and a problem) if blank or bad."""
        try:
            value = cells.number(values[sheet.columns[key]])
            if value is None:
                raise CellProblem(_("a number is required"))
            for check in checks:
                value = check(value)
        except CellProblem as exc:
            self.add(sheet.cell(key, number), str(exc))
            return None
        return value

    def value(self, sheet: Sheet, key: str, number: int, raw):
        """An input value (actual, target, progress): Decimal, None when blank, or INVALID."""
        try:
            return cells.input_value(raw)
        except CellProblem as exc:
            self.add(sheet.cell(key, number), str(exc))
            return INVALID

    def choice(self, sheet: Sheet, key: str, number: int, values, names: dict, unknown: str):
        """A value of a fixed list (``names`` maps what may be written to the stored code)."""
        text = cells.text(values[sheet.columns[key]])
        if not text:
            self.add(sheet.cell(key, number), _("a value is required"))
            return None
        value = names.get(text) or names.get(text.casefold())
        if value is None:
            self.add(sheet.cell(key, number), unknown % {"value": text})
        return value

    def known(self, sheet: Sheet, key: str, number: int, values, register: str) -> str | None:
        """A code of a county, unit, indicator or item (``register``) that the workbook defines.

        None and a problem on the row when it is unknown; None alone when the sheet that
        defines such codes could not be read (its problem is listed already).
        """
        code = self.code(sheet, key, number, values)
        if code is None:
            return None
        source, attribute, message = REGISTERS[register]
        if code not in getattr(self.data, attribute):
            if source.key not in self.broken:
                self.add(sheet.row(number), _(message) % {"code": code})
            return None
        return code

    def unique(self, seen: dict, key, sheet: Sheet, number: int, message: str, names) -> bool:
        """Record ``key`` as seen on row ``number``; a problem (and False) if seen before.

        ``message`` names the first row as ``%(row)s`` and the values of ``names``.
        """
        here = sheet.mark(number)
        first = seen.setdefault(key, here)
        if first != here:
            self.add(sheet.row(number), message % {**names, "row": sheet.first_place(first)})
            return False
        return True
