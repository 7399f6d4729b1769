"""Published statistics per indicator: top and bottom three with ties, highest, lowest, average."""

from decimal import Decimal as D

from indicators.params import parse_params
from scoring.results.engine import (
    IndicatorSpec,
    IndicatorStats,
    ItemSpec,
    compute_cycle,
    indicator_statistics,
)


def points(**values):
    return {c: D(v) for c, v in values.items()}


def test_stats_plain_top_and_bottom_three():
    stats = indicator_statistics(points(A="10", B="9", C="8", D="7", E="6"))
    assert stats == IndicatorStats(
        highest=D("10"),
        lowest=D("6"),
        average=D("8.00"),
        top=("A", "B", "C"),
        bottom=("E", "D", "C"),
    )


def test_stats_ties_at_third_place_all_included_ordered_by_code():
    # D is inserted before C: the tie is ordered by code, not by input order.
    stats = indicator_statistics(points(A="10", B="9", D="8", C="8", E="7"))
    assert stats.top == ("A", "B", "C", "D")
    # ascending: E 1, C 2, D 2, B 4
    assert stats.bottom == ("E", "C", "D")


def test_stats_ties_in_second_place_push_third_out():
    # ranks 1, 2, 2, 2, 5: four counties in the top three, the fifth is out.
    stats = indicator_statistics(points(A="10", B="9", C="9", D="9", E="1"))
    assert stats.top == ("A", "B", "C", "D")
    assert stats.bottom == ("E", "B", "C", "D")


def test_stats_bottom_ties_more_than_three():
    stats = indicator_statistics(points(A="10", E="5", D="5", C="5", B="5"))
    assert stats.bottom == ("B", "C", "D", "E")
    assert stats.top == ("A", "B", "C", "D", "E")


def test_stats_tie_at_first_place_both_ways():
    stats = indicator_statistics(points(B="7", A="7", C="3", D="2", E="1"))
    assert stats.top == ("A", "B", "C")
    assert stats.bottom == ("E", "D", "C")


def test_stats_on_rounded_points():
    # round2: A 8.00, B 8.00 tie at third place; on the exact values B would be fourth.
    stats = indicator_statistics(points(C="9", D="8.5", A="8.004", B="8.001", E="6"))
    assert stats.top == ("C", "D", "A", "B")
    assert stats.highest == D("9.00")
    assert stats.lowest == D("6.00")


def test_stats_highest_lowest_average_of_rounded_points():
    stats = indicator_statistics(points(A="10.005", B="9.994", C="5"))
    # round2: 10.01, 9.99, 5.00 → mean 25 / 3 = 8.333… → 8.33
    assert stats.highest == D("10.01")
    assert stats.lowest == D("5.00")
    assert stats.average == D("8.33")


def test_stats_average_rounds_half_up():
    stats = indicator_statistics(points(A="1.00", B="1.01"))
    assert stats.average == D("1.01")  # mean 1.005
    stats = indicator_statistics(points(A="2", B="2.01", C="2.02", D="2.01"))
    assert stats.average == D("2.01")  # mean 2.01


def test_stats_single_county():
    stats = indicator_statistics(points(A="4.2"))
    assert stats == IndicatorStats(
        highest=D("4.20"), lowest=D("4.20"), average=D("4.20"), top=("A",), bottom=("A",)
    )


def test_stats_empty_is_none():
    assert indicator_statistics({}) is None


def _manual(code, weight):
    return IndicatorSpec(
        code,
        D(weight),
        "higher",
        (ItemSpec(f"K{code}", D("100"), "manual", parse_params("manual", "")),),
    )


def test_stats_exclude_exempt_counties():
    scores = {
        "A": {"1": "90", "2": "10"},
        "B": {"1": "80", "2": "20"},
        "C": {"1": "70", "2": "30"},
        "D": {"1": "60", "2": "40"},
        "E": {"2": "100"},  # exempt from indicator 1: imputed 10 points there, unpublished
    }
    inputs = {
        (c, f"K{code}"): (D(v), None)
        for c, by_code in scores.items()
        for code, v in by_code.items()
    }
    result = compute_cycle(
        counties=list(scores),
        indicators=[_manual("1", "10"), _manual("2", "90")],
        inputs=inputs,
        exempt=[("E", "1")],
    )
    assert result.points[("E", "1")] == D("10")
    assert result.stats["1"] == IndicatorStats(
        highest=D("9.00"),
        lowest=D("6.00"),
        average=D("7.50"),  # (9 + 8 + 7 + 6) / 4
        top=("A", "B", "C"),
        bottom=("D", "C", "B"),
    )
    assert result.stats["2"].top == ("E", "D", "C")
    assert result.stats["2"].highest == D("90.00")
    assert ("E", "1") not in result.indicator_rank
    assert result.indicator_rank[("A", "1")] == 1


def test_stats_indicator_every_county_exempt_has_none():
    inputs = {("A", "K2"): (D("50"), None)}
    result = compute_cycle(
        counties=["A"],
        indicators=[_manual("1", "10"), _manual("2", "90")],
        inputs=inputs,
        exempt=[("A", "1")],
    )
    assert "1" not in result.stats
    assert result.stats["2"].average == D("45.00")
