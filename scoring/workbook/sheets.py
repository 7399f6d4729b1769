"""Finding a sheet of the layout in a workbook, its header columns, and its records.

A sheet is found by its Chinese name or English alias (``layout.SheetSpec``), its columns by
their headers in row 1, in any order; each record comes with its row number, and the sheet
names the cell of a column on that row (``细则!E7``) or the row itself (``年度数据 row 12``)
for the problems found there.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from scoring.workbook.cells import blank, text
from scoring.workbook.layout import CONTINUED, SheetSpec, continuation_names, fold

# Where a problem is and what it is: ``add("细则!E7", 'unknown method "按比例"')``.
AddProblem = Callable[[str, str], None]


def row_place(sheet: str, row: int) -> str:
    """Where a problem of a whole row is: ``年度数据 row 12``."""
    return _("%(sheet)s row %(row)s") % {"sheet": sheet, "row": row}


@dataclass
class SheetPart:
    """One worksheet of a sheet: its name, its rows after the header, the column index of
    each column key, and the offset of the first column that the reader returns."""

    name: str
    rows: Iterator
    columns: dict[str, int]
    offset: int


class Sheet:
    """A sheet of the layout, read as one sequence of records.

    It is made of parts, read in order: a data sheet that continues on ``年度数据2``,
    ``年度数据3``… (spec/workbook.md, every part with the same header row) is one sheet of
    several parts. The parts after the first are opened only when the records reach them, so
    that one worksheet at a time is held in memory. While :meth:`records` runs, :meth:`cell`
    and :meth:`row` name places in the part being read, so a problem names its own sheet.
    """

    def __init__(self, spec: SheetSpec, first: SheetPart, more: Iterable[SheetPart] = ()):
        self.spec = spec
        self._part = first
        # Only the first part's name is kept: its rows are let go once they have been read.
        self._first_name = first.name
        self._more = more

    @property
    def name(self) -> str:
        return self._part.name

    @property
    def columns(self) -> dict[str, int]:
        return self._part.columns

    def cell(self, key: str, row: int) -> str:
        column = self._part.columns[key] + self._part.offset + 1
        return f"{self._part.name}!{get_column_letter(column)}{row}"

    def header(self, key: str) -> str:
        return self.cell(key, 1)

    def row(self, row: int) -> str:
        return row_place(self._part.name, row)

    def mark(self, row: int):
        """Row ``row`` of the part being read, comparable across parts: the number itself in
        the first part (as every sheet that does not continue), else (part name, number)."""
        return row if self._part.name == self._first_name else (self._part.name, row)

    def first_place(self, mark) -> str | int:
        """How a problem names the row of ``mark`` (see :meth:`mark`): its number in the part
        being read, else the number and its sheet."""
        name, row = (self._first_name, mark) if isinstance(mark, int) else mark
        if name == self._part.name:
            return row
        return _("%(row)s on sheet %(sheet)s") % {"row": row, "sheet": name}

    def records(self):
        """Yield (row number, row values) for every row with a value in a known column."""
        for part in itertools.chain([self._part], self._more):
            self._part = part
            used = list(part.columns.values())
            first = used[0]
            for number, values in enumerate(part.rows, start=2):
                # Most rows have their first column filled: skip the full check for them.
                if blank(values[first]) and all(blank(values[i]) for i in used):
                    continue
                yield number, values


class Book:
    """The sheets of an open python-calamine workbook, found by the names of the layout.

    The first sheet of a name wins, compared without case or surrounding spaces.
    """

    def __init__(self, book):
        self.book = book
        self._names = {fold(name): name for name in reversed(book.sheet_names)}

    def find(self, spec: SheetSpec) -> str | None:
        """The name of the sheet of ``spec`` in this workbook, or None."""
        return self._names.get(fold(spec.zh)) or self._names.get(fold(spec.en))

    def open(self, spec: SheetSpec, add: AddProblem) -> Sheet | None:
        """The sheet of ``spec`` with its columns found, or None: missing (a problem when it
        is required), empty and optional, or with a required column missing (a problem)."""
        name = self.find(spec)
        if name is None:
            if spec.required:
                add(
                    f"{spec.zh}!A1",
                    _('the required sheet is missing (name it "%(zh)s" or "%(en)s")')
                    % {"zh": spec.zh, "en": spec.en},
                )
            return None
        first = self._part(spec, name, add)
        if first is None:
            return None
        more = self._continuations(spec, name, add) if spec.key in CONTINUED else iter(())
        return Sheet(spec, first, more)

    def _part(self, spec: SheetSpec, name: str, add: AddProblem) -> SheetPart | None:
        found = self.book.get_sheet_by_name(name)
        # iter_rows() pads the rows above the used area but starts at its first used column:
        # keep that column offset so that every cell named in a problem is the real one.
        offset = found.start[1] if found.start else 0
        rows = iter(found.iter_rows())
        header = next(rows, None)
        if header is None and not spec.required:
            return None  # an empty optional sheet is as good as none
        columns = header_columns(spec, name, header or (), offset, add)
        if columns is None:
            return None
        return SheetPart(name, rows, columns, offset)

    def _continuations(self, spec: SheetSpec, name: str, add: AddProblem):
        """The parts after ``name`` (name2, name3, … up to the first number missing), each
        opened when the one before it has been read; an empty one is skipped."""
        for following in itertools.islice(continuation_names(name), 1, None):
            actual = self._names.get(fold(following))
            if actual is None:
                return
            part = self._part(replace(spec, required=False), actual, add)
            if part is not None:
                yield part


def header_columns(
    spec: SheetSpec, name: str, header, offset: int, add: AddProblem
) -> dict[str, int] | None:
    """Column key → index in ``header`` (row 1 of sheet ``name``); None when a required
    column is missing. A column that appears twice and each missing column are problems."""
    lookup = spec.lookup()
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        key = lookup.get(fold(text(value)))
        if key is None:
            continue
        if key in columns:
            where = f"{name}!{get_column_letter(index + offset + 1)}1"
            add(where, _('column "%(name)s" appears twice') % {"name": text(value)})
            continue
        columns[key] = index
    missing = [c for c in spec.columns if c.required and c.key not in columns]
    for column in missing:
        add(
            row_place(name, 1),
            _('missing column "%(zh)s" (%(en)s)') % {"zh": column.zh, "en": column.en},
        )
    return None if missing else columns
