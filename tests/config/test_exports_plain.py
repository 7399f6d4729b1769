"""Every exported cell a plain value: names a user typed that start like a formula stay text
in every workbook (cycle, results, warnings, a unit's round workbook: no formula cell at
all) and are escaped in every CSV (the six chart CSVs)."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from alerts.services import close_round
from alerts.workbooks import write_warnings_workbook
from assessment.exports import csv_row, plain_text
from assessment.models import County, Cycle, Unit
from indicators.models import Indicator, RuleItem
from reports.publication import publish
from reports.services import write_results_workbook
from scoring.workbook.exporter import write_cycle_workbook
from scoring.workbook.unit import write_unit_workbook
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RoundFactory,
    deliver_all,
)
from tests.pages import build_cycle, open_rounds

COUNTY = '=HYPERLINK("http://evil.example/","点击")'
OTHER = "+SUM(1,2)"
UNIT = "@cmd|' /C calc'!A0"
INDICATOR = "-2+3"
ITEM = "=1+1"
HOSTILE = {COUNTY, OTHER, UNIT, INDICATOR, ITEM}


@pytest.fixture
def world(lead, unit, other_unit, county, other_county):
    cache.clear()
    counties = [county, other_county]
    build_cycle(counties, [(80, 70), (90, 80)], year=2023, units=(unit, other_unit))
    cycle = build_cycle(counties, [(90, 80), (70, 60)], year=2024, units=(unit, other_unit))
    for year in (2023, 2024):
        publish(cycle=Cycle.objects.get(year=year), actor=lead)
    County.objects.filter(pk=county.pk).update(name=COUNTY)
    County.objects.filter(pk=other_county.pk).update(name=OTHER)
    Unit.objects.filter(pk=unit.pk).update(name=UNIT)
    Indicator.objects.filter(code="A01").update(name=INDICATOR)
    RuleItem.objects.filter(code="A01-1").update(name=ITEM)
    return cycle


def _formula_cells(book: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return [
            found
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
            for found in re.findall(rb"<(?:\w+:)?f[ >/]", archive.read(name))
        ]


def _text_cells(book: bytes) -> set[str]:
    loaded = openpyxl.load_workbook(io.BytesIO(book))
    return {
        cell.value
        for ws in loaded.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }


def _written(write) -> bytes:
    out = io.BytesIO()
    write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(1)", "'+SUM(1)"),
        ("-A1", "'-A1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3.5", "-3.5"),
        ("+12", "+12"),
        ("-1e3", "-1e3"),
        ("-", "'-"),
        ("临川区", "临川区"),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_plain_text_escapes_what_a_spreadsheet_would_run(value, plain):
    assert plain_text(value) == plain


def test_csv_row_writes_none_as_empty():
    assert csv_row(["=1", None, 2, "a"]) == ["'=1", "", 2, "a"]


def test_cycle_workbook_export_has_no_formula(world):
    book = _written(lambda out: write_cycle_workbook(world, out))
    assert _formula_cells(book) == []
    assert _text_cells(book) >= HOSTILE


def test_template_download_has_no_formula(db):
    assert _formula_cells(_written(lambda out: write_cycle_workbook(None, out))) == []


def test_results_workbook_has_no_formula(world):
    book = _written(lambda out: write_results_workbook(cycle=world, out=out))
    assert _formula_cells(book) == []
    assert {COUNTY, OTHER} <= _text_cells(book)


def test_unit_round_workbook_has_no_formula(world, unit):
    annual, _april = open_rounds(world)
    book = _written(lambda out: write_unit_workbook(round=annual, unit=unit, out=out))
    assert _formula_cells(book) == []
    assert {COUNTY, OTHER, ITEM} <= _text_cells(book)


def test_warnings_workbook_has_no_formula(db):
    cycle = CycleFactory(year=2024)
    cycle.counties.set([CountyFactory(code="=1+1", name=COUNTY)])
    IndicatorFactory(cycle=cycle, code="@A1", weight=100, order=1)
    rnd = RoundFactory(cycle=cycle, code="april", expected_progress=Decimal("33.33"))
    deliver_all(rnd)  # delivered without a row: the county is warned "not reported"
    close_round(round=rnd)
    book = _written(lambda out: write_warnings_workbook(round=rnd, out=out))
    assert _formula_cells(book) == []
    assert {"=1+1", "@A1"} <= _text_cells(book)


def _csv(client, name, **kwargs) -> list[list[str]]:
    response = client.get(reverse(f"reports:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_chart_csv_escapes_formula_like_names(client, lead, world, county):
    client.force_login(lead)
    tables = {
        "county_trend_csv": _csv(client, "county_trend_csv", county=county.code),
        "county_profile_csv": _csv(client, "county_profile_csv", year=2024, county=county.code),
        "indicator_csv": _csv(client, "indicator_csv", year=2024, indicator="A01"),
        "change_csv": _csv(client, "change_csv", year=2024),
        "distribution_csv": _csv(client, "distribution_csv", year=2024),
        "trends_csv": _csv(client, "trends_csv"),
    }
    fields = {name: {f for row in rows for f in row} for name, rows in tables.items()}
    for name, found in fields.items():
        unsafe = [
            f
            for f in found
            if f.startswith(("=", "+", "-", "@", "\t", "\r"))
            and not re.fullmatch(r"[+-]?\d+(\.\d+)?", f)
        ]
        assert unsafe == [], name
    assert "'" + COUNTY in fields["indicator_csv"] | fields["trends_csv"]
    assert "'" + OTHER in fields["change_csv"] | fields["trends_csv"]
    assert "'" + INDICATOR in fields["county_profile_csv"]
