"""Importing a whole cycle from the workbook of ``spec/workbook.md`` ("Import workbook").

The workbook is read with python-calamine, row by row as plain values, and validated in one
pass per sheet; every problem found is collected (sheet and cell, or sheet and row) before
anything is written. Only a workbook without problems is written, in one transaction, with
bulk inserts. The management command ``import_workbook`` and the lead department's upload
page both call :func:`import_workbook`.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath

import python_calamine
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.utils import get_column_letter

from assessment.audit import record_event
from assessment.models import Adjustment, County, Cycle, Round, Unit, Veto
from indicators.models import Category, Indicator, RuleItem
from indicators.params import ParamError, parse_params
from scoring.engine import value_messages
from scoring.models import AnnualInput, Exemption, Progress
from scoring.workbook.layout import (
    ADJUSTMENTS,
    ANNUAL,
    ANNUAL_ROUND_NAME,
    COUNTIES,
    DIRECTIONS,
    EXEMPTIONS,
    INDICATORS,
    METHODS,
    PRE_ROUND_NAMES,
    PROGRESS,
    ROUNDS,
    RULE_ITEMS,
    SETTING_KEYS,
    SETTINGS,
    UNITS,
    VETOES,
    Setting,
    SheetSpec,
    fold,
)

BATCH = 5000
# Keep ``code IN (…)`` lists under the parameter limit of every supported database.
LOOKUP_CHUNK = 900
HUNDRED = Decimal(100)


# --- errors and results ------------------------------------------------------------------


class WorkbookInvalid(Exception):
    """The workbook cannot be imported; ``problems`` lists every reason, one line each.

    Each line starts with the sheet and the cell (``细则!E7: …``) or the row
    (``年度数据 row 12: …``).
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class CycleExists(WorkbookInvalid):
    """The workbook's year exists already and ``replace`` was not asked for.

    The first problem line says so and how to replace the year; any other problems of the
    workbook follow it.
    """


@dataclass
class ImportSummary:
    year: int
    counties: int
    units: int
    indicators: int
    items: int
    annual_rows: int
    progress_rows: int
    exemptions: int
    adjustments: int
    vetoes: int


# --- reading cells -------------------------------------------------------------------------


class _Bad(ValueError):
    """A cell that does not hold what its column needs; the message says why."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _float_decimal(value: float) -> Decimal:
    # Excel keeps 15 significant digits: what the user typed (or sees) is the value rounded
    # to 15 digits, without the binary noise of a float (0.30000000000000004 → 0.3).
    return Decimal(format(value, ".15g"))


def _text(value) -> str:
    """A cell as text; a number typed where a code belongs (101, 101.0) becomes "101"."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(_float_decimal(value), "f")
    if isinstance(value, int):
        return str(value)
    return str(value)


def _number(value, *, percent: str = "") -> Decimal | None:
    """A cell as a Decimal, None when blank; raise :class:`_Bad` when it is not a number.

    ``percent="fraction"`` reads ``30%`` as 0.30; ``percent="points"`` reads ``33.33%`` as 33.33.
    """
    if isinstance(value, bool):
        raise _Bad(_('"%(value)s" is not a number') % {"value": _text(value)})
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _Bad(_('"%(value)s" is not a number') % {"value": value})
        return _float_decimal(value)
    if isinstance(value, int):
        return Decimal(value)
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise _Bad(_('"%(value)s" is not a number') % {"value": value})
    text = value.strip().replace("％", "%")
    scale = Decimal(1)
    if percent and text.endswith("%"):
        text = text[:-1].strip()
        scale = Decimal("0.01") if percent == "fraction" else Decimal(1)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _Bad(_('"%(value)s" is not a number') % {"value": value.strip()})
    return number * scale


def _fit(value: Decimal, max_digits: int, places: int) -> Decimal:
    """``value`` unchanged if a DecimalField(max_digits, places) stores it exactly."""
    if abs(value) >= Decimal(10) ** (max_digits - places):
        raise _Bad(_("%(value)s is too large") % {"value": _show(value)})
    if value.as_tuple().exponent < -places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise _Bad(
            _("%(value)s has more than %(places)s decimal places")
            % {"value": _show(value), "places": places}
        )
    return value


