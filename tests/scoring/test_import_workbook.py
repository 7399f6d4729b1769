"""The workbook import of spec/workbook.md: what a valid workbook stores, and every problem.

The sample cycle of ``tests.workbooks`` (3 counties, total 100, excellence ratio 40 %, bonus
cap 2), worked out by hand with spec/scoring.md:

- I01 经济增长, weight 60, higher: K01 ratio cap=120 (share 60), K02 rank step=10 (share 40).
  K01: 101 110/100 → 110; 102 90/100 → 90; 103 100/100 → 100.
  K02: 102 (8) rank 1 → 100; 103 (6) rank 2 → 90; 101 (5) rank 3 → 80.
  S: 101 = 0.6×110 + 0.4×80 = 98; 102 = 54 + 40 = 94; 103 = 60 + 36 = 96.
  P = S × 60 / 100: 101 58.8; 102 56.4; 103 57.6.
- I02 环境质量, weight 40, lower: K03 manual (share 70), K04 tiers 10:100,20:80,30:60 (30).
  101: 90, 15 → 80: S = 63 + 24 = 87, P = 34.8. 102: 85.5, 8 → 100: S = 59.85 + 30 = 89.85,
  P = 35.94. 103 is exempt: P = 40 × 57.6 / 60 = 38.4.
- Adjustments: 101 +2 +1 = 3, clipped to the cap 2; 102 −1.5.
- Totals: 101 = 58.8 + 34.8 + 2 = 95.60; 102 = 56.4 + 35.94 − 1.5 = 90.84; 103 = 96.00.
- Ranks 103, 101, 102. Quota floor(0.4 × 3) = 1: 103 excellent; 101 good (≥ 80);
  102 is vetoed: poor.
"""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from assessment.models import Adjustment, County, Cycle, Round, Unit, Veto
from indicators.models import Category, Indicator, RuleItem
from scoring.models import AnnualInput, CountyResult, Exemption, Progress
from scoring.results.services import compute_results
from scoring.workbook.importer import (
    CycleExists,
    ImportSummary,
    WorkbookInvalid,
    import_workbook,
)
from tests.factories import CountyFactory, UnitFactory
from tests.workbooks import sample_cycle, save_workbook, workbook_bytes

SAMPLE_SUMMARY = ImportSummary(
    year=2024,
    counties=3,
    units=2,
    indicators=2,
    items=4,
    annual_rows=10,
    progress_rows=4,
    exemptions=1,
    adjustments=3,
    vetoes=1,
)
MODELS = (
    Cycle, Round, County, Unit, Category, Indicator, RuleItem, AnnualInput, Progress, Exemption,
    Adjustment, Veto, CountyResult, LogEntry,
)  # fmt: skip


@pytest.fixture(autouse=True)
def english():
    # The problem lines are asserted in their English source text, whatever catalogue exists.
    with translation.override("en"):
        yield


def problems_of(sheets) -> list[str]:
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(workbook_bytes(sheets))
    return caught.value.problems


def events(summary: str) -> list[LogEntry]:
    """The audit events of cycles with this summary (see assessment.audit.record_event)."""
    cycles = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Cycle))
    return [e for e in cycles.order_by("id") if e.changes_dict.get("event") == [None, summary]]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


# --- a valid workbook --------------------------------------------------------------------


