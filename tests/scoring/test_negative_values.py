"""Negative actuals and targets (spec/scoring.md, item score, first paragraph).

``linear``, ``rank``, ``tiers`` and ``binary`` take negative values (GDP growth −1.5 %) and
tier thresholds may be negative; ``ratio``, ``relative`` and ``deduction`` need a ≥ 0 (and
``ratio`` t > 0); ``manual`` stays within [0, 100].

The growth cycle below, worked out by hand (3 counties, total 100, four indicators of weight
25, all higher-is-better, one item each, share 100; P = score × 25 / 100):

- L1 linear per=2;cap=120: 101 −1.5 vs −2 → 100 + 2 × 0.5 = 101; 102 −3 vs 1 → 100 − 8 = 92;
  103 2 vs −0.5 → 100 + 5 = 105.
- R1 rank step=10: 103 (0.5) rank 1 → 100; 101 (−1.5) rank 2 → 90; 102 (−3) rank 3 → 80.
- T1 tiers=0:100,-2:80,-5:60: 101 −1.5 → 80; 102 −5 → 60 (on the threshold); 103 −6 → 0.
- B1 binary: 101 −1 vs −2 → 100; 102 −3 vs −2 → 0; 103 −2 vs −2 → 100.
- Totals: 101 = 25.25 + 22.5 + 20 + 25 = 92.75; 102 = 23 + 20 + 15 + 0 = 58;
  103 = 26.25 + 25 + 0 + 25 = 76.25.
"""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessment.models import Cycle
from indicators.params import parse_params
from scoring.models import AnnualInput, CountyResult, ItemScore
from scoring.results.engine import input_problems
from scoring.results.services import compute_results
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.factories import AnnualInputFactory, RuleItemFactory
from tests.workbooks import workbook_bytes


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def cycle_sheets(items, annual):
    """A one-year workbook: counties 101–103, one indicator of weight 100 / len(items) per
    item (higher is better), ``items`` = [(code, method, params)], ``annual`` = rows."""
    weight = D(100) / len(items)
    return {
        "参数": [["项目", "值"], ["年度", 2024], ["总分", 100]],
        "县区": [["代码", "名称"], ["101", "东城区"], ["102", "西城区"], ["103", "南城区"]],
        "责任单位": [["代码", "名称"], ["TJJ", "市统计局"]],
        "指标": [["代码", "名称", "类别", "分值", "责任单位", "方向"]]
        + [[f"I{code}", f"指标{code}", "经济发展", weight, "TJJ", "正向"] for code, *_ in items],
        "细则": [["指标代码", "项目代码", "项目名称", "占比", "计分方法", "参数"]]
        + [[f"I{code}", code, f"项目{code}", 100, m, params] for code, m, params in items],
        "年度数据": [["县区代码", "项目代码", "实际值", "目标值"], *annual],
    }


GROWTH_ITEMS = [
    ("L1", "linear", "per=2;cap=120"),
    ("R1", "rank", "step=10"),
    ("T1", "tiers", "tiers=0:100,-2:80,-5:60"),
    ("B1", "binary", ""),
]
GROWTH_ANNUAL = [
    ["101", "L1", -1.5, -2],
    ["102", "L1", -3, 1],
    ["103", "L1", 2, -0.5],
    ["101", "R1", -1.5, None],
    ["102", "R1", -3, None],
    ["103", "R1", 0.5, None],
    ["101", "T1", -1.5, None],
    ["102", "T1", -5, None],
    ["103", "T1", -6, None],
    ["101", "B1", -1, -2],
    ["102", "B1", -3, -2],
    ["103", "B1", -2, -2],
]


@pytest.mark.django_db
def test_negative_growth_imports_and_scores_as_the_spec_says():
    import_workbook(workbook_bytes(cycle_sheets(GROWTH_ITEMS, GROWTH_ANNUAL)))
    cycle = Cycle.objects.get(year=2024)
    assert AnnualInput.objects.get(county__code="101", item__code="L1").actual == D("-1.5")
    assert AnnualInput.objects.get(county__code="103", item__code="L1").target == D("-0.5")

    compute_results(cycle=cycle)

    assert {
        (s.county.code, s.item.code): s.score
        for s in ItemScore.objects.select_related("county", "item")
    } == {
        ("101", "L1"): D("101"),
        ("102", "L1"): D("92"),
        ("103", "L1"): D("105"),
        ("101", "R1"): D("90"),
        ("102", "R1"): D("80"),
        ("103", "R1"): D("100"),
        ("101", "T1"): D("80"),
        ("102", "T1"): D("60"),
        ("103", "T1"): D("0"),
        ("101", "B1"): D("100"),
        ("102", "B1"): D("0"),
        ("103", "B1"): D("100"),
    }
    assert {
        r.county.code: (r.total, r.rank) for r in CountyResult.objects.select_related("county")
    } == {"101": (D("92.75"), 1), "102": (D("58.00"), 3), "103": (D("76.25"), 2)}


