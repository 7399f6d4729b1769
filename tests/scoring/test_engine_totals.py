"""Indicator percent and points, exemptions, adjustments, totals and missing inputs."""

from decimal import Decimal as D

import pytest

from indicators.params import parse_params
from scoring.results.engine import (
    CycleSettings,
    IncompleteInputs,
    IndicatorSpec,
    InputProblem,
    ItemSpec,
    clip_adjustment,
    compute_cycle,
    round2,
)


def item(code, share, method="manual", params="", direction="higher"):
    return ItemSpec(code, D(share), method, parse_params(method, params, direction))


def indicator(code, weight, *items, direction="higher"):
    return IndicatorSpec(code, D(weight), direction, tuple(items))


def manual_cycle(scores, weights, **kwargs):
    """One manual item per indicator; ``scores`` maps county → {indicator code: score}."""
    indicators = [indicator(code, w, item(f"K{code}", "100")) for code, w in weights.items()]
    inputs = {
        (c, f"K{code}"): (D(value), None)
        for c, by_code in scores.items()
        for code, value in by_code.items()
    }
    return compute_cycle(counties=list(scores), indicators=indicators, inputs=inputs, **kwargs)


# --- indicator percent and points ------------------------------------------------------------


def two_indicator_cycle(**kwargs):
    indicators = [
        indicator("I1", "30", item("K1", "60", "ratio"), item("K2", "40")),
        indicator("I2", "70", item("K3", "100")),
    ]
    inputs = {
        ("A", "K1"): (D("90"), D("100")),
        ("A", "K2"): (D("75"), None),
        ("A", "K3"): (D("50"), None),
        ("B", "K1"): (D("80"), D("100")),
        ("B", "K2"): (D("50"), None),
        ("B", "K3"): (D("100"), None),
    }
    return compute_cycle(counties=["A", "B"], indicators=indicators, inputs=inputs, **kwargs)


def test_indicator_percent_is_share_weighted_item_scores():
    result = two_indicator_cycle()
    # A: 60 × 90 / 100 + 40 × 75 / 100 = 54 + 30; B: 48 + 20.
    assert result.percent[("A", "I1")] == D("84")
    assert result.percent[("B", "I1")] == D("68")
    assert result.percent[("A", "I2")] == D("50")
    assert result.item_scores == {
        ("A", "K1"): D("90"),
        ("A", "K2"): D("75"),
        ("B", "K1"): D("80"),
        ("B", "K2"): D("50"),
        ("A", "K3"): D("50"),
        ("B", "K3"): D("100"),
    }


def test_indicator_points_are_percent_times_weight():
    result = two_indicator_cycle()
    assert result.points[("A", "I1")] == D("25.2")  # 84 × 30 / 100
    assert result.points[("A", "I2")] == D("35")  # 50 × 70 / 100
    assert result.points[("B", "I1")] == D("20.4")
    assert result.points[("B", "I2")] == D("70")
    assert result.indicator_points == {"A": D("60.2"), "B": D("90.4")}
    assert result.total == {"A": D("60.20"), "B": D("90.40")}


def test_indicator_points_kept_exact_until_the_total():
    # 1/3 of the target on 3 items of a 10-point indicator: points are exact, only the total
    # is rounded.
    indicators = [
        indicator(
            "I1",
            "10",
            item("K1", "50", "ratio"),
            item("K2", "25", "ratio"),
            item("K3", "25", "ratio"),
        ),
        indicator("I2", "90", item("K4", "100")),
    ]
    inputs = {
        ("A", "K1"): (D("1"), D("3")),
        ("A", "K2"): (D("1"), D("3")),
        ("A", "K3"): (D("1"), D("3")),
        ("A", "K4"): (D("0"), None),
    }
    result = compute_cycle(counties=["A"], indicators=indicators, inputs=inputs)
    score = D("33.33333333333333333333333333")  # 100 × 1 / 3 at 28 digits
    assert result.item_scores[("A", "K1")] == score
    assert result.percent[("A", "I1")] == (D(50) * score + D(25) * score + D(25) * score) / 100
    assert result.total == {"A": D("3.33")}


# --- exemption -------------------------------------------------------------------------------


def test_exempt_indicator_scores_at_own_rate_on_the_others():
    result = two_indicator_cycle(exempt=[("B", "I2")])
    # B earned 20.4 of 30 on I1 (68 %): I2 is imputed 70 × 20.4 / 30 = 47.6.
    assert result.points[("B", "I2")] == D("47.6")
    assert result.total["B"] == D("68.00")
    assert ("B", "I2") not in result.percent
    assert ("B", "K3") not in result.item_scores
    assert result.total["A"] == D("60.20")