@pytest.mark.django_db
def test_import_workbook_valid_sample_stores_everything(tmp_path):
    path = save_workbook(tmp_path / "2024.xlsx", sample_cycle())

    summary = import_workbook(path)

    assert summary == SAMPLE_SUMMARY
    cycle = Cycle.objects.get(year=2024)
    assert (
        cycle.status,
        cycle.total_points,
        cycle.excellent_ratio,
        cycle.excellent_line,
        cycle.good_line,
        cycle.fair_line,
        cycle.bonus_cap,
    ) == ("active", Decimal("100"), Decimal("0.4"), None, Decimal("0.8"), Decimal("0.6"), 2)
    assert sorted(cycle.counties.values_list("code", "name")) == [
        ("101", "东城区"),
        ("102", "西城区"),
        ("103", "南城区"),
    ]
    assert sorted(Unit.objects.values_list("code", "name")) == [
        ("HBJ", "市生态环境局"),
        ("TJJ", "市统计局"),
    ]
    assert list(Category.objects.filter(cycle=cycle).values_list("name", "order")) == [
        ("经济发展", 1),
        ("生态文明", 2),
    ]
    assert list(
        Indicator.objects.filter(cycle=cycle).values_list(
            "code", "category__name", "weight", "unit__code", "direction", "rules_status", "order"
        )
    ) == [
        ("I01", "经济发展", Decimal("60"), "TJJ", "higher", "approved", 1),
        ("I02", "生态文明", Decimal("40"), "HBJ", "lower", "approved", 2),
    ]
    assert list(
        RuleItem.objects.filter(cycle=cycle).values_list(
            "indicator__code", "code", "name", "share", "method", "params", "order"
        )
    ) == [
        ("I01", "K01", "地区生产总值完成率", Decimal("60"), "ratio", "cap=120", 1),
        ("I01", "K02", "增速排名", Decimal("40"), "rank", "step=10", 2),
        ("I02", "K03", "环境督察评分", Decimal("70"), "manual", "", 3),
        ("I02", "K04", "重污染天数", Decimal("30"), "tiers", "tiers=10:100,20:80,30:60", 4),
    ]
    assert AnnualInput.objects.get(county__code="102", item__code="K03").actual == Decimal("85.5")
    k01 = AnnualInput.objects.get(county__code="101", item__code="K01")
    assert (k01.actual, k01.target, k01.cycle_id) == (Decimal("110"), Decimal("100"), cycle.id)
    assert AnnualInput.objects.get(county__code="101", item__code="K02").target is None
    assert list(
        Round.objects.filter(cycle=cycle)
        .order_by("code")
        .values_list("code", "name", "kind", "status", "expected_progress", "tolerance")
    ) == [
        ("annual", "年度考核", "annual", "pending", None, Decimal("10")),
        ("april", "4月预考核", "pre", "pending", Decimal("33.33"), Decimal("10")),
        ("august", "8月预考核", "pre", "pending", Decimal("66.67"), Decimal("10")),
    ]
    assert set(Round.objects.filter(cycle=cycle).values_list("diagnosis_threshold", flat=True)) == {
        3
    }
    assert sorted(
        Progress.objects.values_list("round__code", "county__code", "indicator__code", "value")
    ) == [
        ("april", "101", "I01", Decimal("40")),
        ("april", "102", "I01", Decimal("20")),
        ("april", "103", "I01", Decimal("35")),
        ("august", "101", "I02", Decimal("70.5")),
    ]
    assert list(Exemption.objects.values_list("county__code", "indicator__code", "reason")) == [
        ("103", "I02", "辖区无工业企业")
    ]
    assert sorted(Adjustment.objects.values_list("county__code", "points", "reason")) == [
        ("101", Decimal("1"), "招商引资专项"),
        ("101", Decimal("2"), "抗洪抢险表彰"),
        ("102", Decimal("-1.5"), "安全生产通报"),
    ]
    assert list(Veto.objects.values_list("county__code", "reason")) == [
        ("102", "重大安全生产责任事故")
    ]


