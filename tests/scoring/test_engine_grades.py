"""Ranking and grades: vetoes, the excellence quota by groups, the lines."""

from decimal import Decimal as D

from indicators.params import parse_params
from scoring.results.engine import (
    CycleSettings,
    IndicatorSpec,
    ItemSpec,
    assign_grades,
    competition_rank,
    compute_cycle,
)


def totals(*values):
    """County codes C01, C02, … for the given totals."""
    return {f"C{n:02d}": D(v) for n, v in enumerate(values, start=1)}


def grades_of(grades, wanted):
    return sorted(c for c, g in grades.items() if g == wanted)


def manual_cycle(scores, **kwargs):
    spec = IndicatorSpec(
        "I1", D("100"), "higher", (ItemSpec("K1", D("100"), "manual", parse_params("manual", "")),)
    )
    inputs = {(c, "K1"): (D(v), None) for c, v in scores.items()}
    return compute_cycle(counties=list(scores), indicators=[spec], inputs=inputs, **kwargs)


# --- ranking ---------------------------------------------------------------------------------


def test_rank_competition_one_two_two_four():
    result = manual_cycle({"A": "90", "B": "80", "C": "80", "D": "70", "E": "70", "F": "10"})
    assert result.rank == {"A": 1, "B": 2, "C": 2, "D": 4, "E": 4, "F": 6}


def test_competition_rank_ascending():
    ranks = competition_rank({"A": D("1"), "B": D("2"), "C": D("2"), "D": D("3")}, descending=False)
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4}


def test_competition_rank_equal_decimals_of_different_exponents_tie():
    assert competition_rank({"A": D("80"), "B": D("80.00"), "C": D("79.99")}) == {
        "A": 1,
        "B": 1,
        "C": 3,
    }


# --- vetoes ----------------------------------------------------------------------------------


def test_veto_keeps_rank_and_is_poor_even_when_first():
    result = manual_cycle({"A": "99", "B": "95", "C": "85", "D": "70", "E": "50"}, vetoed=["A"])
    assert result.rank == {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}
    # quota floor(0.3 × 5) = 1 goes to B, the best non-vetoed county.
    assert result.grade == {"A": "poor", "B": "excellent", "C": "good", "D": "fair", "E": "poor"}


def test_quota_counts_vetoed_counties():
    # N = 10 → q = floor(0.3 × 10) = 3; without the 4 vetoed ones it would be floor(1.8) = 1.
    t = totals("95", "94", "93", "92", "91", "90", "50", "50", "50", "50")
    grades = assign_grades(t, ["C07", "C08", "C09", "C10"], CycleSettings())
    assert grades_of(grades, "excellent") == ["C01", "C02", "C03"]
    assert grades_of(grades, "good") == ["C04", "C05", "C06"]
    assert grades_of(grades, "poor") == ["C07", "C08", "C09", "C10"]


def test_vetoed_top_county_does_not_use_quota():
    t = totals("99", "98", "97", "96", "95", "60", "60", "60", "60", "60")
    grades = assign_grades(t, ["C01", "C02"], CycleSettings())
    assert grades_of(grades, "excellent") == ["C03", "C04", "C05"]
    assert grades["C01"] == "poor"
    assert grades["C02"] == "poor"


# --- the excellence quota --------------------------------------------------------------------


def test_quota_floor_of_ratio_times_n():
    # floor(0.3 × 9) = 2
    t = totals("99", "98", "97", "96", "95", "94", "93", "92", "91")
    assert grades_of(assign_grades(t, [], CycleSettings()), "excellent") == ["C01", "C02"]
    # floor(0.25 × 9) = 2, floor(0.35 × 9) = 3
    assert (
        len(grades_of(assign_grades(t, [], CycleSettings(excellent_ratio=D("0.25"))), "excellent"))
        == 2
    )
    assert (
        len(grades_of(assign_grades(t, [], CycleSettings(excellent_ratio=D("0.35"))), "excellent"))
        == 3
    )


def test_quota_zero_gives_no_excellent():
    t = totals("99", "98", "97")  # floor(0.3 × 3) = 0
    grades = assign_grades(t, [], CycleSettings())
    assert grades == {"C01": "good", "C02": "good", "C03": "good"}


def test_quota_tie_group_at_boundary_does_not_fit():
    # q = 3: 95 and 94 take 2; the group 93, 93 does not fit in the 1 left → 2 excellent.
    t = totals("95", "94", "93", "93", "92", "91", "90", "89", "88", "87")
    grades = assign_grades(t, [], CycleSettings())
    assert grades_of(grades, "excellent") == ["C01", "C02"]
    assert grades["C03"] == "good"
    assert grades["C04"] == "good"