def test_exempt_imputation_over_several_indicators():
    result = manual_cycle(
        {"A": {"1": "75", "2": "66.6"}, "B": {"1": "50", "2": "50", "3": "10"}},
        {"1": "20", "2": "30", "3": "50"},
        exempt=[("A", "3")],
    )
    # A: P1 = 15, P2 = 19.98; P3 = 50 × 34.98 / 50 = 34.98.
    assert result.points[("A", "3")] == D("34.98")
    assert result.total["A"] == D("69.96")
    assert result.total["B"] == D("30.00")


def test_exempt_imputation_with_inexact_rate():
    result = manual_cycle(
        {"A": {"1": "100", "2": "0", "3": "0"}},
        {"1": "10", "2": "20", "3": "70"},
        exempt=[("A", "3")],
    )
    # own rate 10 / 30: P3 = 70 × 10 / 30 = 23.333…; total 33.333… → 33.33
    assert result.points[("A", "3")] == D("23.33333333333333333333333333")
    assert result.total["A"] == D("33.33")


def test_exempt_pair_needs_no_input():
    result = manual_cycle(
        {"A": {"1": "80"}, "B": {"1": "60", "2": "40"}},
        {"1": "50", "2": "50"},
        exempt=[("A", "2")],
    )
    assert result.total == {"A": D("80.00"), "B": D("50.00")}


def test_county_exempt_from_everything_is_refused():
    with pytest.raises(IncompleteInputs) as info:
        manual_cycle(
            {"A": {}, "B": {"1": "60", "2": "40"}},
            {"1": "50", "2": "50"},
            exempt=[("A", "1"), ("A", "2")],
        )
    assert info.value.all_exempt == ["A"]
    assert info.value.problems == []


# --- adjustments -----------------------------------------------------------------------------


def test_adjustments_summed_without_cap():
    result = manual_cycle(
        {"A": {"1": "80"}, "B": {"1": "80"}},
        {"1": "100"},
        adjustments={"A": [D("2"), D("-0.5"), D("1.5")], "B": [D("-3"), D("-2.25")]},
    )
    assert result.adjustment == {"A": D("3.0"), "B": D("-5.25")}
    assert result.total == {"A": D("83.00"), "B": D("74.75")}


def test_adjustments_clipped_to_cap_both_ways():
    result = manual_cycle(
        {"A": {"1": "80"}, "B": {"1": "80"}, "C": {"1": "80"}},
        {"1": "100"},
        adjustments={"A": [D("2"), D("1.5")], "B": [D("-5"), D("1")], "C": [D("1"), D("0.5")]},
        settings=CycleSettings(bonus_cap=D("2")),
    )
    assert result.adjustment == {"A": D("2"), "B": D("-2"), "C": D("1.5")}
    assert result.total == {"A": D("82.00"), "B": D("78.00"), "C": D("81.50")}


def test_adjustments_default_zero():
    result = manual_cycle({"A": {"1": "80"}}, {"1": "100"})
    assert result.adjustment == {"A": D("0")}


def test_clip_adjustment():
    assert clip_adjustment([], None) == D("0")
    assert clip_adjustment([D("3"), D("4")], D("5")) == D("5")
    assert clip_adjustment([D("-3"), D("-4")], D("5")) == D("-5")
    assert clip_adjustment([D("-3"), D("4")], D("0")) == D("0")


# --- totals ----------------------------------------------------------------------------------


def test_round2_half_up():
    assert round2(D("40.005")) == D("40.01")
    assert round2(D("40.0049999")) == D("40.00")
    assert round2(D("40.015")) == D("40.02")
    assert round2(D("-1.005")) == D("-1.01")


def test_total_rounds_half_up_at_five_thousandths():
    # 80.01 × 50 / 100 = 40.005 → 40.01 (half-even would give 40.00).
    result = manual_cycle({"A": {"1": "80.01", "2": "0"}}, {"1": "50", "2": "50"})
    assert result.indicator_points["A"] == D("40.005")
    assert result.total["A"] == D("40.01")


def test_total_rounds_after_adding_adjustment():
    # 40.005 − 0.01 = 39.995 → 40.00; the points are not rounded before the adjustment.
    result = manual_cycle(
        {"A": {"1": "80.01", "2": "0"}},
        {"1": "50", "2": "50"},
        adjustments={"A": [D("-0.01")]},
    )
    assert result.total["A"] == D("40.00")