@pytest.mark.django_db
def test_import_workbook_then_compute_results_gives_hand_worked_totals():
    import_workbook(workbook_bytes(sample_cycle()))
    cycle = Cycle.objects.get(year=2024)

    compute_results(cycle=cycle)

    assert list(
        CountyResult.objects.filter(cycle=cycle)
        .order_by("rank", "county__code")
        .values_list("county__code", "indicator_points", "adjustment", "total", "rank")
    ) == [
        ("103", Decimal("96.00"), Decimal("0.00"), Decimal("96.00"), 1),
        ("101", Decimal("93.60"), Decimal("2.00"), Decimal("95.60"), 2),
        ("102", Decimal("92.34"), Decimal("-1.50"), Decimal("90.84"), 3),
    ]
    grades = dict(CountyResult.objects.values_list("county__code", "computed_grade"))
    assert grades == {"103": "excellent", "101": "good", "102": "poor"}


def english_layout() -> dict[str, list[list]]:
    """The sample with English sheet and column names, codes typed as numbers, columns in
    another order, extra columns and empty rows."""
    zh = sample_cycle()
    counties = [["name", "code", "备注"]] + [[n, int(c), "x"] for c, n in zh["县区"][1:]]
    indicators = [["direction", "unit", "weight", "category", "name", "code"]] + [
        list(reversed(row)) for row in zh["指标"][1:]
    ]
    annual = [["item", "county", "note", "target", "actual"]]
    for county, item, actual, target in zh["年度数据"][1:]:
        annual.append([item, float(county), None, target, actual])
        annual.append([None, None, None, None, None])
    progress = [["round", "county", "indicator", "progress"]]
    progress += [
        [{"4月": "april", "8月": "August"}[r], int(c), i, v] for r, c, i, v in zh["预考核数据"][1:]
    ]
    methods = {"完成率": "ratio", "排名": "rank", "直接评分": "manual", "分档": "tiers"}
    return {
        "Settings": [
            ["KEY", "Value"],
            ["year", 2024],
            ["total_points", 100],
            ["excellent_ratio", 0.4],
            ["good_line", "80%"],
            ["fair_line", 0.6],
            ["bonus_cap", 2],
        ],
        "counties": counties,
        "units": [["code", "name"], *zh["责任单位"][1:]],
        "indicators": indicators,
        "rule_items": [["indicator", "code", "name", "share", "method", "params"]]
        + [[i, k, n, s, methods[m], p] for i, k, n, s, m, p in zh["细则"][1:]],
        "annual_data": annual,
        "progress": progress,
        "exemptions": [["county", "indicator", "reason"], [103, "I02", "辖区无工业企业"]],
        "adjustments": [["county", "points", "reason"], *zh["加减分"][1:]],
        "vetoes": [["county", "reason"], *zh["一票否决"][1:]],
        "说明": [["anything"], ["is ignored"]],
    }


@pytest.mark.django_db
def test_import_workbook_english_names_number_codes_other_order_and_empty_rows():
    summary = import_workbook(workbook_bytes(english_layout()))

    assert summary == SAMPLE_SUMMARY
    assert sorted(County.objects.values_list("code", flat=True)) == ["101", "102", "103"]
    assert list(Indicator.objects.values_list("code", "name", "weight", "unit__code")) == [
        ("I01", "经济增长", Decimal("60"), "TJJ"),
        ("I02", "环境质量", Decimal("40"), "HBJ"),
    ]
    assert AnnualInput.objects.get(county__code="102", item__code="K03").actual == Decimal("85.5")
    assert Progress.objects.get(round__code="august").value == Decimal("70.5")
    assert Cycle.objects.get().good_line == Decimal("0.8")
    compute_results(cycle=Cycle.objects.get())
    assert dict(CountyResult.objects.values_list("county__code", "total")) == {
        "101": Decimal("95.60"),
        "102": Decimal("90.84"),
        "103": Decimal("96.00"),
    }


@pytest.mark.django_db
def test_import_workbook_uploaded_file_is_read_and_named_in_the_audit():
    upload = SimpleUploadedFile("考核2024.xlsx", workbook_bytes(sample_cycle()).getvalue())

    import_workbook(upload)

    [entry] = events("import_workbook")
    assert entry.object_id == Cycle.objects.get().id
    assert entry.additional_data["file"] == "考核2024.xlsx"
    assert entry.additional_data["annual_rows"] == 10


