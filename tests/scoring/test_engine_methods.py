"""The eight item-scoring methods of spec/scoring.md, both directions, every edge the spec names.

Expected values are worked out by hand from the table of the spec, in Decimal.
"""

from decimal import Decimal as D

import pytest

from indicators.params import parse_params
from scoring.results.engine import (
    IndicatorSpec,
    ItemSpec,
    compute_cycle,
    item_scores,
    score_one,
)


def scores(method, params, direction, actuals, targets=None):
    """item_scores over ``actuals`` (county → a), parameters parsed as a rule would be."""
    parsed = parse_params(method, params, direction)
    return item_scores(method, parsed, direction, actuals, targets or {})


def one(method, params, direction, actual, target=None):
    return scores(method, params, direction, {"A": actual}, {"A": target})["A"]


# --- manual ----------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_manual_score_is_actual_in_both_directions(direction):
    assert one("manual", "", direction, D("87.5")) == D("87.5")
    assert one("manual", "", direction, D("0")) == D("0")
    assert one("manual", "", direction, D("100")) == D("100")


# --- ratio -----------------------------------------------------------------------------------


def test_ratio_higher_default_is_percent_of_target():
    assert one("ratio", "", "higher", D("80"), D("100")) == D("80")
    assert one("ratio", "", "higher", D("2"), D("3")) == D("66.66666666666666666666666667")


def test_ratio_higher_default_caps_overachievement_at_100():
    assert one("ratio", "", "higher", D("150"), D("100")) == D("100")


def test_ratio_higher_cap_120_credits_overachievement_up_to_cap():
    assert one("ratio", "cap=120", "higher", D("110"), D("100")) == D("110")
    assert one("ratio", "cap=120", "higher", D("150"), D("100")) == D("120")


def test_ratio_higher_floor_lifts_low_scores():
    assert one("ratio", "cap=120;floor=40", "higher", D("30"), D("100")) == D("40")
    assert one("ratio", "cap=120;floor=40", "higher", D("0"), D("100")) == D("40")
    assert one("ratio", "cap=120;floor=40", "higher", D("41"), D("100")) == D("41")


def test_ratio_lower_is_target_over_actual():
    assert one("ratio", "", "lower", D("125"), D("100")) == D("80")
    assert one("ratio", "cap=120", "lower", D("90"), D("100")) == D("111.1111111111111111111111111")


def test_ratio_lower_below_target_is_capped():
    assert one("ratio", "", "lower", D("80"), D("100")) == D("100")
    assert one("ratio", "cap=120", "lower", D("50"), D("100")) == D("120")


def test_ratio_lower_zero_actual_scores_cap():
    assert one("ratio", "", "lower", D("0"), D("100")) == D("100")
    assert one("ratio", "cap=120", "lower", D("0"), D("100")) == D("120")
    assert one("ratio", "cap=150;floor=40", "lower", D("0"), D("5")) == D("150")


def test_ratio_lower_floor_lifts_low_scores():
    assert one("ratio", "floor=40", "lower", D("400"), D("100")) == D("40")


# --- relative --------------------------------------------------------------------------------


def test_relative_higher_against_the_best():
    got = scores("relative", "", "higher", {"A": D("50"), "B": D("100"), "C": D("0")})
    assert got == {"A": D("50"), "B": D("100"), "C": D("0")}


def test_relative_higher_floor():
    got = scores("relative", "floor=60", "higher", {"A": D("50"), "B": D("100"), "C": D("70")})
    assert got == {"A": D("60"), "B": D("100"), "C": D("70")}


def test_relative_higher_all_zero_scores_100_for_all():
    got = scores("relative", "", "higher", {"A": D("0"), "B": D("0"), "C": D("0")})
    assert got == {"A": D("100"), "B": D("100"), "C": D("100")}


def test_relative_lower_against_the_smallest():
    got = scores("relative", "", "lower", {"A": D("20"), "B": D("40"), "C": D("80")})
    assert got == {"A": D("100"), "B": D("50"), "C": D("25")}


def test_relative_lower_zero_actual_scores_100_and_others_zero():
    # min(a) = 0: the county at 0 scores 100, every other 100 × 0 / a = 0.
    got = scores("relative", "", "lower", {"A": D("20"), "B": D("40"), "C": D("0")})
    assert got == {"A": D("0"), "B": D("0"), "C": D("100")}


