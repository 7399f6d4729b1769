"""A unit's own workbook for one round: download the template of its indicators pre-filled
with what is entered, fill it offline, upload it back.

The sheets are those of the cycle workbook (``spec/workbook.md``): 年度数据 for the annual
round, 预考核数据 for a pre-assessment, with the names of counties, items and indicators in
extra columns (which the reader ignores). The annual round's workbook has one more sheet of
our own, 评价意见 (:data:`EVALUATIONS`): the unit's evaluation of each county (strengths,
weaknesses, advice), read back and saved through the evaluation service. Reading reuses the
cycle import's sheet readers and value checks (:mod:`scoring.workbook.data`, the engine's
one input check), against the unit's own indicators only; writing goes through the entry
service, cell by cell audited, under the same lock guard as the grid. All or nothing: any
problem, and nothing is written.
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
from indicators.models import Indicator, RuleItem, UnitEvaluation
from indicators.params import NEEDS_TARGET
from indicators.services import evaluations
from scoring.entry import services as entry
from scoring.models import AnnualInput, Exemption, Progress
from scoring.workbook import cells as cell_values
from scoring.workbook import data as data_sheets
from scoring.workbook.layout import ANNUAL, METHOD_NAMES, PROGRESS, ROUND_NAMES, Column, SheetSpec
from scoring.workbook.reader import Reader

# The unit's evaluations of the counties (annual round only): a sheet of this workbook's own,
# not of spec/workbook.md. A county left blank keeps its evaluation as it is.
EVALUATIONS = SheetSpec(
    "evaluations",
    "评价意见",
    "evaluations",
    (
        Column("county", "县区代码", "county"),
        Column("strengths", "优势", "strengths", required=False),
        Column("weaknesses", "不足", "weaknesses", required=False),
        Column("advice", "建议", "advice", required=False),
    ),
)
TEXTS = evaluations.TEXTS

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
    if round.kind == Round.Kind.ANNUAL:
        _write_evaluations(book, round, unit, counties)
    book.save(out)


def _write_evaluations(book, round: Round, unit: Unit, counties) -> None:
    ws = book.create_sheet(EVALUATIONS.zh)
    stored = {
        e.county_id: e for e in UnitEvaluation.objects.filter(cycle_id=round.cycle_id, unit=unit)
    }
    append_plain(ws, [c.zh for c in EVALUATIONS.columns] + ["县区名称"])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for county in counties:
        found = stored.get(county.id)
        texts = [getattr(found, name) or None for name in TEXTS] if found else [None] * 3
        append_plain(ws, [county.code, *texts, county.name])
    ws.freeze_panes = "B2"
    for letter, width in zip("ABCDE", (10, 40, 40, 40, 14), strict=True):
        ws.column_dimensions[letter].width = width


def read_unit_workbook(*, round: Round, unit: Unit, source) -> dict:
    """Check an uploaded workbook against ``unit``'s indicators in ``round``.

    Returns indicator id → {(county id, column key): value}, and under the key
    ``EVALUATIONS.key`` (annual round) county id → {strengths, weaknesses, advice} of the rows
    that say something; raises :class:`UnitWorkbookInvalid` listing every problem (sheet and
    cell) otherwise. Blank cells are left as they are.
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
        if round.kind == Round.Kind.ANNUAL:
            texts, more = _read_evaluations(book, counties)
            problems += more
            if texts:
                values[EVALUATIONS.key] = texts
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


def _read_evaluations(book, counties) -> tuple[dict, list[str]]:
    """County id → the texts of the 评价意见 sheet (rows with at least one), and the problems:
    an unknown county, a county twice."""
    reader = Reader(book)
    sheet = reader.sheet(EVALUATIONS)
    if sheet is None:
        return {}, list(reader.problems)
    county_id = {c.code: c.id for c in counties}
    at = sheet.columns
    texts, seen = {}, {}
    for number, row in sheet.records():
        code = cell_values.text(row[at["county"]])
        if code not in county_id:
            reader.add(sheet.cell("county", number), _('unknown county "%(value)s"') % {
                "value": code,
            })  # fmt: skip
            continue
        if code in seen:
            reader.add(sheet.row(number), _("county %(county)s again (first on row %(row)s)") % {
                "county": code, "row": seen[code],
            })  # fmt: skip
            continue
        seen[code] = number
        said = {name: _text(row, at.get(name)) for name in TEXTS}
        if any(said.values()):
            texts[county_id[code]] = said
    return texts, list(reader.problems)


def _text(row, index) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


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
    said = values.pop(EVALUATIONS.key, {})
    indicators = {i.id: i for i in Indicator.objects.filter(id__in=values)}
    changed = 0
    problems = []
    with transaction.atomic():
        evaluated, problems = _save_evaluations(round, unit, said, actor)
        changed += evaluated
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


def _save_evaluations(round: Round, unit: Unit, said: dict, actor) -> tuple[int, list[str]]:
    """Save the evaluations that differ from the stored ones; (how many, the problems: an
    evaluation the unit may not change now)."""
    stored = {
        e.county_id: e
        for e in UnitEvaluation.objects.filter(cycle_id=round.cycle_id, unit=unit, county__in=said)
    }
    counties = {c.id: c for c in round.cycle.counties.filter(id__in=said)}
    saved, problems = 0, []
    for county_id, texts in sorted(said.items()):
        old = stored.get(county_id)
        if old is not None and all(getattr(old, n) == texts[n] for n in TEXTS):
            continue
        try:
            evaluations.save_evaluation(
                cycle=round.cycle, unit=unit, county=counties[county_id], actor=actor, **texts
            )
        except Refused as exc:
            problems.append(f"{EVALUATIONS.zh} {counties[county_id].name}: {exc}")
            continue
        saved += 1
    return saved, problems
