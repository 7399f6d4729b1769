"""Data sheets that continue on numbered sheets (年度数据2, …) are read as one sheet."""

import io

import pytest
from django.utils import translation

from assessment.models import Cycle
from scoring.models import AnnualInput, Progress
from scoring.workbook.exporter import write_cycle_workbook
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.scoring.test_cycle_workbook import snapshot, varied_cycle
from tests.workbooks import sample_cycle, workbook_bytes

ANNUAL_HEADER = ["县区代码", "项目代码", "实际值", "目标值"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def split_annual(sheets: dict, *sizes: int, name: str = "年度数据") -> dict:
    """``sheets`` with the annual rows cut into parts of ``sizes`` rows, the last part taking
    the rest: 年度数据, 年度数据2, … placed where the annual sheet was."""
    rows = sheets["年度数据"][1:]
    parts, start = [], 0
    for size in (*sizes, len(rows)):
        parts.append(rows[start : start + size])
        start += size
        if start >= len(rows):
            break
    result = {}
    for key, value in sheets.items():
        if key != "年度数据":
            result[key] = value
            continue
        for n, part in enumerate(parts, 1):
            result[name if n == 1 else f"{name}{n}"] = [ANNUAL_HEADER, *part]
    return result


@pytest.mark.django_db
def test_import_workbook_reads_continuation_sheets_as_one_sheet():
    summary = import_workbook(workbook_bytes(split_annual(sample_cycle(), 4, 3)))

    assert summary.annual_rows == 10
    stored = set(AnnualInput.objects.values_list("county__code", "item__code").order_by("id"))
    assert len(stored) == 10
    assert ("102", "K04") in stored and ("101", "K01") in stored


@pytest.mark.django_db
def test_import_workbook_reads_english_continuation_names_and_stops_at_a_gap():
    sheets = split_annual(sample_cycle(), 4, 3, name="annual_data")
    sheets["annual_data4"] = sheets.pop("annual_data3")  # after a gap: not a continuation

    summary = import_workbook(workbook_bytes(sheets))

    assert summary.annual_rows == 7


@pytest.mark.django_db
def test_import_workbook_names_the_continuation_sheet_of_a_problem():
    sheets = split_annual(sample_cycle(), 4, 3)
    sheets["年度数据2"][2][0] = "999"
    sheets["年度数据3"] = [["县区代码", "项目代码", "目标值"], *sheets["年度数据3"][1:]]

    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(workbook_bytes(sheets))

    assert caught.value.problems == [
        '年度数据2 row 3: unknown county code "999"',
        '年度数据3 row 1: missing column "实际值" (actual)',
    ]
    assert not Cycle.objects.exists()


@pytest.mark.django_db
def test_import_workbook_continued_duplicate_names_the_first_row_of_the_first_sheet():
    sheets = split_annual(sample_cycle(), 4, 3)
    sheets["年度数据3"][1][:2] = ["101", "K01"]
    sheets["年度数据3"][3][:2] = sheets["年度数据3"][2][:2]

    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(workbook_bytes(sheets))

    assert caught.value.problems == [
        '年度数据3 row 2: duplicate data for county "101" and item "K01" '
        "(first on row 2 on sheet 年度数据)",
        '年度数据3 row 4: duplicate data for county "101" and item "K04" (first on row 3)',
    ]


@pytest.mark.django_db
def test_cycle_workbook_with_continuation_sheets_reads_back_the_same_data():
    import_workbook(workbook_bytes(varied_cycle()))
    before = snapshot(2024)
    buffer = io.BytesIO()
    write_cycle_workbook(Cycle.objects.get(year=2024), buffer, sheet_rows=3)

    summary = import_workbook(buffer, replace=True)

    assert snapshot(2024) == before
    assert (summary.annual_rows, summary.progress_rows) == (10, 4)
    assert Progress.objects.count() == 4