def test_relative_lower_zero_actual_with_floor():
    got = scores("relative", "floor=30", "lower", {"A": D("20"), "B": D("0")})
    assert got == {"A": D("30"), "B": D("100")}


# --- linear ----------------------------------------------------------------------------------


def test_linear_higher_defaults_one_point_per_unit():
    assert one("linear", "", "higher", D("8"), D("10")) == D("98")
    assert one("linear", "", "higher", D("12"), D("10")) == D("100")
    assert one("linear", "", "higher", D("10"), D("10")) == D("100")


def test_linear_higher_base_per_cap():
    params = "base=80;per=0.5;cap=120"
    assert one("linear", params, "higher", D("30"), D("10")) == D("90.0")
    assert one("linear", params, "higher", D("60"), D("10")) == D("105.0")
    # 80 + 0.5 × 90 = 125 → clipped to the cap 120.
    assert one("linear", params, "higher", D("100"), D("10")) == D("120")


def test_linear_higher_clipped_at_floor():
    assert one("linear", "base=80;per=0.5", "higher", D("0"), D("200")) == D("0")
    assert one("linear", "base=80;per=0.5;floor=60", "higher", D("0"), D("200")) == D("60")
    assert one("linear", "base=80;per=0.5;floor=60", "higher", D("0"), D("30")) == D("65.0")


def test_linear_lower_rewards_being_below_target():
    params = "base=80;per=0.5;cap=120"
    assert one("linear", params, "lower", D("8"), D("10")) == D("81.0")
    assert one("linear", params, "lower", D("12"), D("10")) == D("79.0")
    assert one("linear", params, "lower", D("0"), D("100")) == D("120")
    assert one("linear", "", "lower", D("8"), D("10")) == D("100")
    assert one("linear", "floor=60", "lower", D("60"), D("10")) == D("60")


# --- rank ------------------------------------------------------------------------------------


def test_rank_higher_competition_ranking_with_ties():
    got = scores("rank", "", "higher", {"A": D("90"), "B": D("80"), "C": D("80"), "D": D("70")})
    # ranks 1, 2, 2, 4 → 100, 95, 95, 85
    assert got == {"A": D("100"), "B": D("95"), "C": D("95"), "D": D("85")}


def test_rank_lower_ranks_ascending():
    got = scores("rank", "", "lower", {"A": D("1"), "B": D("2"), "C": D("2"), "D": D("3")})
    assert got == {"A": D("100"), "B": D("95"), "C": D("95"), "D": D("85")}


def test_rank_step_and_floor():
    actuals = {f"C{n:02d}": D(100 - n) for n in range(1, 13)}  # C01 best … C12 worst
    got = scores("rank", "step=4;floor=60", "higher", actuals)
    assert got["C01"] == D("100")
    assert got["C02"] == D("96")
    assert got["C10"] == D("64")
    assert got["C11"] == D("60")
    assert got["C12"] == D("60")  # 100 − 4 × 11 = 56 < floor


def test_rank_without_floor_can_reach_zero():
    actuals = {f"C{n:02d}": D(n) for n in range(1, 23)}  # lower: C01 is first
    got = scores("rank", "", "lower", actuals)
    assert got["C21"] == D("0")  # 100 − 5 × 20
    assert got["C22"] == D("0")  # 100 − 5 × 21 = −5 → max(−5, 0)


def _cycle_with_exempt_z(method, direction, actuals):
    """I1 carries ``method``; county Z is exempt from I1 yet has the best actual on it."""
    counties = [*actuals, "Z"]
    item = ItemSpec("K1", D("100"), method, parse_params(method, "", direction))
    other = ItemSpec("K2", D("100"), "manual", parse_params("manual", ""))
    inputs = {(c, "K1"): (a, None) for c, a in actuals.items()}
    inputs[("Z", "K1")] = (D("1000") if direction == "higher" else D("0"), None)
    inputs.update({(c, "K2"): (D("50"), None) for c in counties})
    return compute_cycle(
        counties=counties,
        indicators=[
            IndicatorSpec("I1", D("50"), direction, (item,)),
            IndicatorSpec("I2", D("50"), "higher", (other,)),
        ],
        inputs=inputs,
        exempt=[("Z", "I1")],
    )


def test_relative_excludes_exempt_counties_from_the_best():
    # Z would be the best with 1000, but it is exempt from I1.
    result = _cycle_with_exempt_z("relative", "higher", {"A": D("50"), "B": D("100")})
    assert result.item_scores[("A", "K1")] == D("50")
    assert result.item_scores[("B", "K1")] == D("100")
    assert ("Z", "K1") not in result.item_scores


