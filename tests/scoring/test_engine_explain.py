"""The engine's explanation of a county's figures adds up to the figures it computed."""

from decimal import Decimal as D

from indicators.params import parse_params
from scoring.results.engine import (
    CycleSettings,
    IndicatorSpec,
    ItemSpec,
    compute_cycle,
    explain_county,
    round2,
)


def item(code, share, method="manual", params="", direction="higher"):
    return ItemSpec(code, D(share), method, parse_params(method, params, direction))


INDICATORS = [
    IndicatorSpec("GDP", D(30), "higher", (
        item("GDP1", 60, "ratio", "cap=120;floor=40"),
        item("GDP2", 40, "rank", "step=10"),
    )),
    IndicatorSpec("ENV", D(25), "lower", (
        item("ENV1", 50, "relative", "floor=50", "lower"),
        item("ENV2", 50, "linear", "base=90;per=2;cap=110", "lower"),
    )),
    IndicatorSpec("SAF", D(25), "higher", (item("SAF1", 100, "deduction", "per=12.5"),)),
    IndicatorSpec("EDU", D(20), "higher", (
        item("EDU1", 70, "tiers", "tiers=95:100,85:90,0:60"),
        item("EDU2", 30, "binary"),
    )),
]  # fmt: skip
COUNTIES = ["A", "B", "C", "D"]
INPUTS = {
    ("A", "GDP1"): (D("130"), D("100")), ("B", "GDP1"): (D("30"), D("100")),
    ("C", "GDP1"): (D("95"), D("100")), ("D", "GDP1"): (D("101"), D("97")),
    ("A", "GDP2"): (D("7.5"), None), ("B", "GDP2"): (D("-1.5"), None),
    ("C", "GDP2"): (D("7.5"), None), ("D", "GDP2"): (D("6"), None),
    ("A", "ENV1"): (D("40"), None), ("B", "ENV1"): (D("32"), None),
    ("C", "ENV1"): (D("70"), None), ("D", "ENV1"): (D("33"), None),
    ("A", "ENV2"): (D("3"), D("5")), ("B", "ENV2"): (D("20"), D("5")),
    ("C", "ENV2"): (D("5"), D("5")), ("D", "ENV2"): (D("4.5"), D("5")),
    ("A", "SAF1"): (D("1"), None), ("B", "SAF1"): (D("9"), None),
    ("C", "SAF1"): (D("0"), None),
    ("A", "EDU1"): (D("96"), None), ("B", "EDU1"): (D("80"), None),
    ("C", "EDU1"): (D("86"), None), ("D", "EDU1"): (D("99"), None),
    ("A", "EDU2"): (D("1"), D("1")), ("B", "EDU2"): (D("0"), D("1")),
    ("C", "EDU2"): (D("1"), D("1")), ("D", "EDU2"): (D("1"), D("1")),
}  # fmt: skip
ARGUMENTS = {
    "counties": COUNTIES,
    "indicators": INDICATORS,
    "inputs": INPUTS,
    "exempt": {("D", "SAF")},
    "adjustments": {"A": [D("2"), D("1.5")], "B": [D("-0.5")]},
    "vetoed": {"C"},
    "settings": CycleSettings(excellent_ratio=D("0.5"), bonus_cap=D("3")),
}


def test_explanation_adds_up_to_the_computed_figures_for_every_county():
    result = compute_cycle(**ARGUMENTS)
    for county in COUNTIES:
        e = explain_county(county=county, result=result, **ARGUMENTS)
        for ind in e.indicators:
            if ind.exempt:
                assert ind.points == ind.weight * ind.earned / ind.possible
            else:
                assert sum(i.contribution for i in ind.items) == ind.percent
                assert ind.points == ind.percent * ind.weight / 100
                for i in ind.items:
                    assert i.score == result.item_scores[(county, i.code)]
            assert ind.points == result.points[(county, ind.code)]
        assert sum(ind.points for ind in e.indicators) == e.indicator_points
        assert round2(e.indicator_points + e.adjustment) == e.total == result.total[county]
        assert (e.rank, e.grade) == (result.rank[county], result.grade[county])


def test_explanation_fills_each_formula_with_its_figures():
    result = compute_cycle(**ARGUMENTS)
    e = explain_county(county="A", result=result, **ARGUMENTS)
    gdp, env, saf, edu = e.indicators
    assert gdp.items[0].steps == [
        ("ratio_higher", {"a": D("130"), "t": D("100"), "raw": D("130")}),
        ("cap", {"value": D("130"), "cap": D("120")}),
    ]
    assert gdp.items[1].steps == [
        ("rank_higher", {"a": D("7.5"), "rank": 1, "n": 4, "step": D("10"), "raw": D("100")}),
    ]
    assert env.items[0].steps == [
        ("relative_lower", {"a": D("40"), "best": D("32"), "raw": D("80")}),
    ]
    linear = {"a": D("3"), "t": D("5"), "base": D("90"), "per": D("2"), "raw": D("94")}
    assert env.items[1].steps == [("linear_lower", linear)]
    assert saf.items[0].steps == [("deduction", {"a": D("1"), "per": D("12.5"), "raw": D("87.5")})]
    assert edu.items[0].steps == [
        ("tier_higher", {"a": D("96"), "threshold": D("95"), "score": D("100")})
    ]
    assert edu.items[1].steps == [("binary_higher_pass", {"a": D("1"), "t": D("1")})]
    # Adjustments 2 + 1.5 = 3.5, kept within ±3.
    assert (e.adjustment_sum, e.adjustment) == (D("3.5"), D("3"))


def test_explanation_records_floors_and_the_exemption():
    result = compute_cycle(**ARGUMENTS)
    b = explain_county(county="B", result=result, **ARGUMENTS)
    assert b.indicators[0].items[0].steps == [
        ("ratio_higher", {"a": D("30"), "t": D("100"), "raw": D("30")}),
        ("floor", {"value": D("30"), "floor": D("40")}),
    ]
    assert b.indicators[2].items[0].steps == [
        ("deduction", {"a": D("9"), "per": D("12.5"), "raw": D("-12.5")}),
        ("floor", {"value": D("-12.5"), "floor": D("0")}),
    ]
    d = explain_county(county="D", result=result, **ARGUMENTS)
    saf = d.indicators[2]
    assert (saf.exempt, saf.possible) == (True, D("75"))


def test_explanation_walks_the_quota_by_groups():
    result = compute_cycle(**ARGUMENTS)
    e = explain_county(county="A", result=result, **ARGUMENTS)
    # N = 4, p = 0.5 → quota 2; C is vetoed and never a candidate.
    assert e.walk[0] == ("quota", {"n": 4, "ratio": D("0.5"), "quota": 2, "line": None})
    taken = [step for step in e.walk if step[0] == "group_taken"]
    assert sum(len(figures["counties"]) for _code, figures in taken) <= 2
    assert all("C" not in figures["counties"] for _code, figures in e.walk[1:])
    excellent = sorted(c for c, g in result.grade.items() if g == "excellent")
    assert sorted(c for _code, figures in taken for c in figures["counties"]) == excellent