def _fits(max_digits: int, places: int):
    return lambda value: _fit(value, max_digits, places)


def _batched(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _show(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 100.0000 → 100."""
    value = value.normalize()
    if abs(value.adjusted()) > 20:
        return str(value)  # 1E+300, not three hundred digits
    text = format(value, "f")
    return "0" if text == "-0" else text


def _not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise _Bad(_("must not be negative (%(value)s)") % {"value": _show(value)})
    return value


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise _Bad(_("must be greater than 0 (%(value)s)") % {"value": _show(value)})
    return value


def _row(sheet: str, row: int) -> str:
    """Where a problem of a whole row is: ``年度数据 row 12``."""
    return _("%(sheet)s row %(row)s") % {"sheet": sheet, "row": row}


# --- one sheet ---------------------------------------------------------------------------


class _Sheet:
    """A sheet found in the workbook: its header columns and an iterator over its rows."""

    def __init__(self, spec: SheetSpec, name: str, rows, columns: dict[str, int], offset: int):
        self.spec = spec
        self.name = name
        self._rows = rows
        self.columns = columns
        self.offset = offset

    def cell(self, key: str, row: int) -> str:
        return f"{self.name}!{get_column_letter(self.columns[key] + self.offset + 1)}{row}"

    def header(self, key: str) -> str:
        return self.cell(key, 1)

    def row(self, row: int) -> str:
        return _row(self.name, row)

    def records(self):
        """Yield (row number, row values) for every row with a value in a known column."""
        used = list(self.columns.values())
        first = used[0]
        for number, values in enumerate(self._rows, start=2):
            # Most rows have their first column filled: skip the full check for them.
            if _blank(values[first]) and all(_blank(values[i]) for i in used):
                continue
            yield number, values


@dataclass
class _Definition:
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


class _Invalid:
    """Marks a value that was read but is wrong (its problem is already listed)."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = _Invalid()

# What a code refers to: the sheet that defines such codes and the problem when it does not.
_REGISTERS = {
    "county": (COUNTIES, "counties", gettext_noop('unknown county code "%(code)s"')),
    "unit": (UNITS, "units", gettext_noop('unknown unit code "%(code)s"')),
    "indicator": (INDICATORS, "indicators", gettext_noop('unknown indicator code "%(code)s"')),
    "item": (RULE_ITEMS, "items", gettext_noop('unknown item code "%(code)s"')),
}


class _Reader:
    """Validates a workbook sheet by sheet into a :class:`_Definition`, collecting problems."""

    def __init__(self, book):
        self.book = book
        self.problems: list[str] = []
        self.data = _Definition()
        # The first sheet of a name wins, compared without case or surrounding spaces.
        self._names = {fold(name): name for name in reversed(book.sheet_names)}
        self._indicator_rows: dict[str, int] = {}
        self._indicators_sheet: _Sheet | None = None
        # Required sheets that could not be read: references to their codes are not checked.
        self.broken: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def sheet(self, spec: SheetSpec) -> _Sheet | None:
        """The sheet of ``spec`` with its columns found, or None (missing, or columns missing)."""
        name = self._names.get(fold(spec.zh)) or self._names.get(fold(spec.en))
        if name is None:
            if spec.required:
                self.broken.add(spec.key)
                self.add(
                    f"{spec.zh}!A1",
                    _('the required sheet is missing (name it "%(zh)s" or "%(en)s")')
                    % {"zh": spec.zh, "en": spec.en},
                )
            return None
        found = self.book.get_sheet_by_name(name)
        # iter_rows() pads the rows above the used area but starts at its first used column:
        # keep that column offset so that every cell named in a problem is the real one.
        offset = found.start[1] if found.start else 0
        rows = iter(found.iter_rows())
        header = next(rows, None)
        if header is None and not spec.required:
            return None  # an empty optional sheet is as good as none
        lookup = spec.lookup()
        columns: dict[str, int] = {}
        for index, value in enumerate(header or ()):
            key = lookup.get(fold(_text(value)))
            if key is None:
                continue
            if key in columns:
                where = f"{name}!{get_column_letter(index + offset + 1)}1"
                self.add(where, _('column "%(name)s" appears twice') % {"name": _text(value)})
                continue
            columns[key] = index
        missing = [c for c in spec.columns if c.required and c.key not in columns]
        for column in missing:
            self.add(
                _row(name, 1),
                _('missing column "%(zh)s" (%(en)s)') % {"zh": column.zh, "en": column.en},
            )
        if missing:
            self.broken.add(spec.key)
            return None
        return _Sheet(spec, name, rows, columns, offset)

    # -- cells of any sheet

    def code(self, sheet: _Sheet, key: str, number: int, values) -> str | None:
        text = _text(values[sheet.columns[key]])
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
        self, sheet: _Sheet, key: str, number: int, values, *, limit: int, required: bool = True
    ) -> str | None:
        index = sheet.columns.get(key)
        text = "" if index is None else _text(values[index])
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

    def number(self, sheet: _Sheet, key: str, number: int, values, *checks) -> Decimal | None:
        """A required number passed through ``checks``; None (and a problem) if blank or bad."""
        raw = values[sheet.columns[key]]
        try:
            value = _number(raw)
            if value is None:
                raise _Bad(_("a number is required"))
            for check in checks:
                value = check(value)
        except _Bad as exc:
            self.add(sheet.cell(key, number), str(exc))
            return None
        return value

    def value(self, sheet: _Sheet, key: str, number: int, raw):
        """An input value (actual, target, progress): Decimal, None when blank, or INVALID."""
        if raw.__class__ is float and -1e15 < raw < 1e15:
            # The common case, a plain number, without the general checks: at most 15
            # significant digits, so it fits 24 digits if it has at most 6 decimals.
            text = format(raw, ".15g")
            dot = text.find(".")
            if "e" not in text and (dot < 0 or len(text) - dot <= 7):
                return Decimal(text)
        try:
            value = _number(raw)
            return value if value is None else _fit(value, 24, 6)
        except _Bad as exc:
            self.add(sheet.cell(key, number), str(exc))
            return INVALID

    def choice(self, sheet: _Sheet, key: str, number: int, values, names: dict, unknown: str):
        """A value of a fixed list (``names`` maps what may be written to the stored code)."""
        text = _text(values[sheet.columns[key]])
        if not text:
            self.add(sheet.cell(key, number), _("a value is required"))
            return None
        value = names.get(text) or names.get(text.casefold())
        if value is None:
            self.add(sheet.cell(key, number), unknown % {"value": text})
        return value

    def known(self, sheet: _Sheet, key: str, number: int, values, register: str) -> str | None:
        """A code of a county, unit, indicator or item (``register``) that the workbook defines.

        None and a problem on the row when it is unknown; None alone when the sheet that
        defines such codes could not be read (its problem is listed already).
        """
        code = self.code(sheet, key, number, values)
        if code is None:
            return None
        source, attribute, message = _REGISTERS[register]
        if code not in getattr(self.data, attribute):
            if source.key not in self.broken:
                self.add(sheet.row(number), _(message) % {"code": code})
            return None
        return code

    def unique(self, seen: dict, key, sheet: _Sheet, number: int, message: str, names) -> bool:
        """Record ``key`` as seen on row ``number``; a problem (and False) if seen before.

        ``message`` names the first row as ``%(row)s`` and the values of ``names``.
        """
        first = seen.setdefault(key, number)
        if first != number:
            self.add(sheet.row(number), message % {**names, "row": first})
            return False
        return True

    # -- the sheets, in order

    def read(self) -> _Definition:
        self.read_settings()
        self.read_register(
            COUNTIES,
            self.data.counties,
            _('duplicate county code "%(code)s" (first on row %(row)s)'),
        )
        self.read_register(
            UNITS, self.data.units, _('duplicate unit code "%(code)s" (first on row %(row)s)')
        )
        self.read_indicators()
        self.read_items()
        self.read_annual()
        self.read_progress()
        self.read_exemptions()
        self.read_adjustments()
        self.read_vetoes()
        return self.data

    def read_settings(self) -> None:
        sheet = self.sheet(SETTINGS)
        values = {s.key: s.default for s in SETTING_KEYS}
        values["year"] = INVALID
        self.data.settings = values
        if sheet is None:
            return
        keys = {}
        for setting in SETTING_KEYS:
            keys[fold(setting.zh)] = setting
            keys[fold(setting.key)] = setting
        seen: dict[str, int] = {}
        for number, row in sheet.records():
            name = _text(row[sheet.columns["key"]])
            setting = keys.get(fold(name))
            if setting is None:
                self.add(sheet.cell("key", number), _('unknown setting "%(key)s"') % {"key": name})
                continue
            message = _('setting "%(key)s" appears twice (first on row %(row)s)')
            if not self.unique(seen, setting.key, sheet, number, message, {"key": name}):
                continue
            where = sheet.cell("value", number)
            if setting.key == "year":
                self.data.year_cell = where
            try:
                values[setting.key] = _setting(setting, row[sheet.columns["value"]])
            except _Bad as exc:
                self.add(where, str(exc))
                values[setting.key] = INVALID
                continue
            if setting.key == "year" and values["year"] is None:
                self.add(where, _("the year (年度 / year) is missing"))
                values["year"] = INVALID
        if "year" not in seen:
            self.add(sheet.row(1), _("the year (年度 / year) is missing"))

    def read_register(self, spec: SheetSpec, into: dict[str, str], message: str) -> None:
        """Counties and units: a code and a name per row."""
        sheet = self.sheet(spec)
        if sheet is None:
            return
        seen: dict[str, int] = {}
        for number, row in sheet.records():
            code = self.code(sheet, "code", number, row)
            name = self.text(sheet, "name", number, row, limit=100)
            if code is None:
                continue
            if self.unique(seen, code, sheet, number, message, {"code": code}):
                # A bad name is listed; the code stays known so that references resolve.
                into[code] = name

    def read_indicators(self) -> None:
        sheet = self.sheet(INDICATORS)
        self._indicators_sheet = sheet
        if sheet is None:
            return
        data = self.data
        categories: dict[str, None] = {}
        weights_ok = True
        total_weight = Decimal(0)
        message = _('duplicate indicator code "%(code)s" (first on row %(row)s)')
        for number, row in sheet.records():
            code = self.code(sheet, "code", number, row)
            name = self.text(sheet, "name", number, row, limit=200)
            category = self.text(sheet, "category", number, row, limit=100)
            weight = self.number(
                sheet, "weight", number, row, _not_negative, _positive, _fits(10, 4)
            )
            unit = self.known(sheet, "unit", number, row, "unit")
            direction = self.choice(
                sheet, "direction", number, row, DIRECTIONS, _('unknown direction "%(value)s"')
            )
            if code is None or not self.unique(
                self._indicator_rows, code, sheet, number, message, {"code": code}
            ):
                continue
            if weight is None:
                weights_ok = False
            else:
                total_weight += weight
            if None in (name, category, weight, unit, direction):
                # Still a known code, so that the other sheets' references to it resolve.
                data.indicators[code] = None
                continue
            categories.setdefault(category)
            data.indicators[code] = (name, category, weight, unit, direction)
        data.categories = list(categories)
        total = data.settings.get("total_points")
        if weights_ok and isinstance(total, Decimal) and total_weight != total:
            self.add(
                sheet.header("weight"),
                _("the weights sum to %(sum)s, not the total points %(total)s")
                % {"sum": _show(total_weight), "total": _show(total)},
            )

    def read_items(self) -> None:
        sheet = self.sheet(RULE_ITEMS)
        if sheet is None:
            return
        data = self.data
        seen: dict[str, int] = {}
        # indicator code → [row of its first item, sum of the shares, every share valid]
        shares: dict[str, list] = {}
        message = _('duplicate item code "%(code)s" (first on row %(row)s)')
        for number, row in sheet.records():
            indicator = self.known(sheet, "indicator", number, row, "indicator")
            code = self.code(sheet, "code", number, row)
            name = self.text(sheet, "name", number, row, limit=200)
            share = self.number(sheet, "share", number, row, _not_negative, _positive, _fits(7, 4))
            method = self.choice(
                sheet, "method", number, row, METHODS, _('unknown method "%(value)s"')
            )
            params = self.text(sheet, "params", number, row, limit=500, required=False)
            definition = data.indicators.get(indicator) if indicator else None
            if method is not None and params is not None:
                problems = _param_problems(method, params, definition[4] if definition else None)
                if problems:
                    where = (
                        sheet.cell("params", number)
                        if "params" in sheet.columns
                        else sheet.row(number)
                    )
                    for problem in problems:
                        self.add(where, problem)
                    params = None
            if code is None or not self.unique(seen, code, sheet, number, message, {"code": code}):
                continue
            if indicator is not None:
                tally = shares.setdefault(indicator, [number, Decimal(0), True])
                if share is None:
                    tally[2] = False
                else:
                    tally[1] += share
            if None in (indicator, name, share, method, params):
                data.items[code] = None
                continue
            data.items[code] = (indicator, name, share, method, params)
        for indicator, (first, total, valid) in shares.items():
            if valid and total != HUNDRED:
                self.add(
                    sheet.row(first),
                    _("the shares of indicator %(code)s sum to %(sum)s, not 100")
                    % {"code": indicator, "sum": _show(total)},
                )
        if self._indicators_sheet is not None:
            for code, row_number in self._indicator_rows.items():
                if code not in shares:
                    self.add(
                        self._indicators_sheet.row(row_number),
                        _("indicator %(code)s has no rule items") % {"code": code},
                    )

    def read_annual(self) -> None:
        sheet = self.sheet(ANNUAL)
        if sheet is None:
            return
        data = self.data
        # Canonical code strings: every row refers to the same two objects, not to copies.
        counties = {code: code for code in data.counties}
        items = {code: (code, spec and spec[3]) for code, spec in data.items.items()}
        county_at, item_at = sheet.columns["county"], sheet.columns["item"]
        actual_at, target_at = sheet.columns["actual"], sheet.columns.get("target")
        seen: dict[tuple[str, str], int] = {}
        rows = data.annual
        for number, row in sheet.records():
            county = counties.get(_text(row[county_at]))
            item, method = items.get(_text(row[item_at]), (None, None))
            if county is None:
                self.known(sheet, "county", number, row, "county")
            if item is None:
                self.known(sheet, "item", number, row, "item")
            actual = self.value(sheet, "actual", number, row[actual_at])
            target = (
                None if target_at is None else self.value(sheet, "target", number, row[target_at])
            )
            if county is None or item is None or actual is INVALID or target is INVALID:
                continue
            first = seen.setdefault((county, item), number)
            if first != number:
                self.add(
                    sheet.row(number),
                    _(
                        'duplicate data for county "%(county)s" and item "%(item)s" '
                        "(first on row %(row)s)"
                    )
                    % {"county": county, "item": item, "row": first},
                )
                continue
            if method and (actual is not None or target is not None):
                # Missing values are not import errors: data sheets may be partial, and the
                # results computation lists the gaps.
                errors = value_messages(method, actual, target)
                for key, message in errors.items():
                    self.add(sheet.cell(key, number), message)
                if errors:
                    continue
            rows.append((county, item, actual, target))

    def read_progress(self) -> None:
        sheet = self.sheet(PROGRESS)
        if sheet is None:
            return
        data = self.data
        seen: dict[tuple, int] = {}
        message = _(
            'duplicate progress of county "%(county)s" on indicator "%(indicator)s" in round '
            '"%(round)s" (first on row %(row)s)'
        )
        for number, row in sheet.records():
            round_code = self.choice(
                sheet, "round", number, row, ROUNDS, _('unknown round "%(value)s"')
            )
            county = self.known(sheet, "county", number, row, "county")
            indicator = self.known(sheet, "indicator", number, row, "indicator")
            value = self.value(sheet, "progress", number, row[sheet.columns["progress"]])
            if isinstance(value, Decimal) and value < 0:
                self.add(
                    sheet.cell("progress", number),
                    _("must not be negative (%(value)s)") % {"value": _show(value)},
                )
                continue
            if None in (round_code, county, indicator) or value is INVALID:
                continue
            key = (round_code, county, indicator)
            names = {"county": county, "indicator": indicator, "round": round_code}
            if self.unique(seen, key, sheet, number, message, names) and value is not None:
                # A blank progress is "not reported": no row.
                data.progress.append((round_code, county, indicator, value))

    def read_exemptions(self) -> None:
        sheet = self.sheet(EXEMPTIONS)
        if sheet is None:
            return
        data = self.data
        seen: dict[tuple, int] = {}
        message = _(
            'duplicate exemption of county "%(county)s" from indicator "%(indicator)s" '
            "(first on row %(row)s)"
        )
        exempt: dict[str, set] = defaultdict(set)
        first_row: dict[str, int] = {}
        for number, row in sheet.records():
            county = self.known(sheet, "county", number, row, "county")
            indicator = self.known(sheet, "indicator", number, row, "indicator")
            reason = self.text(sheet, "reason", number, row, limit=500, required=False)
            if None in (county, indicator, reason):
                continue
            names = {"county": county, "indicator": indicator}
            if self.unique(seen, (county, indicator), sheet, number, message, names):
                first_row.setdefault(county, number)
                exempt[county].add(indicator)
                data.exemptions.append((county, indicator, reason))
        indicators = set(data.indicators)
        for county, codes in exempt.items():
            if indicators and codes >= indicators:
                self.add(
                    sheet.row(first_row[county]),
                    _('county "%(county)s" is exempt from every indicator') % {"county": county},
                )

    def read_adjustments(self) -> None:
        sheet = self.sheet(ADJUSTMENTS)
        if sheet is None:
            return
        data = self.data
        for number, row in sheet.records():
            county = self.known(sheet, "county", number, row, "county")
            points = self.number(sheet, "points", number, row, _fits(10, 2))
            reason = self.text(sheet, "reason", number, row, limit=500, required=False)
            if None not in (county, points, reason):
                data.adjustments.append((county, points, reason))

    def read_vetoes(self) -> None:
        sheet = self.sheet(VETOES)
        if sheet is None:
            return
        data = self.data
        for number, row in sheet.records():
            county = self.known(sheet, "county", number, row, "county")
            reason = self.text(sheet, "reason", number, row, limit=500, required=False)
            if None not in (county, reason):
                data.vetoes.append((county, reason))


def _param_problems(method: str, params: str, direction: str | None) -> list[str]:
    """The problems of a parameter string. When the indicator's row is itself broken (its
    direction unknown), only the problems that hold in either direction are reported."""
    found = []
    for each in (direction,) if direction else ("higher", "lower"):
        try:
            parse_params(method, params, each)
        except ParamError as exc:
            found.append(exc.messages)
        else:
            found.append([])
    return [message for message in found[0] if all(message in other for other in found[1:])]


def _setting(setting: Setting, raw):
    """The value of one setting, typed and range-checked; its default when blank."""
    key = setting.key
    if key in ("year", "diagnosis_threshold"):
        value = _number(raw)
        if value is None:
            return setting.default
        if value != value.to_integral_value() or value < 1:
            raise _Bad(
                _("must be a whole number of at least 1 (%(value)s)") % {"value": _show(value)}
            )
        if key == "year" and not 1900 <= value <= 9999:
            raise _Bad(_("%(value)s is not a year") % {"value": _show(value)})
        return int(value)
    if key in ("excellent_ratio", "excellent_line", "good_line", "fair_line"):
        value = _number(raw, percent="fraction")
        if value is None:
            return setting.default
        if not Decimal(0) <= value <= Decimal(1):
            raise _Bad(
                _("must be between 0 and 1, or 0%% and 100%% (%(value)s)") % {"value": _show(value)}
            )
        return _fit(value, 5, 4)
    value = _number(raw, percent="points" if key.endswith("_expected") else "")
    if value is None:
        return setting.default
    if key == "total_points":
        return _fit(_positive(value), 8, 2)
    return _fit(_not_negative(value), 10 if key == "bonus_cap" else 7, 2)


# --- reading a whole workbook ---------------------------------------------------------------


def _source_name(source) -> str:
    if isinstance(source, str | PurePath):
        return Path(source).name
    return Path(getattr(source, "name", "") or "").name or "workbook.xlsx"


def _open(source):
    if isinstance(source, str | PurePath):
        return python_calamine.CalamineWorkbook.from_path(str(source))
    if hasattr(source, "temporary_file_path"):  # a large upload, spooled to disk by Django
        return python_calamine.CalamineWorkbook.from_path(source.temporary_file_path())
    if hasattr(source, "seek"):
        source.seek(0)
    return python_calamine.CalamineWorkbook.from_filelike(source)


def _read(source) -> tuple[_Definition | None, list[str]]:
    """Validate the workbook: what it defines (None if unreadable) and every problem found."""
    name = _source_name(source)
    try:
        book = _open(source)
    except (python_calamine.CalamineError, OSError, ValueError, TypeError):
        return None, [
            _("%(file)s: not an Excel workbook (.xlsx), or it cannot be read") % {"file": name}
        ]
    reader = _Reader(book)
    try:
        reader.read()
    except python_calamine.CalamineError as exc:
        return None, [
            _("%(file)s: the workbook cannot be read (%(error)s)") % {"file": name, "error": exc}
        ]
    finally:
        book.close()
    return reader.data, reader.problems


# --- writing -------------------------------------------------------------------------------


def import_workbook(source, *, replace: bool = False, actor=None) -> ImportSummary:
    """Import one cycle from the workbook ``source`` (a path or a binary file-like).

    Validates every sheet first and raises :class:`WorkbookInvalid` listing every problem,
    or :class:`CycleExists` when the year exists and ``replace`` is false; then nothing is
    written. Otherwise, in one transaction: deletes the year's cycle when replacing (with its
    indicators, rules, data, results and warnings), creates the cycle (active) with its
    rounds, creates or renames the counties and units by code, creates the categories,
    indicators (rules approved), rule items, annual inputs, progress, exemptions,
    adjustments and vetoes, and writes one audit event (``import_workbook`` or
    ``import_workbook_replace``) with the counts and the file name.
    """
    data, problems = _read(source)
    year = data.settings["year"] if data is not None else INVALID
    if year is not INVALID and not replace and Cycle.objects.filter(year=year).exists():
        line = f"{data.year_cell}: " + _(
            "the year %(year)s exists already; import with --replace (the replace option) to "
            "replace its definitions and data"
        ) % {"year": year}
        raise CycleExists([line, *problems])
    if problems:
        raise WorkbookInvalid(problems)
    with transaction.atomic():
        old = Cycle.objects.select_for_update().filter(year=year).first()
        if old is not None:
            # Cascades to everything of the year: rounds, categories, indicators, items,
            # inputs, progress, exemptions, adjustments, vetoes, results and warnings.
            old.delete()
        cycle, summary = _write(data)
        record_event(
            cycle,
            summary="import_workbook_replace" if old is not None else "import_workbook",
            data={**asdict(summary), "file": _source_name(source)},
            actor=actor,
        )
    return summary


def _upsert(model, names: dict[str, str]) -> dict[str, int]:
    """Create the counties or units of ``names`` by code, rename existing ones; code → id."""
    codes = list(names)
    existing = {}
    for chunk in _batched(codes, LOOKUP_CHUNK):
        existing.update({obj.code: obj for obj in model.objects.filter(code__in=chunk)})
    renamed = []
    for code, obj in existing.items():
        if obj.name != names[code]:
            obj.name = names[code]
            renamed.append(obj)
    model.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
    model.objects.bulk_create(
        [model(code=code, name=name) for code, name in names.items() if code not in existing],
        batch_size=BATCH,
    )
    ids = {}
    for chunk in _batched(codes, LOOKUP_CHUNK):
        ids.update(model.objects.filter(code__in=chunk).values_list("code", "id"))
    return ids


def _write(data: _Definition) -> tuple[Cycle, ImportSummary]:
    s = data.settings
    cycle = Cycle.objects.create(
        year=s["year"],
        status=Cycle.Status.ACTIVE,
        total_points=s["total_points"],
        excellent_ratio=s["excellent_ratio"],
        excellent_line=s["excellent_line"],
        good_line=s["good_line"],
        fair_line=s["fair_line"],
        bonus_cap=s["bonus_cap"],
    )
    county_id = _upsert(County, data.counties)
    unit_id = _upsert(Unit, data.units)
    cycle.counties.set(list(county_id.values()))

    annual = Round(
        cycle=cycle, code=Round.ANNUAL_CODE, name=ANNUAL_ROUND_NAME, kind=Round.Kind.ANNUAL
    )
    pre = [
        Round(
            cycle=cycle,
            code=code,
            name=name,
            kind=Round.Kind.PRE,
            expected_progress=s[f"{code}_expected"],
            tolerance=s["tolerance"],
            diagnosis_threshold=s["diagnosis_threshold"],
        )
        for code, name in PRE_ROUND_NAMES.items()
    ]
    Round.objects.bulk_create([annual, *pre])
    round_id = dict(Round.objects.filter(cycle=cycle).values_list("code", "id"))

    Category.objects.bulk_create(
        [Category(cycle=cycle, name=name, order=n) for n, name in enumerate(data.categories, 1)]
    )
    category_id = dict(Category.objects.filter(cycle=cycle).values_list("name", "id"))
    Indicator.objects.bulk_create(
        [
            Indicator(
                cycle=cycle,
                code=code,
                name=name,
                category_id=category_id[category],
                weight=weight,
                unit_id=unit_id[unit],
                direction=direction,
                rules_status=Indicator.RulesStatus.APPROVED,
                order=n,
            )
            for n, (code, (name, category, weight, unit, direction)) in enumerate(
                data.indicators.items(), 1
            )
        ],
        batch_size=BATCH,
    )
    indicator_id = dict(Indicator.objects.filter(cycle=cycle).values_list("code", "id"))
    RuleItem.objects.bulk_create(
        [
            RuleItem(
                cycle=cycle,
                indicator_id=indicator_id[indicator],
                code=code,
                name=name,
                share=share,
                method=method,
                params=params,
                order=n,
            )
            for n, (code, (indicator, name, share, method, params)) in enumerate(
                data.items.items(), 1
            )
        ],
        batch_size=BATCH,
    )
    item_id = dict(RuleItem.objects.filter(cycle=cycle).values_list("code", "id"))

    # bulk_create() makes a list of all it is given: hand it one batch at a time so that a
    # national workbook never holds a million model instances at once.
    for batch in _batched(data.annual, BATCH):
        AnnualInput.objects.bulk_create(
            [
                AnnualInput(
                    cycle=cycle,
                    county_id=county_id[c],
                    item_id=item_id[i],
                    actual=actual,
                    target=target,
                )
                for c, i, actual, target in batch
            ]
        )
    for batch in _batched(data.progress, BATCH):
        Progress.objects.bulk_create(
            [
                Progress(
                    cycle=cycle,
                    round_id=round_id[r],
                    county_id=county_id[c],
                    indicator_id=indicator_id[i],
                    value=value,
                )
                for r, c, i, value in batch
            ]
        )
    Exemption.objects.bulk_create(
        [
            Exemption(cycle=cycle, county_id=county_id[c], indicator_id=indicator_id[i], reason=r)
            for c, i, r in data.exemptions
        ],
        batch_size=BATCH,
    )
    Adjustment.objects.bulk_create(
        [
            Adjustment(cycle=cycle, county_id=county_id[c], points=points, reason=reason)
            for c, points, reason in data.adjustments
        ],
        batch_size=BATCH,
    )
    Veto.objects.bulk_create(
        [Veto(cycle=cycle, county_id=county_id[c], reason=reason) for c, reason in data.vetoes],
        batch_size=BATCH,
    )
    return cycle, ImportSummary(
        year=cycle.year,
        counties=len(county_id),
        units=len(unit_id),
        indicators=len(indicator_id),
        items=len(item_id),
        annual_rows=len(data.annual),
        progress_rows=len(data.progress),
        exemptions=len(data.exemptions),
        adjustments=len(data.adjustments),
        vetoes=len(data.vetoes),
    )
