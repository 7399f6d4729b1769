"""The results workbook (spec/workbook.md) from a cycle computed by the real service.

The cycle: five counties, total 100, excellence ratio 0.30 (quota floor(1.5) = 1).
- ``B1`` (order 1, weight 60), one ``manual`` item: P = a × 60 / 100.
- ``A2`` (order 2, weight 40), one ``ratio`` item (cap 100): P = min(100 a / t, 100) × 40 / 100.

| county | B1 a | B1 P  | A2 a/t  | A2 P           | total | rank | grade                 |
|--------|------|-------|---------|----------------|-------|------|-----------------------|
| 101    | 90.25| 54.15 | 80.5/100| 32.20          | 86.35 | 1    | 优秀 (quota 1)        |
| 102    | 80   | 48.00 | 87.5/100| 35.00          | 83.00 | 2    | 良好 (≥ 80)           |
| 104    | 80   | 48.00 | 87.5/100| 35.00          | 83.00 | 2    | 良好                  |
| 103    | 95   | 57.00 | 1/3     | 13.333… → 13.33| 70.33 | 4    | 一般, overridden 良好 |
| 105    | 50   | 30.00 | 120/100 | 40.00 (cap)    | 70.00 | 5    | 较差 (veto)           |

Statistics on round2(P):
- B1: 57.00 / 30.00 / 237.15 / 5 = 47.43; top 103、101、102、104 (102, 104 tie at third);
  bottom 105、102、104.
- A2: 40.00 / 13.33 / 155.53 / 5 = 31.106 → 31.11; top 105、102、104; bottom 103、101、102、104.
"""

from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessment.models import Veto
from reports.services import ResultsNotComputed, write_results_workbook
from scoring.models import CountyResult, Exemption
from scoring.results.services import compute_results
from tests.factories import (
    AnnualInputFactory,
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RuleItemFactory,
)

RESULTS_HEADERS = ["县区代码", "县区名称", "总分", "排名", "等次"]
STATS_HEADERS = ["指标代码", "指标名称", "最高分", "最低分", "平均分", "前三名", "后三名"]


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def cycle(db):
    cycle = CycleFactory(year=2024)
    # Created out of code order, so that a tie listed by code is not listed by insertion.
    codes = ["104", "101", "105", "103", "102"]
    counties = {code: CountyFactory(code=code, name=f"{code}区") for code in codes}
    cycle.counties.set(counties.values())
    b1 = IndicatorFactory(cycle=cycle, code="B1", name="地区生产总值", weight=60, order=1)
    a2 = IndicatorFactory(cycle=cycle, code="A2", name="招商引资", weight=40, order=2)
    manual = RuleItemFactory(indicator=b1, method="manual")
    ratio = RuleItemFactory(indicator=a2, method="ratio")
    inputs = {
        "101": ("90.25", "80.5", "100"),
        "102": ("80", "87.5", "100"),
        "103": ("95", "1", "3"),
        "104": ("80", "87.5", "100"),
        "105": ("50", "120", "100"),
    }
    for code, (b1_actual, a2_actual, a2_target) in inputs.items():
        AnnualInputFactory(item=manual, county=counties[code], actual=Decimal(b1_actual))
        AnnualInputFactory(
            item=ratio,
            county=counties[code],
            actual=Decimal(a2_actual),
            target=Decimal(a2_target),
        )
    Veto.objects.create(cycle=cycle, county=counties["105"], reason="安全生产事故")
    compute_results(cycle=cycle)
    CountyResult.objects.filter(cycle=cycle, county__code="103").update(
        grade_override="good", override_reason="重大专项工作成效突出"
    )
    return cycle


def test_results_workbook_sheets_in_order(cycle):
    out = BytesIO()
    write_results_workbook(cycle=cycle, out=out)

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["结果", "指标统计"]


def test_results_sheet_rows_by_rank_then_code(cycle):
    out = BytesIO()
    write_results_workbook(cycle=cycle, out=out)

    sheet = openpyxl.load_workbook(out)["结果"]
    assert rows(sheet) == [
        (*RESULTS_HEADERS, "B1", "A2"),
        ("101", "101区", 86.35, 1, "优秀", 54.15, 32.2),
        ("102", "102区", 83, 2, "良好", 48, 35),
        ("104", "104区", 83, 2, "良好", 48, 35),
        ("103", "103区", 70.33, 4, "良好", 57, 13.33),
        ("105", "105区", 70, 5, "较差", 30, 40),
    ]


def test_results_sheet_numbers_are_numbers(cycle):
    out = BytesIO()
    write_results_workbook(cycle=cycle, out=out)

    sheet = openpyxl.load_workbook(out)["结果"]
    codes = [cell.value for cell in sheet["A"][1:]]
    totals = [cell.value for cell in sheet["C"][1:]]
    ranks = [cell.value for cell in sheet["D"][1:]]
    assert codes == ["101", "102", "104", "103", "105"]
    assert [type(v) in (int, float) for v in totals + ranks] == [True] * 10
    assert [Decimal(str(v)) for v in totals] == [
        Decimal("86.35"),
        Decimal("83"),
        Decimal("83"),
        Decimal("70.33"),
        Decimal("70"),
    ]
    assert sheet["C2"].number_format == "0.00"
    assert sheet["F2"].number_format == "0.00"
    assert sheet.freeze_panes == "C2"
    assert sheet["A1"].font.b is True


