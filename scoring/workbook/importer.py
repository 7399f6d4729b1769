"""Importing a whole cycle from the workbook of ``spec/workbook.md`` ("Import workbook").

The workbook is read with python-calamine, row by row as plain values, and validated in one
pass per sheet; every problem found is collected (sheet and cell, or sheet and row) before
anything is written. Only a workbook without problems is written, in one transaction, with
bulk inserts. The management command ``import_workbook`` and the lead department's upload
page both call :func:`import_workbook`.

The parts, reusable by other readers of spreadsheets: :mod:`.cells` reads one cell into a
typed value, :mod:`.sheets` finds a sheet, its columns and its records, :mod:`.reader` holds
the problems and reads the cells of a record, :mod:`.definitions` and :mod:`.data` read the
sheets, :mod:`.checks` checks across rows and sheets, :mod:`.write` writes in bulk.
"""

from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path, PurePath

import python_calamine
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import record_event
from assessment.models import Cycle
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable
from assessment.spreadsheets import SpreadsheetRefused, open_workbook
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput, Progress
from scoring.workbook import data as data_sheets
from scoring.workbook import definitions
from scoring.workbook.cells import INVALID
from scoring.workbook.layout import COUNTIES, UNITS
from scoring.workbook.reader import Definition, Reader
from scoring.workbook.replace import records_lost, replace_in_place
from scoring.workbook.write import ImportSummary, write

__all__ = [
    "CycleExists",
    "ImportSummary",
    "RecordsWouldBeLost",
    "WorkbookInvalid",
    "import_workbook",
]


class WorkbookInvalid(Refused):
    """The workbook cannot be imported; ``problems`` lists every reason, one line each.

    Each line starts with the sheet and the cell (``细则!E7: …``) or the row
    (``年度数据 row 12: …``).
    """

    def __init__(self, problems: list[str], total: int | None = None):
        self.problems = list(problems)
        # How many problems were found; only the first ones (reader.PROBLEMS_KEPT) are listed.
        self.total = len(self.problems) if total is None else total
        super().__init__("\n".join(self.problems))

    @property
    def unlisted(self) -> int:
        return self.total - len(self.problems)


class RecordsWouldBeLost(WorkbookInvalid):
    """Replacing the year would delete records that hang on it and are not in the workbook
    (``discard`` was not asked for). The first line says so and how to replace anyway; one
    line per record group follows."""


class CycleExists(WorkbookInvalid):
    """The workbook's year exists already and ``replace`` was not asked for.

    The first problem line says so and how to replace the year; any other problems of the
    workbook follow it.
    """


def import_workbook(
    source, *, replace: bool = False, discard: bool = False, actor=None
) -> ImportSummary:
    """Import one cycle from the workbook ``source`` (a path or a binary file-like).

    Validates every sheet first and raises :class:`WorkbookInvalid` listing every problem,
    or :class:`CycleExists` when the year exists and ``replace`` is false, or
    :class:`RecordsWouldBeLost` listing what replacing would delete beyond the workbook's
    data (records on an indicator it drops, a special assessment's adjustment, a veto's
    evidence) unless ``discard``; then nothing is written. Otherwise, in one transaction:
    replaces an existing year in place, keeping the cycle and every record that hangs on it
    (:mod:`scoring.workbook.replace`), or creates the cycle (active) with its rounds; creates
    or renames the counties and units by code, writes the categories, indicators (rules
    approved), rule items, annual inputs, progress, exemptions, adjustments and vetoes, and
    writes one audit event (``import_workbook`` or ``import_workbook_replace``) with the
    counts, the file name and the records discarded (one line each, as listed).
    """
    return _import_read(
        read_workbook(source),
        name=_source_name(source),
        replace=replace,
        discard=discard,
        actor=actor,
    )


def preview_or_import(
    source, *, discard: bool = False, actor=None
) -> "ReplacePreview | ImportSummary":
    """A replace's first step, from one reading of ``source``: what replacing its year would
    change (:func:`preview_replace`, nothing written) when that year exists; when it does
    not, there is nothing to replace and the workbook is imported at once
    (:func:`import_workbook` with ``replace``). Raises as they do."""
    read = read_workbook(source)
    preview = _preview_read(read)
    if preview is not None:
        return preview
    return _import_read(read, name=_source_name(source), replace=True, discard=discard, actor=actor)


def _import_read(read, *, name: str, replace: bool, discard: bool, actor) -> ImportSummary:
    """:func:`import_workbook` of a workbook already read (:func:`read_workbook`)."""
    data, problems, total = read
    year = data.settings["year"] if data is not None else INVALID
    if year is not INVALID and not replace and Cycle.objects.filter(year=year).exists():
        line = f"{data.year_cell}: " + _(
            "the year %(year)s exists already; import with --replace (the replace option) to "
            "replace its definitions and data"
        ) % {"year": year}
        raise CycleExists([line, *problems], total + 1)
    if problems:
        raise WorkbookInvalid(problems, total)
    with transaction.atomic():
        old = Cycle.objects.select_for_update().filter(year=year).first()
        if old is not None:
            ensure_cycle_writable(old)
            lost = records_lost(old, data)
            if lost and not discard:
                line = f"{data.year_cell}: " + _(
                    "replacing the year %(year)s would delete these records, which are not in "
                    "the workbook; import with --discard-records (the discard option) to "
                    "replace it anyway"
                ) % {"year": year}
                raise RecordsWouldBeLost([line, *lost])
            cycle, summary = old, replace_in_place(old, data)
        else:
            cycle, summary, lost = *write(data), []
        record_event(
            cycle,
            summary="import_workbook_replace" if old is not None else "import_workbook",
            data={**asdict(summary), "file": name, "discarded": lost},
            actor=actor,
        )
    return summary