@pytest.mark.django_db
def test_import_workbook_data_sheets_absent_is_valid_and_results_list_missing():
    sheets = sample_cycle()
    for name in ("年度数据", "预考核数据", "免考", "加减分", "一票否决"):
        del sheets[name]

    summary = import_workbook(workbook_bytes(sheets))

    assert (summary.indicators, summary.annual_rows, summary.exemptions) == (2, 0, 0)


@pytest.mark.django_db
def test_import_workbook_existing_counties_and_units_renamed_not_duplicated():
    CountyFactory(code="101", name="旧名称")
    UnitFactory(code="TJJ", name="统计局")

    import_workbook(workbook_bytes(sample_cycle()))

    assert County.objects.get(code="101").name == "东城区"
    assert Unit.objects.get(code="TJJ").name == "市统计局"
    assert (County.objects.count(), Unit.objects.count()) == (3, 2)


# --- problems ----------------------------------------------------------------------------


def _set(sheet: str, row: int, column: int, value):
    def change(sheets):
        sheets[sheet][row - 1][column - 1] = value

    return change


def _append(sheet: str, *rows):
    def change(sheets):
        sheets[sheet].extend(list(r) for r in rows)

    return change


def _drop_sheet(sheet: str):
    def change(sheets):
        del sheets[sheet]

    return change


def _drop_column(sheet: str, column: int):
    def change(sheets):
        for row in sheets[sheet]:
            del row[column - 1]

    return change


def _drop_row(sheet: str, row: int):
    def change(sheets):
        del sheets[sheet][row - 1]

    return change