def test_rank_excludes_exempt_counties():
    result = _cycle_with_exempt_z("rank", "higher", {"A": D("50"), "B": D("100")})
    assert result.item_scores[("B", "K1")] == D("100")
    assert result.item_scores[("A", "K1")] == D("95")
    assert ("Z", "K1") not in result.item_scores


def test_relative_lower_excludes_exempt_counties_from_the_best():
    # Z would set min(a) = 0, but it is exempt from I1: the best is A with 20.
    result = _cycle_with_exempt_z("relative", "lower", {"A": D("20"), "B": D("40")})
    assert result.item_scores[("A", "K1")] == D("100")
    assert result.item_scores[("B", "K1")] == D("50")


def test_rank_lower_excludes_exempt_counties():
    result = _cycle_with_exempt_z("rank", "lower", {"A": D("20"), "B": D("40")})
    assert result.item_scores[("A", "K1")] == D("100")
    assert result.item_scores[("B", "K1")] == D("95")


# --- deduction -------------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_deduction_default_ten_per_occurrence(direction):
    assert one("deduction", "", direction, D("0")) == D("100")
    assert one("deduction", "", direction, D("3")) == D("70")
    assert one("deduction", "", direction, D("10")) == D("0")


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_deduction_never_below_zero(direction):
    assert one("deduction", "", direction, D("12")) == D("0")
    assert one("deduction", "per=12.5", direction, D("9")) == D("0")


def test_deduction_per_parameter():
    assert one("deduction", "per=12.5", "higher", D("3")) == D("62.5")


# --- tiers -----------------------------------------------------------------------------------

SPEC_TIERS = "tiers=95:100,85:90,70:75,0:60"


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D("100"), D("100")),
        (D("95"), D("100")),
        (D("94.99"), D("90")),
        (D("85"), D("90")),
        (D("70"), D("75")),
        (D("69.99"), D("60")),
        (D("0"), D("60")),
    ],
)
def test_tiers_higher_first_match(actual, expected):
    assert one("tiers", SPEC_TIERS, "higher", actual) == expected


def test_tiers_higher_none_matches_scores_zero():
    assert one("tiers", "tiers=90:100,60:80", "higher", D("59.99")) == D("0")


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (D("0"), D("100")),
        (D("5"), D("100")),
        (D("5.01"), D("80")),
        (D("10"), D("80")),
        (D("20"), D("60")),
        (D("20.01"), D("0")),
    ],
)
def test_tiers_lower_first_match_at_or_below(actual, expected):
    assert one("tiers", "tiers=5:100,10:80,20:60", "lower", actual) == expected


def test_tiers_can_score_above_100():
    assert one("tiers", "tiers=100:120,80:100", "higher", D("100")) == D("120")
    assert one("tiers", "tiers=100:120,80:100", "higher", D("99")) == D("100")


def test_tiers_equal_scores_in_order_given():
    # Scores may stay level; the first tier that matches wins.
    assert one("tiers", "tiers=90:80,50:80,0:10", "higher", D("60")) == D("80")
    assert one("tiers", "tiers=90:80,50:80,0:10", "higher", D("49")) == D("10")


# --- binary ----------------------------------------------------------------------------------


def test_binary_higher_equality_passes():
    assert one("binary", "", "higher", D("10"), D("10")) == D("100")
    assert one("binary", "", "higher", D("10.5"), D("10")) == D("100")
    assert one("binary", "", "higher", D("9.99"), D("10")) == D("0")


def test_binary_lower_equality_passes():
    assert one("binary", "", "lower", D("10"), D("10")) == D("100")
    assert one("binary", "", "lower", D("9"), D("10")) == D("100")
    assert one("binary", "", "lower", D("10.01"), D("10")) == D("0")


def test_binary_zero_target():
    assert one("binary", "", "higher", D("0"), D("0")) == D("100")
    assert one("binary", "", "lower", D("0.01"), D("0")) == D("0")


# --- plumbing --------------------------------------------------------------------------------


def test_score_one_refuses_comparative_methods():
    with pytest.raises(ValueError, match="relative compares counties"):
        score_one("relative", parse_params("relative", ""), "higher", D("1"), None)


def test_item_scores_empty_item_is_empty():
    assert scores("relative", "", "higher", {}) == {}
    assert scores("rank", "", "lower", {}) == {}