def read_workbook(source) -> tuple[Definition | None, list[str], int]:
    """Validate the workbook: what it defines (None if unreadable), the problems found (the
    first :data:`~scoring.workbook.reader.PROBLEMS_KEPT`) and how many there are in all.

    Reads only."""
    name = _source_name(source)
    try:
        book = open_workbook(source)
    except SpreadsheetRefused as exc:
        return None, [f"{name}: {exc}"], 1
    except (OSError, ValueError, TypeError):
        problem = _("%(file)s: not an Excel workbook (.xlsx), or it cannot be read")
        return None, [problem % {"file": name}], 1
    reader = Reader(book)
    try:
        _read_sheets(reader)
    except SpreadsheetRefused as exc:
        return None, [f"{name}: {exc}"], 1
    except python_calamine.CalamineError as exc:
        problem = _("%(file)s: the workbook cannot be read (%(error)s)")
        return None, [problem % {"file": name, "error": exc}], 1
    finally:
        book.close()
    return reader.data, reader.problems, reader.problem_count


def _read_sheets(reader: Reader) -> None:
    """Every sheet, in the order of the layout, so that the problems come in sheet order."""
    definitions.read_settings(reader)
    definitions.read_register(
        reader,
        COUNTIES,
        reader.data.counties,
        _('duplicate county code "%(code)s" (first on row %(row)s)'),
    )
    definitions.read_register(
        reader,
        UNITS,
        reader.data.units,
        _('duplicate unit code "%(code)s" (first on row %(row)s)'),
    )
    definitions.read_indicators(reader)
    definitions.read_items(reader)
    data_sheets.read_annual(reader)
    data_sheets.read_progress(reader)
    data_sheets.read_exemptions(reader)
    data_sheets.read_adjustments(reader)
    data_sheets.read_vetoes(reader)


def _source_name(source) -> str:
    if isinstance(source, str | PurePath):
        return Path(source).name
    return Path(getattr(source, "name", "") or "").name or "workbook.xlsx"


@dataclass(frozen=True)
class ReplacePreview:
    """What replacing an existing year by a workbook would change (read only)."""

    year: int
    added: list[str]  # indicator codes in the workbook, not in the year
    removed: list[str]  # indicator codes in the year, not in the workbook
    changed: list[str]  # in both, with another name, category, weight, unit, direction or items
    annual_rows: tuple[int, int]  # the year's annual input rows now, and the workbook's
    progress_rows: tuple[int, int]
    lost: list[str]  # records_lost: what would be deleted beyond the workbook's data


def preview_replace(source) -> ReplacePreview | None:
    """What :func:`import_workbook` with ``replace`` would change in the year of the workbook
    ``source``; None when that year does not exist (the import only creates). No side
    effects. Raises :class:`WorkbookInvalid` listing every problem of the workbook, or
    ``CycleReadOnly`` when the year is archived."""
    return _preview_read(read_workbook(source))


def _preview_read(read) -> ReplacePreview | None:
    """:func:`preview_replace` of a workbook already read (:func:`read_workbook`)."""
    data, problems, total = read
    if problems:
        raise WorkbookInvalid(problems, total)
    old = Cycle.objects.filter(year=data.settings["year"]).first()
    if old is None:
        return None
    ensure_cycle_writable(old)
    now = {
        ind.code: ind
        for ind in Indicator.objects.filter(cycle=old).select_related("category", "unit")
    }
    items: dict[str, set] = {}
    for code, indicator_code in RuleItem.objects.filter(cycle=old).values_list(
        "code", "indicator__code"
    ):
        items.setdefault(indicator_code, set()).add(code)
    new_items: dict[str, set] = {}
    for code, (indicator_code, *_rest) in data.items.items():
        new_items.setdefault(indicator_code, set()).add(code)
    changed = []
    for code in sorted(set(now) & set(data.indicators)):
        ind = now[code]
        name, category, weight, unit, direction = data.indicators[code]
        current = (ind.name, ind.category.name if ind.category else None, Decimal(ind.weight))
        if (
            current != (name, category, Decimal(weight))
            or (ind.unit.code if ind.unit else None) != unit
            or ind.direction != direction
            or items.get(code, set()) != new_items.get(code, set())
        ):
            changed.append(code)
    return ReplacePreview(
        year=old.year,
        added=sorted(set(data.indicators) - set(now)),
        removed=sorted(set(now) - set(data.indicators)),
        changed=changed,
        annual_rows=(AnnualInput.objects.filter(cycle=old).count(), len(data.annual)),
        progress_rows=(Progress.objects.filter(cycle=old).count(), len(data.progress)),
        lost=records_lost(old, data),
    )
