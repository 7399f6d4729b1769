"""Parameter validation of spec/scoring.md: every error class, all problems at once, examples."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from indicators.params import ParamError, Params, parse_params


@pytest.fixture(autouse=True)
def english():
    # The messages are English msgids; pin the language so a compiled catalogue cannot move them.
    with translation.override("en"):
        yield


def errors(method, text, direction="higher"):
    with pytest.raises(ParamError) as info:
        parse_params(method, text, direction)
    return info.value.messages


# --- accepted examples of the spec -----------------------------------------------------------


def test_params_spec_example_rank_step_floor():
    params = parse_params("rank", "step=4;floor=60")
    assert params.values == {"step": D("4"), "floor": D("60")}


def test_params_spec_example_deduction_per():
    assert parse_params("deduction", "per=12.5").values == {"per": D("12.5")}


def test_params_spec_example_ratio_cap_floor():
    params = parse_params("ratio", "cap=120;floor=40")
    assert params.values == {"cap": D("120"), "floor": D("40")}
    assert params.cap == D("120")


def test_params_spec_example_linear_base_per_cap():
    params = parse_params("linear", "base=80;per=0.5;cap=120")
    assert params.values == {"base": D("80"), "per": D("0.5"), "cap": D("120"), "floor": D("0")}


def test_params_spec_example_tiers():
    params = parse_params("tiers", "tiers=95:100,85:90,70:75,0:60")
    assert params.tiers == (
        (D("95"), D("100")),
        (D("85"), D("90")),
        (D("70"), D("75")),
        (D("0"), D("60")),
    )
    assert params.cap == D("100")


def test_params_tiers_lower_ascending_thresholds_accepted():
    params = parse_params("tiers", "tiers=5:100,10:80,20:60", "lower")
    assert params.tiers == ((D("5"), D("100")), (D("10"), D("80")), (D("20"), D("60")))


def test_params_tiers_cap_is_highest_tier_score():
    assert parse_params("tiers", "tiers=100:120,80:100").cap == D("120")


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("manual", {}),
        ("ratio", {"cap": D("100"), "floor": D("0")}),
        ("relative", {"floor": D("0")}),
        ("linear", {"base": D("100"), "per": D("1"), "cap": D("100"), "floor": D("0")}),
        ("rank", {"step": D("5"), "floor": D("0")}),
        ("deduction", {"per": D("10")}),
        ("binary", {}),
    ],
)
def test_params_defaults_when_blank(method, expected):
    assert parse_params(method, "").values == expected
    assert parse_params(method, None).values == expected


def test_params_cap_bounds_100_and_200_accepted():
    assert parse_params("ratio", "cap=100")["cap"] == D("100")
    assert parse_params("ratio", "cap=200")["cap"] == D("200")


def test_params_tier_scores_bounds_0_and_200_accepted():
    assert parse_params("tiers", "tiers=90:200,0:0").tiers == (
        (D("90"), D("200")),
        (D("0"), D("0")),
    )


def test_params_floor_equal_to_cap_accepted():
    assert parse_params("ratio", "cap=120;floor=120")["floor"] == D("120")


def test_params_fullwidth_separators_accepted():
    assert parse_params("rank", "step＝4；floor＝60") == Params(
        values={"step": D("4"), "floor": D("60")}
    )
    assert parse_params("tiers", "tiers＝95：100，85：90、0：60").tiers == (
        (D("95"), D("100")),
        (D("85"), D("90")),
        (D("0"), D("60")),
    )


def test_params_blank_parts_and_spaces_ignored():
    assert parse_params("ratio", " cap = 120 ; ; floor=40 ;").values == {
        "cap": D("120"),
        "floor": D("40"),
    }


# --- errors ----------------------------------------------------------------------------------


def test_params_unknown_name_names_accepted_ones():
    assert errors("ratio", "step=4") == [
        'unknown parameter "step" for ratio (accepted: cap, floor)'
    ]


def test_params_unknown_name_for_method_without_parameters():
    assert errors("binary", "cap=120") == ['unknown parameter "cap" for binary (accepted: -)']
    assert errors("manual", "floor=1") == ['unknown parameter "floor" for manual (accepted: -)']


def test_params_tiers_name_unknown_outside_tiers_method():
    assert errors("rank", "tiers=90:100") == [
        'unknown parameter "tiers" for rank (accepted: step, floor)'
    ]


def test_params_unknown_method():
    assert errors("median", "") == ['unknown method "median"']


@pytest.mark.parametrize("raw", ["abc", "", "nan", "inf", "1,5", "12%"])
def test_params_non_number(raw):
    assert errors("deduction", f"per={raw}") == [f'per="{raw}" is not a number']


def test_params_part_without_equals():
    assert errors("ratio", "cap") == ['"cap" is not name=value']


@pytest.mark.parametrize(
    ("method", "text", "message"),
    [
        ("rank", "step=-1", "step must not be negative (-1)"),
        ("deduction", "per=-5", "per must not be negative (-5)"),
        ("linear", "per=-0.5", "per must not be negative (-0.5)"),
        ("ratio", "floor=-1", "floor must not be negative (-1)"),
        ("relative", "floor=-10", "floor must not be negative (-10)"),
    ],
)
def test_params_negative_step_per_floor(method, text, message):
    assert errors(method, text) == [message]


@pytest.mark.parametrize("cap", ["99", "99.99", "200.01", "300"])
def test_params_cap_outside_100_200(cap):
    assert errors("ratio", f"cap={cap}") == [f"cap must be between 100 and 200 ({cap})"]


def test_params_floor_above_cap():
    assert errors("ratio", "cap=120;floor=130") == ["floor (130) is above cap (120)"]
    assert errors("linear", "floor=101") == ["floor (101) is above cap (100)"]


@pytest.mark.parametrize("score", ["201", "-1"])
def test_params_tier_score_outside_0_200(score):
    assert errors("tiers", f"tiers=90:{score}") == [f"tier score {score} is outside [0, 200]"]


def test_params_tiers_not_monotone_higher_thresholds_rising():
    assert errors("tiers", "tiers=70:75,85:90") == [
        "tiers are not monotone for a higher-is-better indicator: 70:75 then 85:90"
    ]


def test_params_tiers_not_monotone_higher_scores_rising():
    assert errors("tiers", "tiers=90:80,80:100") == [
        "tiers are not monotone for a higher-is-better indicator: 90:80 then 80:100"
    ]


def test_params_tiers_not_monotone_lower():
    # The spec's own example is descending: right for higher, wrong for lower.
    assert errors("tiers", "tiers=95:100,85:90,70:75,0:60", "lower") == [
        "tiers are not monotone for a lower-is-better indicator: 95:100 then 85:90"
    ]
    assert errors("tiers", "tiers=5:60,10:80", "lower") == [
        "tiers are not monotone for a lower-is-better indicator: 5:60 then 10:80"
    ]


def test_params_tiers_duplicate_threshold():
    assert errors("tiers", "tiers=90:100,90:80") == [
        "tiers are not monotone for a higher-is-better indicator: 90:100 then 90:80"
    ]


def test_params_duplicate_parameter():
    assert errors("rank", "step=4;step=5") == ['parameter "step" is given twice']
    assert errors("rank", "step=4；step＝4") == ['parameter "step" is given twice']


def test_params_tiers_malformed():
    assert errors("tiers", "tiers=a") == [
        'tier "a" is not threshold:score',
        "tiers needs at least one threshold:score",
    ]
    assert errors("tiers", "") == ["tiers needs tiers=threshold:score,…"]


def test_params_all_problems_listed_at_once():
    assert errors("rank", "step=-1;floor=abc;foo=1") == [
        'floor="abc" is not a number',
        'unknown parameter "foo" for rank (accepted: step, floor)',
        "step must not be negative (-1)",
    ]
    assert errors("ratio", "cap=99;floor=120;cap=150;x=1") == [
        'parameter "cap" is given twice',
        'unknown parameter "x" for ratio (accepted: cap, floor)',
        "cap must be between 100 and 200 (99)",
        "floor (120) is above cap (99)",
    ]
    assert errors("tiers", "tiers=70:201,85:-1") == [
        "tier score 201 is outside [0, 200]",
        "tier score -1 is outside [0, 200]",
        "tiers are not monotone for a higher-is-better indicator: 70:201 then 85:-1",
    ]


def test_param_error_str_joins_messages():
    with pytest.raises(ParamError) as info:
        parse_params("rank", "step=-1;floor=-2")
    assert str(info.value) == "step must not be negative (-1); floor must not be negative (-2)"
