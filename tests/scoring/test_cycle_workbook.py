"""The cycle workbook: the import layout filled with a cycle's data, read back to the same data;
and the empty template."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from assessment.models import Adjustment, Cycle, Round, Veto
from indicators.models import Category, Indicator, RuleItem
from scoring.models import AnnualInput, Exemption, Progress
from scoring.workbook.exporter import write_cycle_workbook
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.workbooks import read_workbook, sample_cycle, workbook_bytes

SHEET_NAMES = [
    "参数", "县区", "责任单位", "指标", "细则", "年度数据", "预考核数据", "免考", "加减分",
    "一票否决",
]  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def snapshot(year: int) -> dict:
    """Everything the workbook carries about a year, by code (no ids)."""
    cycle = Cycle.objects.get(year=year)
    return {
        "cycle": (
            cycle.status,
            cycle.total_points,
            cycle.excellent_ratio,
            cycle.excellent_line,
            cycle.good_line,
            cycle.fair_line,
            cycle.bonus_cap,
        ),
        "counties": sorted(cycle.counties.values_list("code", "name")),
        "rounds": sorted(
            Round.objects.filter(cycle=cycle).values_list(
                "code", "name", "kind", "expected_progress", "tolerance", "diagnosis_threshold"
            )
        ),
        "categories": list(
            Category.objects.filter(cycle=cycle).values_list("name", "order").order_by("order")
        ),
        "indicators": list(
            Indicator.objects.filter(cycle=cycle).values_list(
                "code",
                "name",
                "category__name",
                "weight",
                "unit__code",
                "unit__name",
                "direction",
                "rules_status",
                "order",
            )
        ),
        "items": list(
            RuleItem.objects.filter(cycle=cycle).values_list(
                "indicator__code", "code", "name", "share", "method", "params", "order"
            )
        ),
        "annual": sorted(
            AnnualInput.objects.filter(cycle=cycle).values_list(
                "county__code", "item__code", "actual", "target"
            )
        ),
        "progress": sorted(
            Progress.objects.filter(cycle=cycle).values_list(
                "round__code", "county__code", "indicator__code", "value"
            )
        ),
        "exemptions": sorted(
            Exemption.objects.filter(cycle=cycle).values_list(
                "county__code", "indicator__code", "reason"
            )
        ),
        "adjustments": sorted(
            Adjustment.objects.filter(cycle=cycle).values_list("county__code", "points", "reason")
        ),
        "vetoes": sorted(Veto.objects.filter(cycle=cycle).values_list("county__code", "reason")),
    }


def varied_cycle() -> dict[str, list[list]]:
    """The sample with every setting away from its default and awkward values."""
    sheets = sample_cycle()
    sheets["参数"] += [
        ["优秀线", 0.9],
        ["4月预期进度", 30],
        ["8月预期进度", "70%"],
        ["预警容差", 5.5],
        ["会诊阈值", 2],
    ]
    sheets["细则"][3][5] = "  "  # blank parameters
    sheets["年度数据"][1][2] = 123456789.123456
    sheets["年度数据"][9][2] = 0.000001
    sheets["县区"][1][0] = 101  # a code typed as a number
    return sheets


@pytest.mark.django_db
def test_write_cycle_workbook_round_trip_reads_back_the_same_data():
    import_workbook(workbook_bytes(varied_cycle()))
    Veto.objects.update(reason="=不是公式")  # text, never to become a formula
    before = snapshot(2024)
    buffer = io.BytesIO()

    write_cycle_workbook(Cycle.objects.get(year=2024), buffer)
    summary = import_workbook(buffer, replace=True)

    assert snapshot(2024) == before
    assert (summary.annual_rows, summary.progress_rows, summary.vetoes) == (10, 4, 1)
    assert before["cycle"][3] == Decimal("0.9")
    assert before["rounds"][1] == (
        "april",
        "4月预考核",
        "pre",
        Decimal("30"),
        Decimal("5.5"),
        2,
    )
    assert before["annual"][0] == ("101", "K01", Decimal("123456789.123456"), Decimal("100"))
    assert before["vetoes"] == [("102", "=不是公式")]


@pytest.mark.django_db
def test_write_cycle_workbook_writes_codes_as_text_and_numbers_as_numbers():
    import_workbook(workbook_bytes(sample_cycle()))
    buffer = io.BytesIO()

    write_cycle_workbook(Cycle.objects.get(year=2024), buffer)

    sheets = read_workbook(buffer)
    assert list(sheets) == SHEET_NAMES
    assert sheets["参数"] == [
        ["项目", "值"],
        ["年度", 2024],
        ["总分", 100],
        ["优秀比例", 0.4],
        ["优秀线", None],
        ["良好线", 0.8],
        ["一般线", 0.6],
        ["加减分上限", 2],
        ["4月预期进度", 33.33],
        ["8月预期进度", 66.67],
        ["预警容差", 10],
        ["会诊阈值", 3],
    ]
    assert sheets["县区"] == [
        ["代码", "名称"],
        ["101", "东城区"],
        ["102", "西城区"],
        ["103", "南城区"],
    ]
    assert sheets["指标"][1] == ["I01", "经济增长", "经济发展", 60, "TJJ", "正向"]
    assert sheets["细则"][3] == ["I02", "K03", "环境督察评分", 70, "直接评分", None]
    assert sheets["年度数据"][:3] == [
        ["县区代码", "项目代码", "实际值", "目标值"],
        ["101", "K01", 110, 100],
        ["102", "K01", 90, 100],
    ]
    assert sheets["预考核数据"][-1] == ["8月", "101", "I02", 70.5]
    assert sheets["加减分"][1:] == [
        ["101", 2, "抗洪抢险表彰"],
        ["101", 1, "招商引资专项"],
        ["102", -1.5, "安全生产通报"],
    ]


@pytest.mark.django_db
def test_write_cycle_workbook_template_has_headers_and_defaults():
    buffer = io.BytesIO()

    write_cycle_workbook(None, buffer)

    sheets = read_workbook(buffer)
    assert list(sheets) == SHEET_NAMES
    assert sheets["参数"] == [
        ["项目", "值"],
        ["年度", None],
        ["总分", 100],
        ["优秀比例", 0.3],
        ["优秀线", None],
        ["良好线", 0.8],
        ["一般线", 0.6],
        ["加减分上限", None],
        ["4月预期进度", 33.33],
        ["8月预期进度", 66.67],
        ["预警容差", 10],
        ["会诊阈值", 3],
    ]
    assert sheets["细则"] == [["指标代码", "项目代码", "项目名称", "占比", "计分方法", "参数"]]
    assert sheets["一票否决"] == [["县区代码", "事由"]]
    book = load_workbook(buffer)
    ws = book["指标"]
    assert (ws["A1"].font.b, ws.freeze_panes) == (True, "A2")
    assert [(v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation] == [
        ('"正向,逆向"', "F2:F1048576")
    ]
    assert [v.formula1 for v in book["细则"].data_validations.dataValidation] == [
        '"直接评分,完成率,标杆,增减,排名,扣分,分档,达标"'
    ]


@pytest.mark.django_db
def test_write_cycle_workbook_template_imports_only_once_filled():
    buffer = io.BytesIO()
    write_cycle_workbook(None, buffer)

    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(buffer)

    assert caught.value.problems == [
        "参数!B2: the year (年度 / year) is missing",
        "指标!D1: the weights sum to 0, not the total points 100",
    ]


@pytest.mark.django_db
def test_export_cycle_command_writes_the_workbook(tmp_path):
    import_workbook(workbook_bytes(sample_cycle()))
    path = tmp_path / "2024.xlsx"
    out = io.StringIO()

    call_command("export_cycle", "2024", "--out", str(path), stdout=out)

    assert out.getvalue() == f"wrote 2024 to {path}\n"
    assert read_workbook(path)["指标"][2] == ["I02", "环境质量", "生态文明", 40, "HBJ", "逆向"]


@pytest.mark.django_db
def test_export_cycle_command_unknown_year_is_an_error(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export_cycle", "2030", "--out", str(tmp_path / "x.xlsx"))

    assert str(caught.value) == "no cycle for the year 2030"


@pytest.mark.django_db
def test_write_cycle_workbook_continues_a_long_data_sheet_on_numbered_sheets():
    import_workbook(workbook_bytes(varied_cycle()))
    cycle = Cycle.objects.get(year=2024)
    whole, split = io.BytesIO(), io.BytesIO()
    write_cycle_workbook(cycle, whole)

    write_cycle_workbook(cycle, split, sheet_rows=4)

    full, sheets = read_workbook(whole), read_workbook(split)
    assert list(sheets) == [
        "参数", "县区", "责任单位", "指标", "细则", "年度数据", "年度数据2", "年度数据3",
        "预考核数据", "免考", "加减分", "一票否决",
    ]  # fmt: skip
    header = ["县区代码", "项目代码", "实际值", "目标值"]
    assert [sheets[name][0] for name in ("年度数据", "年度数据2", "年度数据3")] == [header] * 3
    assert [len(sheets[name]) - 1 for name in ("年度数据", "年度数据2", "年度数据3")] == [4, 4, 2]
    parts = sheets["年度数据"][1:] + sheets["年度数据2"][1:] + sheets["年度数据3"][1:]
    assert parts == full["年度数据"][1:]
    assert sheets["预考核数据"] == full["预考核数据"]  # exactly 4 rows: no continuation
    assert load_workbook(split)["年度数据2"].freeze_panes == "A2"