PROBLEMS = {
    "missing sheet": (
        _drop_sheet("细则"),
        ['细则!A1: the required sheet is missing (name it "细则" or "rule_items")'],
    ),
    "missing column": (_drop_column("指标", 4), ['指标 row 1: missing column "分值" (weight)']),
    "missing year": (_drop_row("参数", 2), ["参数 row 1: the year (年度 / year) is missing"]),
    "blank year": (_set("参数", 2, 2, None), ["参数!B2: the year (年度 / year) is missing"]),
    "duplicate county": (
        _append("县区", ["101", "重名区"]),
        ['县区 row 5: duplicate county code "101" (first on row 2)'],
    ),
    "duplicate unit": (
        _append("责任单位", ["TJJ", "统计局"]),
        ['责任单位 row 4: duplicate unit code "TJJ" (first on row 2)'],
    ),
    "duplicate indicator": (
        _append("指标", ["I02", "环境质量", "生态文明", 40, "HBJ", "逆向"]),
        ['指标 row 4: duplicate indicator code "I02" (first on row 3)'],
    ),
    "duplicate item": (
        _append("细则", ["I02", "K03", "重复", 30, "直接评分", None]),
        ['细则 row 6: duplicate item code "K03" (first on row 4)'],
    ),
    "duplicate annual row": (
        _append("年度数据", ["101", "K01", 100, 100]),
        ['年度数据 row 12: duplicate data for county "101" and item "K01" (first on row 2)'],
    ),
    "duplicate progress row": (
        _append("预考核数据", ["april", "101", "I01", 50]),
        [
            '预考核数据 row 6: duplicate progress of county "101" on indicator "I01" in round '
            '"april" (first on row 2)'
        ],
    ),
    "duplicate exemption": (
        _append("免考", ["103", "I02", None]),
        ['免考 row 3: duplicate exemption of county "103" from indicator "I02" (first on row 2)'],
    ),
    "unknown county": (
        _append("年度数据", ["999", "K01", 1, 1]),
        ['年度数据 row 12: unknown county code "999"'],
    ),
    "unknown county in vetoes": (
        _set("一票否决", 2, 1, "104"),
        ['一票否决 row 2: unknown county code "104"'],
    ),
    "unknown unit": (_set("指标", 3, 5, "XXJ"), ['指标 row 3: unknown unit code "XXJ"']),
    "unknown indicator": (
        _set("细则", 5, 1, "I09"),
        [
            '细则 row 5: unknown indicator code "I09"',
            "细则 row 4: the shares of indicator I02 sum to 70, not 100",
        ],
    ),
    "unknown indicator in progress": (
        _set("预考核数据", 5, 3, "I03"),
        ['预考核数据 row 5: unknown indicator code "I03"'],
    ),
    "unknown item": (
        _append("年度数据", ["101", "K99", 1, None]),
        ['年度数据 row 12: unknown item code "K99"'],
    ),
    "unknown round": (_set("预考核数据", 2, 1, "9月"), ['预考核数据!A2: unknown round "9月"']),
    "unknown method": (_set("细则", 4, 5, "按比例"), ['细则!E4: unknown method "按比例"']),
    "unknown direction": (
        _set("指标", 2, 6, "越高越好"),
        ['指标!F2: unknown direction "越高越好"'],
    ),
    "unknown setting": (_append("参数", ["满分", 100]), ['参数!A8: unknown setting "满分"']),
    "weight not a number": (_set("指标", 3, 4, "四十"), ['指标!D3: "四十" is not a number']),
    "actual not a number": (
        _set("年度数据", 9, 3, "八十五"),
        ['年度数据!C9: "八十五" is not a number'],
    ),
    "points not a number": (_set("加减分", 2, 2, "两分"), ['加减分!B2: "两分" is not a number']),
    "weights do not sum to the total": (
        _set("指标", 3, 4, 35),
        ["指标!D1: the weights sum to 95, not the total points 100"],
    ),
    "shares do not sum to 100": (
        _set("细则", 5, 4, 20),
        ["细则 row 4: the shares of indicator I02 sum to 90, not 100"],
    ),
    "indicator without items": (
        lambda s: (
            _set("指标", 2, 4, 50)(s),
            _append("指标", ["I03", "新指标", "其他", 10, "TJJ", "正向"])(s),
        ),
        ["指标 row 4: indicator I03 has no rule items"],
    ),
    "manual score above 100": (
        _set("年度数据", 8, 3, 120),
        ["年度数据!C8: a direct score must be within [0, 100] (120)"],
    ),
    # K01 is a completion ratio and K03 a direct score: neither takes a negative value.
    "negative actual": (_set("年度数据", 2, 3, -5), ["年度数据!C2: must not be negative (-5)"]),
    "negative target": (_set("年度数据", 8, 4, -1), ["年度数据!D8: must not be negative (-1)"]),
    "negative progress": (
        _set("预考核数据", 3, 4, -20),
        ["预考核数据!D3: must not be negative (-20)"],
    ),
    "negative weight": (_set("指标", 3, 4, -40), ["指标!D3: must not be negative (-40)"]),
    "negative share": (_set("细则", 5, 4, -30), ["细则!D5: must not be negative (-30)"]),
    "ratio target zero": (
        _set("年度数据", 3, 4, 0),
        ["年度数据!D3: the target of a completion-ratio item must be greater than 0 (0)"],
    ),
    "bad parameter": (
        _set("细则", 2, 6, "cap=300"),
        ["细则!F2: cap must be between 100 and 200 (300)"],
    ),
    "tiers against the direction": (
        _set("细则", 5, 6, "tiers=30:60,20:80"),
        ["细则!F5: tiers are not monotone for a lower-is-better indicator: 30:60 then 20:80"],
    ),
    "exempt from every indicator": (
        _append("免考", ["103", "I01", "全部免考"]),
        ['免考 row 2: county "103" is exempt from every indicator'],
    ),
    "ratio above 1": (
        _set("参数", 4, 2, "150%"),
        ["参数!B4: must be between 0 and 1, or 0% and 100% (1.5)"],
    ),
    "line below 0": (
        _set("参数", 5, 2, -0.1),
        ["参数!B5: must be between 0 and 1, or 0% and 100% (-0.1)"],
    ),
    "total points zero": (_set("参数", 3, 2, 0), ["参数!B3: must be greater than 0 (0)"]),
    "weight a boolean": (_set("指标", 3, 4, True), ['指标!D3: "TRUE" is not a number']),
    "actual a date": (
        _set("年度数据", 2, 3, datetime.date(2024, 1, 1)),
        ['年度数据!C2: "2024-01-01" is not a number'],
    ),
    "name too long, code still known": (
        _set("县区", 2, 2, "区" * 101),
        ["县区!B2: the text is longer than 100 characters"],
    ),
    "blank code": (_append("县区", [None, "无代码区"]), ["县区!A5: a code is required"]),
    "too many decimals": (
        _set("指标", 2, 4, 59.99999),
        ["指标!D2: 59.99999 has more than 4 decimal places"],
    ),
}