@pytest.mark.parametrize(
    ("method", "params", "row", "expected"),
    [
        (
            "linear",
            "",
            ["101", "X1", -5.3, -2],
            [],
        ),
        ("rank", "", ["101", "X1", -5.3, None], []),
        ("tiers", "tiers=0:100,-10:50", ["101", "X1", -5.3, None], []),
        ("binary", "", ["101", "X1", -5.3, -5.3], []),
        ("ratio", "", ["101", "X1", -5.3, 100], ["年度数据!C2: must not be negative (-5.3)"]),
        (
            "ratio",
            "",
            ["101", "X1", 5.3, -1],
            ["年度数据!D2: the target of a completion-ratio item must be greater than 0 (-1)"],
        ),
        ("relative", "", ["101", "X1", -5.3, None], ["年度数据!C2: must not be negative (-5.3)"]),
        ("deduction", "", ["101", "X1", -1, None], ["年度数据!C2: must not be negative (-1)"]),
        (
            "manual",
            "",
            ["101", "X1", -0.5, None],
            ["年度数据!C2: a direct score must be within [0, 100] (-0.5)"],
        ),
    ],
)
@pytest.mark.django_db
def test_import_negative_value_accepted_or_refused_by_method(method, params, row, expected):
    sheets = cycle_sheets([("X1", method, params)], [row])
    if not expected:
        assert import_workbook(workbook_bytes(sheets)).annual_rows == 1
        return
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(workbook_bytes(sheets))
    assert caught.value.problems == expected


@pytest.mark.parametrize(
    ("method", "actual", "target", "problems"),
    [
        ("linear", D("-1.5"), D("-2"), []),
        ("rank", D("-1.5"), None, []),
        ("tiers", D("-1.5"), None, []),
        ("binary", D("-1.5"), D("-2"), []),
        ("binary", D("-1.5"), None, ["missing_target"]),
        ("ratio", D("-1"), D("100"), ["negative_actual"]),
        ("relative", D("-1"), None, ["negative_actual"]),
        ("deduction", D("-1"), None, ["negative_actual"]),
        ("manual", D("-1"), None, ["negative_actual", "manual_range"]),
    ],
)
def test_input_problems_negative_values_by_method(method, actual, target, problems):
    assert input_problems(method, actual, target) == problems


@pytest.mark.parametrize(
    ("direction", "text", "tiers"),
    [
        ("higher", "tiers=0:100,-2:80,-5.5:60", ((0, 100), (-2, 80), (D("-5.5"), 60))),
        ("lower", "tiers=-5:100,-2:80,1:60", ((-5, 100), (-2, 80), (1, 60))),
    ],
)
def test_params_tiers_negative_thresholds_accepted(direction, text, tiers):
    assert parse_params("tiers", text, direction).tiers == tuple((D(t), D(s)) for t, s in tiers)


@pytest.mark.django_db
def test_annual_input_clean_accepts_negative_growth():
    entry = AnnualInputFactory(item=RuleItemFactory(method="linear"), target=D("1"))
    entry.actual, entry.target = D("-1.5"), D("-2")

    entry.full_clean()


@pytest.mark.django_db
def test_annual_input_clean_refuses_negative_where_the_method_cannot_take_it():
    entry = AnnualInputFactory(item=RuleItemFactory(method="ratio"), target=D("100"))
    entry.actual, entry.target = D("-5.3"), D("0")

    with pytest.raises(ValidationError) as caught:
        entry.full_clean()

    assert caught.value.message_dict == {
        "actual": ["must not be negative (-5.3)"],
        "target": ["the target of a completion-ratio item must be greater than 0 (0)"],
    }
