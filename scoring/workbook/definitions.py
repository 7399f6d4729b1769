"""Reading the definition sheets: 参数 (settings), 县区 and 责任单位 (counties and units),
指标 (indicators) and 细则 (rule items)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.params import ParamError, parse_params
from scoring.workbook import cells, checks
from scoring.workbook.cells import INVALID, CellProblem, fits, not_negative, positive, show
from scoring.workbook.layout import (
    DIRECTIONS,
    INDICATORS,
    METHODS,
    RULE_ITEMS,
    SETTING_KEYS,
    SETTINGS,
    Setting,
    SheetSpec,
    fold,
)
from scoring.workbook.reader import Reader
from scoring.workbook.sheets import Sheet


def read_settings(reader: Reader) -> None:
    sheet = reader.sheet(SETTINGS)
    values = {s.key: s.default for s in SETTING_KEYS}
    values["year"] = INVALID
    reader.data.settings = values
    if sheet is None:
        return
    keys = {}
    for setting in SETTING_KEYS:
        keys[fold(setting.zh)] = setting
        keys[fold(setting.key)] = setting
    seen: dict[str, int] = {}
    for number, row in sheet.records():
        name = cells.text(row[sheet.columns["key"]])
        setting = keys.get(fold(name))
        if setting is None:
            reader.add(sheet.cell("key", number), _('unknown setting "%(key)s"') % {"key": name})
            continue
        message = _('setting "%(key)s" appears twice (first on row %(row)s)')
        if not reader.unique(seen, setting.key, sheet, number, message, {"key": name}):
            continue
        where = sheet.cell("value", number)
        if setting.key == "year":
            reader.data.year_cell = where
        try:
            values[setting.key] = setting_value(setting, row[sheet.columns["value"]])
        except CellProblem as exc:
            reader.add(where, str(exc))
            values[setting.key] = INVALID
            continue
        if setting.key == "year" and values["year"] is None:
            reader.add(where, _("the year (年度 / year) is missing"))
            values["year"] = INVALID
    if "year" not in seen:
        reader.add(sheet.row(1), _("the year (年度 / year) is missing"))


def setting_value(setting: Setting, raw):
    """The value of one setting, typed and range-checked; its default when blank."""
    key = setting.key
    if key in ("year", "diagnosis_threshold"):
        value = cells.number(raw)
        if value is None:
            return setting.default
        if value != value.to_integral_value() or value < 1:
            raise CellProblem(
                _("must be a whole number of at least 1 (%(value)s)") % {"value": show(value)}
            )
        if key == "year" and not 1900 <= value <= 9999:
            raise CellProblem(_("%(value)s is not a year") % {"value": show(value)})
        return int(value)
    if key in ("excellent_ratio", "excellent_line", "good_line", "fair_line"):
        value = cells.number(raw, percent="fraction")
        if value is None:
            return setting.default
        if not Decimal(0) <= value <= Decimal(1):
            raise CellProblem(
                _("must be between 0 and 1, or 0%% and 100%% (%(value)s)") % {"value": show(value)}
            )
        return cells.fit(value, 5, 4)
    value = cells.number(raw, percent="points" if key.endswith("_expected") else "")
    if value is None:
        return setting.default
    if key == "total_points":
        return cells.fit(positive(value), 8, 2)
    return cells.fit(not_negative(value), 10 if key == "bonus_cap" else 7, 2)


def read_register(reader: Reader, spec: SheetSpec, into: dict[str, str], message: str) -> None:
    """Counties and units: a code and a name per row."""
    sheet = reader.sheet(spec)
    if sheet is None:
        return
    seen: dict[str, int] = {}
    for number, row in sheet.records():
        code = reader.code(sheet, "code", number, row)
        name = reader.text(sheet, "name", number, row, limit=100)
        if code is None:
            continue
        if reader.unique(seen, code, sheet, number, message, {"code": code}):
            # A bad name is listed; the code stays known so that references resolve.
            into[code] = name


def read_indicators(reader: Reader) -> None:
    sheet = reader.sheet(INDICATORS)
    reader.indicators_sheet = sheet
    if sheet is None:
        return
    data = reader.data
    categories: dict[str, None] = {}
    total_weight: Decimal | None = Decimal(0)  # None once a weight is unreadable
    message = _('duplicate indicator code "%(code)s" (first on row %(row)s)')
    for number, row in sheet.records():
        code = reader.code(sheet, "code", number, row)
        name = reader.text(sheet, "name", number, row, limit=200)
        category = reader.text(sheet, "category", number, row, limit=100)
        weight = reader.number(sheet, "weight", number, row, not_negative, positive, fits(10, 4))
        unit = reader.known(sheet, "unit", number, row, "unit")
        direction = reader.choice(
            sheet, "direction", number, row, DIRECTIONS, _('unknown direction "%(value)s"')
        )
        if code is None or not reader.unique(
            reader.indicator_rows, code, sheet, number, message, {"code": code}
        ):
            continue
        if weight is None:
            total_weight = None
        elif total_weight is not None:
            total_weight += weight
        if None in (name, category, weight, unit, direction):
            # Still a known code, so that the other sheets' references to it resolve.
            data.indicators[code] = None
            continue
        categories.setdefault(category)
        data.indicators[code] = (name, category, weight, unit, direction)
    data.categories = list(categories)
    checks.weights_sum_to_total(reader, sheet, total_weight)


def read_items(reader: Reader) -> None:
    sheet = reader.sheet(RULE_ITEMS)
    if sheet is None:
        return
    data = reader.data
    seen: dict[str, int] = {}
    # indicator code → [row of its first item, sum of the shares, every share valid]
    shares: dict[str, list] = {}
    message = _('duplicate item code "%(code)s" (first on row %(row)s)')
    for number, row in sheet.records():
        indicator = reader.known(sheet, "indicator", number, row, "indicator")
        code = reader.code(sheet, "code", number, row)
        name = reader.text(sheet, "name", number, row, limit=200)
        share = reader.number(sheet, "share", number, row, not_negative, positive, fits(7, 4))
        method = reader.choice(
            sheet, "method", number, row, METHODS, _('unknown method "%(value)s"')
        )
        params = reader.text(sheet, "params", number, row, limit=500, required=False)
        if method is not None and params is not None:
            definition = data.indicators.get(indicator) if indicator else None
            params = _checked_params(reader, sheet, number, method, params, definition)
        if code is None or not reader.unique(seen, code, sheet, number, message, {"code": code}):
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
    checks.shares_sum_to_hundred(reader, sheet, shares)
    checks.every_indicator_has_items(reader, shares)


def _checked_params(
    reader: Reader, sheet: Sheet, number: int, method: str, params: str, definition
) -> str | None:
    """``params`` when they are valid for ``method``; else None, with every problem listed."""
    problems = param_problems(method, params, definition[4] if definition else None)
    if not problems:
        return params
    where = sheet.cell("params", number) if "params" in sheet.columns else sheet.row(number)
    for problem in problems:
        reader.add(where, problem)
    return None


def param_problems(method: str, params: str, direction: str | None) -> list[str]:
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