@pytest.mark.django_db
def test_import_workbook_params_checked_when_the_indicator_row_is_broken():
    # The direction of I01 is unknown: the parameter problems that hold in either direction
    # are still reported; the monotony of tiers, which depends on it, cannot be judged.
    sheets = sample_cycle()
    _set("指标", 2, 6, "上升")(sheets)
    _set("细则", 3, 6, "step=-1;foo=2")(sheets)
    assert problems_of(sheets) == [
        '指标!F2: unknown direction "上升"',
        '细则!F3: unknown parameter "foo" for rank (accepted: step, floor)',
        "细则!F3: step must not be negative (-1)",
    ]


@pytest.mark.parametrize("case", list(PROBLEMS))
@pytest.mark.django_db
def test_import_workbook_problem_reported_with_sheet_and_place(case):
    change, expected = PROBLEMS[case]
    sheets = sample_cycle()
    change(sheets)

    assert problems_of(sheets) == expected
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
def test_import_workbook_several_problems_all_listed_in_sheet_order():
    sheets = sample_cycle()
    _set("参数", 4, 2, 3)(sheets)
    _set("细则", 4, 5, "按比例")(sheets)
    _append("年度数据", ["999", "K01", 1, 1])(sheets)
    _set("年度数据", 2, 3, -5)(sheets)
    _set("预考核数据", 2, 1, "9月")(sheets)

    assert problems_of(sheets) == [
        "参数!B4: must be between 0 and 1, or 0% and 100% (3)",
        '细则!E4: unknown method "按比例"',
        "年度数据!C2: must not be negative (-5)",
        '年度数据 row 12: unknown county code "999"',
        '预考核数据!A2: unknown round "9月"',
    ]


@pytest.mark.django_db
def test_import_workbook_cells_named_past_leading_empty_columns():
    sheets = sample_cycle()
    sheets["县区"] = [[None, *row] for row in sheets["县区"]] + [[None, "104", None]]

    assert problems_of(sheets) == ["县区!C5: a value is required"]


@pytest.mark.django_db
def test_import_workbook_failure_writes_nothing():
    sheets = sample_cycle()
    _set("年度数据", 2, 3, -5)(sheets)
    CountyFactory(code="101", name="旧名称")
    before = row_counts()

    problems_of(sheets)

    assert row_counts() == before
    assert County.objects.get(code="101").name == "旧名称"


