"""Writing a cycle in the layout of the import workbook (``spec/workbook.md``).

:func:`write_cycle_workbook` fills every sheet of the import layout with a cycle's
definitions and data, so that :func:`scoring.workbook.importer.import_workbook`
reads it back to the same data; without a cycle it writes the empty template the lead
department downloads and fills in. The sheets are written row by row (openpyxl's write-only
mode), so a national cycle does not hold its cells in memory.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessment.models import Adjustment, Cycle, Round, Veto
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput, Exemption, Progress
from scoring.workbook.layout import (
    ADJUSTMENTS,
    ANNUAL,
    COUNTIES,
    DIRECTION_NAMES,
    EXEMPTIONS,
    INDICATORS,
    METHOD_NAMES,
    PROGRESS,
    ROUND_NAMES,
    RULE_ITEMS,
    SETTING_KEYS,
    SETTINGS,
    SHEETS,
    UNITS,
    VETOES,
    SheetSpec,
)

CHUNK = 5000
LAST_ROW = 1048576  # the last row of an xlsx sheet: the drop-down lists cover the column

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center")

# Column widths, in characters, by column key; 12 otherwise.
WIDTHS = {"name": 28, "category": 16, "params": 36, "reason": 40, "key": 16}


def write_cycle_workbook(cycle: Cycle | None, out) -> None:
    """Write ``cycle`` in the import layout to ``out`` (a path or a binary file-like).

    Settings, counties, the units of its indicators, indicators, rule items, annual data,
    April and August progress, exemptions, adjustments and vetoes. With ``cycle=None``,
    the empty template: every sheet with its headers, the settings with their defaults.
    Side effects: none besides writing ``out``.
    """
    book = Workbook(write_only=True)
    writer = _Writer(book)
    writer.sheet(SETTINGS, _settings_rows(cycle))
    if cycle is None:
        for spec in SHEETS[1:]:
            writer.sheet(spec, ())
    else:
        _write_definitions(writer, cycle)
        _write_data(writer, cycle)
    book.save(out)


def _write_definitions(writer: "_Writer", cycle: Cycle) -> None:
    """Counties, the units of the cycle's indicators, indicators and rule items."""
    indicators = Indicator.objects.filter(cycle=cycle).select_related("category", "unit")
    indicators = list(indicators.order_by("order", "code"))
    units = sorted({i.unit for i in indicators}, key=lambda u: u.code)
    writer.sheet(COUNTIES, ([c.code, c.name] for c in cycle.counties.order_by("code")))
    writer.sheet(UNITS, ([u.code, u.name] for u in units))
    writer.sheet(
        INDICATORS,
        (
            [
                i.code,
                i.name,
                i.category.name,
                _number(i.weight),
                i.unit.code,
                DIRECTION_NAMES[i.direction],
            ]
            for i in indicators
        ),
    )
    items = (
        RuleItem.objects.filter(cycle=cycle)
        .order_by("indicator__order", "indicator__code", "order", "code")
        .values_list("indicator__code", "code", "name", "share", "method", "params")
    )
    writer.sheet(
        RULE_ITEMS,
        (
            [indicator, code, name, _number(share), METHOD_NAMES[method], params]
            for indicator, code, name, share, method, params in items
        ),
    )


def _write_data(writer: "_Writer", cycle: Cycle) -> None:
    """Annual data, April and August progress, exemptions, adjustments and vetoes."""
    annual = (
        AnnualInput.objects.filter(cycle=cycle)
        .order_by("item__indicator__order", "item__order", "item__code", "county__code")
        .values_list("county__code", "item__code", "actual", "target")
    )
    writer.sheet(
        ANNUAL,
        (
            [county, item, _number(actual), _number(target)]
            for county, item, actual, target in annual.iterator(chunk_size=CHUNK)
        ),
    )
    progress = (
        Progress.objects.filter(cycle=cycle, round__code__in=ROUND_NAMES)
        .order_by("round__code", "indicator__order", "indicator__code", "county__code")
        .values_list("round__code", "county__code", "indicator__code", "value")
    )
    writer.sheet(
        PROGRESS,
        (
            [ROUND_NAMES[round_code], county, indicator, _number(value)]
            for round_code, county, indicator, value in progress.iterator(chunk_size=CHUNK)
        ),
    )
    exemptions = (
        Exemption.objects.filter(cycle=cycle)
        .order_by("county__code", "indicator__order", "indicator__code")
        .values_list("county__code", "indicator__code", "reason")
    )
    writer.sheet(EXEMPTIONS, (list(row) for row in exemptions))
    adjustments = (
        Adjustment.objects.filter(cycle=cycle)
        .order_by("county__code", "id")
        .values_list("county__code", "points", "reason")
    )
    writer.sheet(
        ADJUSTMENTS,
        ([county, _number(points), reason] for county, points, reason in adjustments),
    )
    vetoes = (
        Veto.objects.filter(cycle=cycle)
        .order_by("county__code", "id")
        .values_list("county__code", "reason")
    )
    writer.sheet(VETOES, (list(row) for row in vetoes))


def _number(value: Decimal | None):
    """A Decimal as an Excel number: an int when whole, else a float (15 digits kept)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _settings_rows(cycle: Cycle | None) -> list[list]:
    values = {s.key: s.default for s in SETTING_KEYS}
    if cycle is not None:
        values.update(
            year=cycle.year,
            total_points=cycle.total_points,
            excellent_ratio=cycle.excellent_ratio,
            excellent_line=cycle.excellent_line,
            good_line=cycle.good_line,
            fair_line=cycle.fair_line,
            bonus_cap=cycle.bonus_cap,
        )
        rounds = {r.code: r for r in Round.objects.filter(cycle=cycle, code__in=ROUND_NAMES)}
        for code, round_ in rounds.items():
            values[f"{code}_expected"] = round_.expected_progress
        # The workbook has one tolerance and one threshold: April's, or else August's.
        first = rounds.get("april") or rounds.get("august")
        if first is not None:
            values["tolerance"] = first.tolerance
            values["diagnosis_threshold"] = first.diagnosis_threshold
    rows = []
    for setting in SETTING_KEYS:
        value = values[setting.key]
        rows.append([setting.zh, _number(value) if isinstance(value, Decimal) else value])
    return rows


class _Writer:
    """Writes the sheets of the import layout: bold frozen headers, widths, drop-down lists."""

    def __init__(self, book: Workbook):
        self.book = book

    def sheet(self, spec: SheetSpec, rows) -> None:
        ws = self.book.create_sheet(spec.zh)
        keys = [column.key for column in spec.columns]
        # Widths and validations must be set before the first row of a write-only sheet.
        for index, key in enumerate(keys, start=1):
            ws.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 12)
        ws.freeze_panes = "A2"
        lists = {
            (INDICATORS.key, "direction"): DIRECTION_NAMES.values(),
            (RULE_ITEMS.key, "method"): METHOD_NAMES.values(),
            (PROGRESS.key, "round"): ROUND_NAMES.values(),
        }
        for index, key in enumerate(keys, start=1):
            choices = lists.get((spec.key, key))
            if choices is None:
                continue
            validation = DataValidation(
                type="list", formula1='"{}"'.format(",".join(choices)), allow_blank=True
            )
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.data_validations.append(validation)
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(ws, value=column.zh)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = HEADER_ALIGNMENT
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([self._cell(ws, value) for value in row])

    @staticmethod
    def _cell(ws, value):
        # Text is text: a name or reason that starts with "=" must not become a formula.
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        return value