def test_total_points_100():
    result = manual_cycle(
        {"A": {"1": "100", "2": "100"}, "B": {"1": "90", "2": "70"}}, {"1": "60", "2": "40"}
    )
    assert result.total == {"A": D("100.00"), "B": D("82.00")}


def test_total_points_1000():
    indicators = [
        indicator("I1", "600", item("K1", "100")),
        indicator("I2", "400", item("K2", "100", "ratio")),
    ]
    inputs = {
        ("A", "K1"): (D("90"), None),
        ("A", "K2"): (D("45"), D("50")),
        ("B", "K1"): (D("100"), None),
        ("B", "K2"): (D("50"), D("50")),
        ("C", "K1"): (D("50.005"), None),
        ("C", "K2"): (D("0"), D("50")),
    }
    result = compute_cycle(
        counties=["A", "B", "C"],
        indicators=indicators,
        inputs=inputs,
        settings=CycleSettings(total_points=D("1000")),
    )
    # A: 90 × 600 / 100 + 90 × 400 / 100 = 540 + 360; C: 50.005 × 6 = 300.03.
    assert result.total == {"A": D("900.00"), "B": D("1000.00"), "C": D("300.03")}
    assert result.rank == {"B": 1, "A": 2, "C": 3}
    # good line 800, fair line 600 (of 1000); quota floor(0.3 × 3) = 0.
    assert result.grade == {"A": "good", "B": "good", "C": "poor"}


# --- missing inputs --------------------------------------------------------------------------


def test_missing_inputs_listed_per_county_indicator_item():
    indicators = [
        indicator("I1", "50", item("K1", "50", "ratio"), item("K2", "50", "tiers", "tiers=1:100")),
        indicator("I2", "30", item("K3", "100", "linear")),
        indicator("I3", "20", item("K4", "100", "binary")),
    ]
    inputs = {
        ("A", "K1"): (D("1"), None),  # ratio without target
        ("A", "K2"): (D("1"), None),  # tiers need no target
        ("A", "K3"): (None, D("5")),  # linear without actual
        ("A", "K4"): (D("1"), D("1")),
        ("B", "K1"): (D("1"), D("2")),
        ("B", "K2"): (None, None),
        # B has no row at all for K3 (exempt from I2) and K4 (not exempt)
    }
    with pytest.raises(IncompleteInputs) as info:
        compute_cycle(
            counties=["A", "B"], indicators=indicators, inputs=inputs, exempt=[("B", "I2")]
        )
    assert sorted(info.value.problems, key=lambda p: (p.county, p.item, p.problem)) == [
        InputProblem("A", "I1", "K1", "missing_target"),
        InputProblem("A", "I2", "K3", "missing_actual"),
        InputProblem("B", "I1", "K2", "missing_actual"),
        InputProblem("B", "I3", "K4", "missing_actual"),
        InputProblem("B", "I3", "K4", "missing_target"),
    ]
    assert info.value.all_exempt == []


def test_missing_inputs_nothing_for_exempt_pairs():
    indicators = [
        indicator("I1", "50", item("K1", "100", "ratio")),
        indicator("I2", "50", item("K2", "100")),
    ]
    inputs = {("A", "K2"): (D("80"), None)}
    result = compute_cycle(
        counties=["A"], indicators=indicators, inputs=inputs, exempt=[("A", "I1")]
    )
    assert result.total == {"A": D("80.00")}


def test_invalid_inputs_refused():
    indicators = [
        indicator("I1", "50", item("K1", "100", "ratio")),
        indicator("I2", "50", item("K2", "100")),
    ]
    inputs = {
        ("A", "K1"): (D("5"), D("0")),
        ("A", "K2"): (D("100.01"), None),
        ("B", "K1"): (D("-1"), D("-2")),
        ("B", "K2"): (D("-0.5"), None),
    }
    with pytest.raises(IncompleteInputs) as info:
        compute_cycle(counties=["A", "B"], indicators=indicators, inputs=inputs)
    assert sorted(info.value.problems, key=lambda p: (p.county, p.item, p.problem)) == [
        InputProblem("A", "I1", "K1", "target_not_positive"),
        InputProblem("A", "I2", "K2", "manual_range"),
        InputProblem("B", "I1", "K1", "negative_actual"),
        InputProblem("B", "I1", "K1", "negative_target"),
        InputProblem("B", "I1", "K1", "target_not_positive"),
        InputProblem("B", "I2", "K2", "manual_range"),
        InputProblem("B", "I2", "K2", "negative_actual"),
    ]
