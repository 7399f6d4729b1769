"""The warnings workbook (spec/workbook.md) from a round closed by the real service.

April round: expected 33.33, tolerance 10, so behind target means v < 23.33; diagnosis
threshold 2. Indicators ``B1`` (order 1) and ``A2`` (order 2).

- B1: 101 → 40, 102 → 20, 103 → 30, 104 → 35, 105 not reported. Four reported, so the
  bottom-three reason applies: ascending 102 (1), 103 (2), 104 (3), 101 (4).
  Warnings: 102 后三名、进度滞后; 103 后三名; 104 后三名; 105 未报送.
- A2: 101 → 12.5, 102 → 50, 103 → 50; 104 and 105 not reported. Three reported: no
  bottom three. Warnings: 101 进度滞后; 104 未报送; 105 未报送.
- Indicators warned: 101 1, 102 1, 103 1, 104 2, 105 2 → 104 and 105 go to diagnosis.
"""

from decimal import Decimal
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from alerts.models import Warning
from alerts.services import close_round, reopen_round
from alerts.workbooks import write_warnings_workbook
from scoring.models import Progress
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    ProgressFactory,
    RoundFactory,
    deliver_all,
)

WARNING_ROWS = [
    ("县区代码", "指标代码", "原因", "进度"),
    ("101", "A2", "进度滞后", 12.5),
    ("102", "B1", "后三名、进度滞后", 20),
    ("103", "B1", "后三名", 30),
    ("104", "B1", "后三名", 35),
    ("104", "A2", "未报送", None),
    ("105", "B1", "未报送", None),
    ("105", "A2", "未报送", None),
]


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def april(db):
    cycle = CycleFactory(year=2024)
    codes = ["105", "103", "101", "104", "102"]
    counties = {code: CountyFactory(code=code, name=f"{code}区") for code in codes}
    cycle.counties.set(counties.values())
    # A2 is created first and has the lower id; the sheet still follows the indicator order.
    a2 = IndicatorFactory(cycle=cycle, code="A2", weight=40, order=2)
    b1 = IndicatorFactory(cycle=cycle, code="B1", weight=60, order=1)
    rnd = RoundFactory(
        cycle=cycle, code="april", expected_progress=Decimal("33.33"), diagnosis_threshold=2
    )
    RoundFactory(cycle=cycle, code="august", name="8月预考核", expected_progress=Decimal("66.67"))
    progress = {
        (b1, "101"): "40",
        (b1, "102"): "20",
        (b1, "103"): "30",
        (b1, "104"): "35",
        (a2, "101"): "12.5",
        (a2, "102"): "50",
        (a2, "103"): "50",
    }
    for (indicator, code), value in progress.items():
        ProgressFactory(round=rnd, indicator=indicator, county=counties[code], value=value)
    deliver_all(rnd)
    close_round(round=rnd)
    return rnd


def test_warnings_workbook_rows_by_county_then_indicator_order(april):
    out = BytesIO()

    write_warnings_workbook(round=april, out=out)

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["预警", "会诊"]
    assert rows(book["预警"]) == WARNING_ROWS


def test_warnings_workbook_progress_is_a_number(april):
    out = BytesIO()

    write_warnings_workbook(round=april, out=out)

    sheet = openpyxl.load_workbook(out)["预警"]
    assert [type(cell.value) for cell in sheet["D"][1:]] == [
        float,
        int,
        int,
        int,
        type(None),
        type(None),
        type(None),
    ]
    assert sheet["A1"].font.b is True
    assert sheet.freeze_panes == "A2"


def test_warnings_workbook_diagnosis_sheet(april):
    out = BytesIO()

    write_warnings_workbook(round=april, out=out)

    sheet = openpyxl.load_workbook(out)["会诊"]
    assert rows(sheet) == [("县区代码", "预警指标数"), ("104", 2), ("105", 2)]


def test_warnings_workbook_leaves_out_replaced_warnings(april):
    # 101 reports 30 on A2: no longer behind (30 ≥ 23.33), so its warning is replaced.
    reopen_round(round=april, reason="101区补报")
    Progress.objects.filter(round=april, county__code="101", indicator__code="A2").update(
        value=Decimal("30")
    )
    close_round(round=april)
    out = BytesIO()

    write_warnings_workbook(round=april, out=out)

    assert Warning.objects.filter(round=april, replaced_at__isnull=False).count() == 1
    sheet = openpyxl.load_workbook(out)["预警"]
    assert rows(sheet) == [WARNING_ROWS[0], *WARNING_ROWS[2:]]


def test_warnings_workbook_round_without_warnings_has_headers_only(april):
    august = april.cycle.rounds.get(code="august")
    out = BytesIO()

    write_warnings_workbook(round=august, out=out)

    book = openpyxl.load_workbook(out)
    assert rows(book["预警"]) == [WARNING_ROWS[0]]
    assert rows(book["会诊"]) == [("县区代码", "预警指标数")]


@pytest.mark.parametrize("round_arg", ["april", "4月"])
def test_export_warnings_command_writes_file(april, tmp_path, round_arg):
    path = tmp_path / "预警.xlsx"
    stdout = StringIO()

    with translation.override("en"):
        call_command("export_warnings", "2024", round_arg, "--out", str(path), stdout=stdout)

    assert stdout.getvalue() == f"wrote the warnings of 2024 april to {path}\n"
    assert rows(openpyxl.load_workbook(path)["预警"]) == WARNING_ROWS


def test_export_warnings_command_unknown_round_fails(april, tmp_path):
    path = tmp_path / "out.xlsx"

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("export_warnings", "2024", "may", "--out", str(path))

    assert str(exc.value) == "no pre-assessment round may in 2024"
    assert path.exists() is False


def test_export_warnings_command_unknown_year_fails(db, tmp_path):
    path = tmp_path / "out.xlsx"

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("export_warnings", "1999", "april", "--out", str(path))

    assert str(exc.value) == "no cycle for the year 1999"
    assert path.exists() is False


def test_warnings_workbook_query_count_fixed(april, django_assert_num_queries):
    with django_assert_num_queries(2):
        write_warnings_workbook(round=april, out=BytesIO())


def test_export_warnings_command_round_never_closed_fails(april, tmp_path):
    path = tmp_path / "out.xlsx"

    with pytest.raises(CommandError) as exc:
        call_command("export_warnings", "2024", "8月", "--out", str(path))

    assert str(exc.value) == (
        "the round august of 2024 has not been closed yet: close it first "
        "(manage.py close_round 2024 august)"
    )
    assert path.exists() is False