def test_quota_walk_stops_at_first_group_that_does_not_fit():
    # q = 3: 95 takes 1; the group of three at 93 does not fit in 2 → stop; 90 would fit
    # but the walk has stopped.
    t = totals("95", "93", "93", "93", "90", "80", "70", "60", "50", "40")
    grades = assign_grades(t, [], CycleSettings())
    assert grades_of(grades, "excellent") == ["C01"]
    assert grades["C05"] == "good"


def test_quota_tie_group_that_fits_exactly():
    t = totals("95", "94", "94", "92", "91", "90", "89", "88", "87", "86")
    grades = assign_grades(t, [], CycleSettings())
    assert grades_of(grades, "excellent") == ["C01", "C02", "C03"]


def test_quota_tie_at_the_top_larger_than_quota_gives_none():
    t = totals("95", "95", "95", "95", "91", "90", "89", "88", "87", "86")
    grades = assign_grades(t, [], CycleSettings())
    assert grades_of(grades, "excellent") == []
    assert grades_of(grades, "good") == [f"C{n:02d}" for n in range(1, 11)]


def test_ratio_one_means_no_quota():
    t = totals("95", "95", "81", "79", "30")
    grades = assign_grades(t, ["C02"], CycleSettings(excellent_ratio=D("1")))
    assert grades == {
        "C01": "excellent",
        "C02": "poor",
        "C03": "excellent",
        "C04": "excellent",
        "C05": "excellent",
    }


def test_ratio_one_with_excellence_line():
    t = totals("95", "90", "89.99", "50")
    grades = assign_grades(t, [], CycleSettings(excellent_ratio=D("1"), excellent_line=D("0.9")))
    assert grades == {"C01": "excellent", "C02": "excellent", "C03": "good", "C04": "poor"}


# --- the excellence line ---------------------------------------------------------------------


def test_excellence_line_limits_candidates():
    # q = floor(0.5 × 6) = 3, but only totals ≥ 90 may be excellent.
    t = totals("95", "90", "89.99", "85", "70", "50")
    settings = CycleSettings(excellent_ratio=D("0.5"), excellent_line=D("0.9"))
    grades = assign_grades(t, [], settings)
    assert grades == {
        "C01": "excellent",
        "C02": "excellent",
        "C03": "good",
        "C04": "good",
        "C05": "fair",
        "C06": "poor",
    }


def test_excellence_line_rounded_half_up_of_x_times_t():
    # round2(0.85555 × 100) = round2(85.555) = 85.56
    t = totals("85.56", "85.55")
    grades = assign_grades(
        t, [], CycleSettings(excellent_ratio=D("1"), excellent_line=D("0.85555"))
    )
    assert grades == {"C01": "excellent", "C02": "good"}


def test_excellence_line_with_total_points_1000():
    t = totals("900", "899.99", "500")
    settings = CycleSettings(
        total_points=D("1000"), excellent_ratio=D("1"), excellent_line=D("0.9")
    )
    assert assign_grades(t, [], settings) == {"C01": "excellent", "C02": "good", "C03": "poor"}


# --- good, fair, poor ------------------------------------------------------------------------


def test_lines_at_exact_equality():
    t = totals("80", "79.99", "60", "59.99")
    grades = assign_grades(t, [], CycleSettings(excellent_ratio=D("0")))
    assert grades == {"C01": "good", "C02": "fair", "C03": "fair", "C04": "poor"}


def test_lines_with_total_points_1000():
    t = totals("800", "799.99", "600", "599.99")
    grades = assign_grades(t, [], CycleSettings(total_points=D("1000"), excellent_ratio=D("0")))
    assert grades == {"C01": "good", "C02": "fair", "C03": "fair", "C04": "poor"}


def test_lines_rounded_half_up_of_line_times_t():
    # good: round2(0.85555 × 100) = round2(85.555) = 85.56;
    # fair: round2(0.60045 × 100) = round2(60.045) = 60.05
    t = totals("85.56", "85.55", "60.05", "60.04")
    settings = CycleSettings(excellent_ratio=D("0"), good_line=D("0.85555"), fair_line=D("0.60045"))
    assert assign_grades(t, [], settings) == {
        "C01": "good",
        "C02": "fair",
        "C03": "fair",
        "C04": "poor",
    }


def test_counties_left_by_the_quota_get_line_grades():
    # q = 1; C02 is above the good line but not excellent.
    t = totals("95", "90", "70", "40")
    settings = CycleSettings(excellent_ratio=D("0.25"))
    assert assign_grades(t, [], settings) == {
        "C01": "excellent",
        "C02": "good",
        "C03": "fair",
        "C04": "poor",
    }