@pytest.mark.django_db
def test_import_workbook_not_an_xlsx_is_one_line(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("县区,名称\n101,东城区\n", encoding="utf-8")

    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(path)

    assert caught.value.problems == [
        "notes.xlsx: not an Excel workbook (.xlsx), or it cannot be read"
    ]


@pytest.mark.django_db
def test_import_workbook_existing_year_refused_without_replace():
    import_workbook(workbook_bytes(sample_cycle()))
    before = row_counts()

    with pytest.raises(CycleExists) as caught:
        import_workbook(workbook_bytes(sample_cycle()))

    assert caught.value.problems == [
        "参数!B2: the year 2024 exists already; import with --replace (the replace option) to "
        "replace its definitions and data"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_import_workbook_replace_swaps_the_year_and_is_audited(lead):
    import_workbook(workbook_bytes(sample_cycle()))
    old = Cycle.objects.get(year=2024)
    compute_results(cycle=old)
    sheets = sample_cycle()
    _set("县区", 2, 2, "东城新区")(sheets)
    _set("细则", 2, 6, "cap=110")(sheets)
    del sheets["一票否决"]
    del sheets["加减分"]

    summary = import_workbook(workbook_bytes(sheets), replace=True, actor=lead)

    assert (summary.adjustments, summary.vetoes) == (0, 0)
    cycle = Cycle.objects.get(year=2024)
    assert cycle.id == old.id  # replaced in place: what hangs on the year stays
    assert (Veto.objects.count(), Adjustment.objects.count(), CountyResult.objects.count()) == (
        0,
        0,
        0,
    )
    assert (Indicator.objects.count(), RuleItem.objects.count(), AnnualInput.objects.count()) == (
        2,
        4,
        10,
    )
    assert RuleItem.objects.get(code="K01").params == "cap=110"
    assert County.objects.get(code="101").name == "东城新区"
    [entry] = events("import_workbook_replace")
    assert (entry.object_id, entry.actor, entry.additional_data["indicators"]) == (
        cycle.id,
        lead,
        2,
    )


@pytest.mark.django_db
def test_import_workbook_replace_with_problems_keeps_the_old_year():
    import_workbook(workbook_bytes(sample_cycle()))
    sheets = sample_cycle()
    _set("指标", 3, 4, 35)(sheets)
    before = row_counts()

    with pytest.raises(WorkbookInvalid):
        import_workbook(workbook_bytes(sheets), replace=True)

    assert row_counts() == before


# --- the command ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_workbook_command_success_prints_one_summary_line(tmp_path):
    path = save_workbook(tmp_path / "2024.xlsx", sample_cycle())
    out, err = io.StringIO(), io.StringIO()

    call_command("import_workbook", str(path), stdout=out, stderr=err)

    assert out.getvalue() == (
        "imported 2024: 3 counties, 2 units, 2 indicators, 4 rule items, 10 annual data rows, "
        "4 progress rows, 1 exemptions, 3 adjustments, 1 vetoes\n"
    )
    assert err.getvalue() == ""
    assert Cycle.objects.filter(year=2024).count() == 1


@pytest.mark.django_db
def test_import_workbook_command_problems_on_stderr_and_error(tmp_path):
    sheets = sample_cycle()
    _set("细则", 4, 5, "按比例")(sheets)
    _append("年度数据", ["999", "K01", 1, 1])(sheets)
    path = save_workbook(tmp_path / "bad.xlsx", sheets)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(path), stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        '细则!E4: unknown method "按比例"',
        '年度数据 row 12: unknown county code "999"',
    ]
    assert str(caught.value) == "nothing imported: 2 problems listed above"
    assert out.getvalue() == ""
    assert Cycle.objects.count() == 0


@pytest.mark.django_db
def test_import_workbook_command_one_problem_singular(tmp_path):
    sheets = sample_cycle()
    _set("细则", 4, 5, "按比例")(sheets)
    path = tmp_path / "one.xlsx"
    save_workbook(path, sheets)
    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(caught.value) == "nothing imported: 1 problem listed above"


@pytest.mark.django_db
def test_import_workbook_command_replace_flag(tmp_path):
    path = save_workbook(tmp_path / "2024.xlsx", sample_cycle())
    call_command("import_workbook", str(path), stdout=io.StringIO())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("参数!B2: the year 2024 exists already")

    call_command("import_workbook", str(path), "--replace", stdout=io.StringIO())

    assert Cycle.objects.count() == 1
