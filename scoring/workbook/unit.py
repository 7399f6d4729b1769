"""A unit's own workbook for one round: download the template of its indicators pre-filled
with what is entered, fill it offline, upload it back.

The sheets are those of the cycle workbook (``spec/workbook.md``): 年度数据 for the annual
round, 预考核数据 for a pre-assessment, with the names of counties, items and indicators in
extra columns (which the reader ignores). Reading reuses the cycle import's sheet readers
and value checks (:mod:`scoring.workbook.data`, the engine's one input check), against the
unit's own indicators only; writing goes through the entry service, cell by cell audited,
under the same lock guard as the grid. All or nothing: any problem, and nothing is written.
"""

from collections import defaultdict
from decimal import Decimal

import python_calamine
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from assessment.exports import append_plain
from assessment.models import Round, Unit
from assessment.refusals import Refused
from assessment.review.services import Locked
from assessment.spreadsheets import SpreadsheetRefused, open_workbook
from indicators.models import Indicator, RuleItem
from indicators.params import NEEDS_TARGET
from scoring.entry import services as entry
from scoring.models import AnnualInput, Exemption, Progress
from scoring.workbook import data as data_sheets
from scoring.workbook.layout import ANNUAL, METHOD_NAMES, PROGRESS, ROUND_NAMES
from scoring.workbook.reader import Reader

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


class UnitWorkbookInvalid(Refused):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def _scope(round: Round, unit: Unit):
    indicators = list(
        Indicator.objects.filter(cycle=round.cycle, unit=unit).order_by("order", "code")
    )
    counties = list(round.cycle.counties.order_by("code"))
    exempt = set(
        Exemption.objects.filter(indicator__in=indicators).values_list("county_id", "indicator_id")
    )
    return indicators, counties, exempt


def unit_workbook_filename(round: Round, unit: Unit) -> str:
    return f"{round.cycle.year}-{round.code}-{unit.code}.xlsx"


def write_unit_workbook(*, round: Round, unit: Unit, out) -> None:
    """Write the template of ``unit``'s indicators in ``round`` to ``out``, pre-filled with
    the values entered so far. Exempt (county, indicator) pairs have no row."""
    indicators, counties, exempt = _scope(round, unit)
    book = Workbook()
    ws = book.active
    if round.kind == Round.Kind.ANNUAL:
        ws.title = ANNUAL.zh
        header = [c.zh for c in ANNUAL.columns] + ["县区名称", "项目名称", "计分方法"]
        items = list(
            RuleItem.objects.filter(indicator__in=indicators).order_by(
                "indicator__order", "indicator__code", "order", "code"
            )
        )
        stored = {
            (c, i): (a, t)
            for c, i, a, t in AnnualInput.objects.filter(item__in=items).values_list(
                "county_id", "item_id", "actual", "target"
            )
        }
        rows = [
            [county.code, item.code, *stored.get((county.id, item.id), (None, None)),
             county.name, item.name, METHOD_NAMES.get(item.method, item.method)
             + (_(" (needs a target)") if item.method in NEEDS_TARGET else "")]
            for item in items
            for county in counties
            if (county.id, item.indicator_id) not in exempt
        ]  # fmt: skip
    else:
        ws.title = PROGRESS.zh
        header = [c.zh for c in PROGRESS.columns] + ["县区名称", "指标名称"]
        stored = dict(
            ((c, i), v)
            for c, i, v in Progress.objects.filter(round=round, indicator__in=indicators)
            .values_list("county_id", "indicator_id", "value")
        )  # fmt: skip
        name = ROUND_NAMES.get(round.code, round.code)
        rows = [
            [name, county.code, ind.code, stored.get((county.id, ind.id)), county.name, ind.name]
            for ind in indicators
            for county in counties
            if (county.id, ind.id) not in exempt
        ]
    append_plain(ws, header)
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row in rows:
        append_plain(ws, [float(v) if isinstance(v, Decimal) else v for v in row])
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (10, 12, 14, 14, 16, 30, 24), strict=False):
        ws.column_dimensions[letter].width = width
    book.save(out)


