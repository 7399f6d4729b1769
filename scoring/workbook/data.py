"""Reading the data sheets: 年度数据 (annual data), 预考核数据 (progress), 免考 (exemptions),
加减分 (adjustments) and 一票否决 (vetoes).

An annual value is checked against its item's method by the engine's one check
(:func:`scoring.values.value_messages`); missing values are not import errors, since data
sheets may be partial and the results computation lists the gaps.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from scoring.values import value_messages
from scoring.workbook import cells, checks
from scoring.workbook.cells import INVALID, fits, show
from scoring.workbook.layout import ADJUSTMENTS, ANNUAL, EXEMPTIONS, PROGRESS, ROUNDS, VETOES
from scoring.workbook.reader import Reader


def read_annual(reader: Reader) -> None:
    sheet = reader.sheet(ANNUAL)
    if sheet is None:
        return
    data = reader.data
    # Canonical code strings: every row refers to the same two objects, not to copies.
    counties = {code: code for code in data.counties}
    items = {code: (code, spec and spec[3]) for code, spec in data.items.items()}
    county_at, item_at = sheet.columns["county"], sheet.columns["item"]
    actual_at, target_at = sheet.columns["actual"], sheet.columns.get("target")
    seen: dict[tuple[str, str], int] = {}
    rows = data.annual
    message = _('duplicate data for county "%(county)s" and item "%(item)s" (first on row %(row)s)')
    for number, row in sheet.records():
        county = counties.get(cells.text(row[county_at]))
        item, method = items.get(cells.text(row[item_at]), (None, None))
        if county is None:
            reader.known(sheet, "county", number, row, "county")
        if item is None:
            reader.known(sheet, "item", number, row, "item")
        actual = reader.value(sheet, "actual", number, row[actual_at])
        target = (
            None if target_at is None else reader.value(sheet, "target", number, row[target_at])
        )
        if county is None or item is None or actual is INVALID or target is INVALID:
            continue
        here = sheet.mark(number)
        first = seen.setdefault((county, item), here)
        if first != here:
            names = {"county": county, "item": item, "row": sheet.first_place(first)}
            reader.add(sheet.row(number), message % names)
            continue
        if method and (actual is not None or target is not None):
            errors = value_messages(method, actual, target)
            for key, problem in errors.items():
                reader.add(sheet.cell(key, number), problem)
            if errors:
                continue
        rows.append((county, item, actual, target))


def read_progress(reader: Reader) -> None:
    sheet = reader.sheet(PROGRESS)
    if sheet is None:
        return
    data = reader.data
    # Canonical code strings, and the messages translated once, not once per row.
    counties = {code: code for code in data.counties}
    indicators = {code: code for code in data.indicators}
    round_at, county_at = sheet.columns["round"], sheet.columns["county"]
    indicator_at, progress_at = sheet.columns["indicator"], sheet.columns["progress"]
    unknown_round = _('unknown round "%(value)s"')
    seen: dict[tuple, int] = {}
    message = _(
        'duplicate progress of county "%(county)s" on indicator "%(indicator)s" in round '
        '"%(round)s" (first on row %(row)s)'
    )
    for number, row in sheet.records():
        # The common case (a known word, a known code) by one lookup; anything else through
        # the reader, which lists the problem.
        round_code = ROUNDS.get(row[round_at]) if row[round_at].__class__ is str else None
        if round_code is None:
            round_code = reader.choice(sheet, "round", number, row, ROUNDS, unknown_round)
        county = counties.get(cells.text(row[county_at]))
        if county is None:
            county = reader.known(sheet, "county", number, row, "county")
        indicator = indicators.get(cells.text(row[indicator_at]))
        if indicator is None:
            indicator = reader.known(sheet, "indicator", number, row, "indicator")
        value = reader.value(sheet, "progress", number, row[progress_at])
        if isinstance(value, Decimal) and value < 0:
            # Progress is a share of the year's task done: never below zero, whatever method.
            reader.add(
                sheet.cell("progress", number),
                _("must not be negative (%(value)s)") % {"value": show(value)},
            )
            continue
        if None in (round_code, county, indicator) or value is INVALID:
            continue
        key = (round_code, county, indicator)
        names = {"county": county, "indicator": indicator, "round": round_code}
        if reader.unique(seen, key, sheet, number, message, names) and value is not None:
            # A blank progress is "not reported": no row.
            data.progress.append((round_code, county, indicator, value))


def read_exemptions(reader: Reader) -> None:
    sheet = reader.sheet(EXEMPTIONS)
    if sheet is None:
        return
    seen: dict[tuple, int] = {}
    message = _(
        'duplicate exemption of county "%(county)s" from indicator "%(indicator)s" '
        "(first on row %(row)s)"
    )
    exempt: dict[str, set] = defaultdict(set)
    first_row: dict[str, int] = {}
    for number, row in sheet.records():
        county = reader.known(sheet, "county", number, row, "county")
        indicator = reader.known(sheet, "indicator", number, row, "indicator")
        reason = reader.text(sheet, "reason", number, row, limit=500, required=False)
        if None in (county, indicator, reason):
            continue
        names = {"county": county, "indicator": indicator}
        if reader.unique(seen, (county, indicator), sheet, number, message, names):
            first_row.setdefault(county, number)
            exempt[county].add(indicator)
            reader.data.exemptions.append((county, indicator, reason))
    checks.no_county_exempt_from_all(reader, sheet, exempt, first_row)


def read_adjustments(reader: Reader) -> None:
    sheet = reader.sheet(ADJUSTMENTS)
    if sheet is None:
        return
    for number, row in sheet.records():
        county = reader.known(sheet, "county", number, row, "county")
        points = reader.number(sheet, "points", number, row, fits(10, 2))
        reason = reader.text(sheet, "reason", number, row, limit=500, required=False)
        if None not in (county, points, reason):
            reader.data.adjustments.append((county, points, reason))


def read_vetoes(reader: Reader) -> None:
    sheet = reader.sheet(VETOES)
    if sheet is None:
        return
    for number, row in sheet.records():
        county = reader.known(sheet, "county", number, row, "county")
        reason = reader.text(sheet, "reason", number, row, limit=500, required=False)
        if None not in (county, reason):
            reader.data.vetoes.append((county, reason))
