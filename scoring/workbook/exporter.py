"""Writing a cycle in the layout of the import workbook (``spec/workbook.md``).

:func:`write_cycle_workbook` fills every sheet of the import layout with a cycle's
definitions and data, so that :func:`scoring.workbook.importer.import_workbook`
reads it back to the same data; without a cycle it writes the empty template the lead
department downloads and fills in. The sheets are written row by row with xlsxwriter in
``constant_memory`` mode, so a national cycle does not hold its cells in memory; a data sheet
longer than a sheet's limit continues on numbered sheets (年度数据2, …) as the spec says.
"""

from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext as _

from assessment.exports import xlsxwriter_options
from assessment.models import Adjustment, Cycle, Round, Veto
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput, Exemption, Progress
from scoring.workbook.layout import (
    ADJUSTMENTS,
    ANNUAL,
    CONTINUED,
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
    SHEET_DATA_ROWS,
    SHEETS,
    UNITS,
    VETOES,
    SheetSpec,
    continuation_names,
)
from scoring.workbook.spreadsheets import open_for_writing

CHUNK = 5000
LAST_ROW = 1048575  # the last row of an xlsx sheet (from 0): the drop-down lists cover it

HEADER_FORMAT = {
    "bold": True,
    "bg_color": "#DDEBF7",
    "pattern": 1,
    "align": "center",
    "valign": "vcenter",
}

# Column widths, in characters, by column key; 12 otherwise.
WIDTHS = {"name": 28, "category": 16, "params": 36, "reason": 40, "key": 16}


def cycle_workbook_filename(cycle: Cycle) -> str:
    return _("appraisal-workbook-%(year)s.xlsx") % {"year": cycle.year}


def write_cycle_workbook(cycle: Cycle | None, out, *, sheet_rows: int = SHEET_DATA_ROWS) -> None:
    """Write ``cycle`` in the import layout to ``out`` (a path or a binary file-like).

    Settings, counties, the units of its indicators, indicators, rule items, annual data,
    April and August progress, exemptions, adjustments and vetoes. With ``cycle=None``,
    the empty template: every sheet with its headers, the settings with their defaults.
    A sheet with more than ``sheet_rows`` rows continues on numbered sheets.
    Side effects: none besides writing ``out``.
    """
    with (
        open_for_writing(out) as fh,
        xlsxwriter.Workbook(fh, xlsxwriter_options(constant_memory=True)) as book,
    ):
        writer = _Writer(book, sheet_rows)
        writer.sheet(SETTINGS, _settings_rows(cycle))
        if cycle is None:
            for spec in SHEETS[1:]:
                writer.sheet(spec, ())
        else:
            _write_definitions(writer, cycle)
            _write_data(writer, cycle)


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
    """Writes the sheets of the import layout: bold frozen headers, widths, drop-down lists,
    and the continuation sheets of a sheet longer than ``sheet_rows``."""

    def __init__(self, book: xlsxwriter.Workbook, sheet_rows: int):
        self.book = book
        self.sheet_rows = sheet_rows
        self.header_format = book.add_format(HEADER_FORMAT)

    def sheet(self, spec: SheetSpec, rows) -> None:
        names = continuation_names(spec.zh)
        ws = self._start(spec, next(names))
        number = 0
        for row in rows:
            if number == self.sheet_rows and spec.key in CONTINUED:
                ws, number = self._start(spec, next(names)), 0
            number += 1
            for column, value in enumerate(row):
                # Text is text: a name or reason that starts with "=" must not become a
                # formula, so strings and numbers are written by their own methods.
                if value is None or value == "":
                    continue  # an empty cell, as a person leaves it
                if isinstance(value, str):
                    ws.write_string(number, column, value)
                else:
                    ws.write_number(number, column, value)

    def _start(self, spec: SheetSpec, name: str):
        ws = self.book.add_worksheet(name)
        lists = {
            (INDICATORS.key, "direction"): DIRECTION_NAMES.values(),
            (RULE_ITEMS.key, "method"): METHOD_NAMES.values(),
            (PROGRESS.key, "round"): ROUND_NAMES.values(),
        }
        for index, column in enumerate(spec.columns):
            ws.set_column(index, index, WIDTHS.get(column.key, 12))
            choices = lists.get((spec.key, column.key))
            if choices is not None:
                ws.data_validation(
                    1, index, LAST_ROW, index, {"validate": "list", "source": list(choices)}
                )
            ws.write_string(0, index, column.zh, self.header_format)
        ws.freeze_panes(1, 0)
        return ws