def read_unit_workbook(*, round: Round, unit: Unit, source) -> dict:
    """Check an uploaded workbook against ``unit``'s indicators in ``round``.

    Returns indicator id → {(county id, column key): value}; raises
    :class:`UnitWorkbookInvalid` listing every problem (sheet and cell) otherwise. Blank
    cells are left as they are.
    """
    indicators, counties, exempt = _scope(round, unit)
    try:
        book = open_workbook(source)
    except SpreadsheetRefused as exc:
        raise UnitWorkbookInvalid([str(exc)]) from None
    except (OSError, ValueError, TypeError):
        raise UnitWorkbookInvalid(
            [_("not an Excel workbook (.xlsx), or it cannot be read")]
        ) from None
    with book:
        values, problems = _read_values(round, book, indicators, counties, exempt)
    if problems:
        raise UnitWorkbookInvalid(problems)
    return values


def _read_values(round: Round, book, indicators, counties, exempt):
    reader = Reader(book)
    by_code = {ind.code: ind for ind in indicators}
    reader.data.counties = {c.code: c.name for c in counties}
    reader.data.indicators = {ind.code: ind.code for ind in indicators}
    items = {i.code: i for i in RuleItem.objects.filter(indicator__in=indicators)}
    reader.data.items = {
        code: (i.indicator_id, i.name, i.share, i.method, i.params) for code, i in items.items()
    }
    annual = round.kind == Round.Kind.ANNUAL
    try:
        (data_sheets.read_annual if annual else data_sheets.read_progress)(reader)
    except (python_calamine.CalamineError, SpreadsheetRefused) as exc:
        return {}, [str(exc)]
    county_id = {c.code: c.id for c in counties}
    values: dict = defaultdict(dict)
    problems = list(reader.problems)
    if annual:
        for county, code, actual, target in reader.data.annual:
            item = items[code]
            if (county_id[county], item.indicator_id) in exempt:
                problems.append(_exempt(county, item.indicator_id, indicators))
                continue
            if actual is not None:
                values[item.indicator_id][(county_id[county], f"a{item.id}")] = actual
            if target is not None:
                values[item.indicator_id][(county_id[county], f"t{item.id}")] = target
    else:
        for round_code, county, code, value in reader.data.progress:
            if round_code != round.code:
                problems.append(
                    _("%(sheet)s: progress of another round (%(round)s) in the file of %(this)s")
                    % {"sheet": PROGRESS.zh, "round": round_code, "this": round.name}
                )
                continue
            ind = by_code[code]
            if (county_id[county], ind.id) in exempt:
                problems.append(_exempt(county, ind.id, indicators))
                continue
            values[ind.id][(county_id[county], "p")] = value
    return dict(values), problems


def _exempt(county: str, indicator_id: int, indicators) -> str:
    code = next(i.code for i in indicators if i.id == indicator_id)
    return _("county %(county)s is exempt from indicator %(indicator)s: no value is needed") % {
        "county": county,
        "indicator": code,
    }


def import_unit_workbook(*, round: Round, unit: Unit, source, actor) -> int:
    """Check and save an uploaded unit workbook; return the number of cells changed.

    Side effects: saves each indicator's values through :func:`entry.save_grid` (audited
    per cell) in one transaction. Raises :class:`UnitWorkbookInvalid` with every problem —
    of the file, or an indicator whose entry is locked — and then writes nothing.
    """
    values = read_unit_workbook(round=round, unit=unit, source=source)
    indicators = {i.id: i for i in Indicator.objects.filter(id__in=values)}
    changed = 0
    problems = []
    with transaction.atomic():
        for indicator_id, cells in sorted(values.items()):
            ind = indicators[indicator_id]
            current = entry.load_grid(round=round, indicator=ind).values
            loaded = {cell: current.get(cell) for cell in cells}
            try:
                summary = entry.save_grid(
                    round=round, indicator=ind, values=cells, loaded=loaded, actor=actor
                )
            except Locked as exc:
                problems.append(f"{ind.code} {ind.name}: {exc.lock.message}")
                continue
            changed += summary.changed
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise UnitWorkbookInvalid(problems)
    return changed