def test_results_sheet_grade_override_shown(cycle):
    out = BytesIO()
    write_results_workbook(cycle=cycle, out=out)

    sheet = openpyxl.load_workbook(out)["结果"]
    grades = {row[0]: row[4] for row in rows(sheet)[1:]}
    assert CountyResult.objects.get(cycle=cycle, county__code="103").computed_grade == "fair"
    assert grades == {"101": "优秀", "102": "良好", "104": "良好", "103": "良好", "105": "较差"}


def test_results_stats_sheet_figures(cycle):
    out = BytesIO()
    write_results_workbook(cycle=cycle, out=out)

    sheet = openpyxl.load_workbook(out)["指标统计"]
    assert rows(sheet) == [
        tuple(STATS_HEADERS),
        ("B1", "地区生产总值", 57, 30, 47.43, "103、101、102、104", "105、102、104"),
        ("A2", "招商引资", 40, 13.33, 31.11, "105、102、104", "103、101、102、104"),
    ]
    assert [type(c.value) for c in sheet[2][2:5]] == [int, int, float]
    assert sheet["E2"].number_format == "0.00"


def test_results_workbook_exempt_county_imputed_and_left_out_of_stats(db):
    # 201: B1 77 → 46.20; exempt from A2 → 40 × 46.2 / 60 = 30.80; total 77.00.
    # 202: B1 50 → 30.00; A2 62.5 → 25.00; total 55.00. Quota floor(0.6) = 0: no 优秀;
    # 77 ≥ 60 is 一般, 55 < 60 is 较差. A2's statistics count 202 only.
    cycle = CycleFactory(year=2025)
    c201 = CountyFactory(code="201", name="甲县")
    c202 = CountyFactory(code="202", name="乙县")
    cycle.counties.set([c201, c202])
    b1 = IndicatorFactory(cycle=cycle, code="B1", name="甲", weight=60, order=1)
    a2 = IndicatorFactory(cycle=cycle, code="A2", name="乙", weight=40, order=2)
    item_b1 = RuleItemFactory(indicator=b1, method="manual")
    item_a2 = RuleItemFactory(indicator=a2, method="manual")
    AnnualInputFactory(item=item_b1, county=c201, actual=Decimal("77"))
    AnnualInputFactory(item=item_b1, county=c202, actual=Decimal("50"))
    AnnualInputFactory(item=item_a2, county=c202, actual=Decimal("62.5"))
    Exemption.objects.create(cycle=cycle, county=c201, indicator=a2, reason="无此项工作")
    compute_results(cycle=cycle)
    out = BytesIO()

    write_results_workbook(cycle=cycle, out=out)

    book = openpyxl.load_workbook(out)
    assert rows(book["结果"])[1:] == [
        ("201", "甲县", 77, 1, "一般", 46.2, 30.8),
        ("202", "乙县", 55, 2, "较差", 30, 25),
    ]
    assert rows(book["指标统计"])[1:] == [
        ("B1", "甲", 46.2, 30, 38.1, "201、202", "202、201"),
        ("A2", "乙", 25, 25, 25, "202", "202"),
    ]


def test_results_workbook_not_computed_raises(db):
    cycle = CycleFactory(year=2026)

    with pytest.raises(ResultsNotComputed):
        write_results_workbook(cycle=cycle, out=BytesIO())


def test_export_results_command_writes_file(cycle, tmp_path):
    path = tmp_path / "结果2024.xlsx"

    with translation.override("en"):
        call_command("export_results", "2024", "--out", str(path), stdout=(out := StringIO()))

    assert out.getvalue() == f"wrote the results of 2024 to {path}\n"
    book = openpyxl.load_workbook(path)
    assert [row[0] for row in rows(book["结果"])] == ["县区代码", "101", "102", "104", "103", "105"]


def test_export_results_command_unknown_year_fails(db, tmp_path):
    path = tmp_path / "out.xlsx"

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("export_results", "1999", "--out", str(path))

    assert str(exc.value) == "no cycle for the year 1999"
    assert path.exists() is False


def test_export_results_command_not_computed_fails(db, tmp_path):
    CycleFactory(year=2027)
    path = tmp_path / "out.xlsx"

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("export_results", "2027", "--out", str(path))

    assert str(exc.value) == (
        "the results of 2027 have not been computed; run compute_results first"
    )
    assert path.exists() is False


def test_export_results_command_unwritable_path_fails(cycle, tmp_path):
    path = tmp_path / "missing-folder" / "out.xlsx"

    with pytest.raises(CommandError):
        call_command("export_results", "2024", "--out", str(path))

    assert path.exists() is False


def test_results_workbook_query_count_fixed(cycle, django_assert_num_queries):
    # Counties, indicators, indicator results, statistics: four queries at any scale.
    with django_assert_num_queries(4):
        write_results_workbook(cycle=cycle, out=BytesIO())


def test_results_workbook_opens_with_frozen_headers_and_set_widths(cycle):
    """What WPS Office and Excel show on opening: Chinese sheet names, the header row frozen,
    columns wide enough for the Chinese names, figures as numbers in the statistics too."""
    out = BytesIO()
    write_results_workbook(cycle=cycle, out=out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["结果", "指标统计"]
    results, stats = book["结果"], book["指标统计"]
    assert (results.freeze_panes, stats.freeze_panes) == ("C2", "A2")
    assert [results.column_dimensions[c].width > 8 for c in "AB"] == [True, True]
    assert stats.column_dimensions["F"].width >= 24
    assert [isinstance(stats.cell(2, col).value, int | float) for col in (3, 4, 5)] == [True] * 3
