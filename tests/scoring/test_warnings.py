"""Pre-assessment warnings: bottom three, behind target, not reported, diagnosis, exemptions."""

from decimal import Decimal as D

from scoring.results.engine import WarningFigures, round_warnings


def warn(progress, *, counties=None, indicators=("I1",), exempt=(), threshold=3, e="33.33"):
    """Warnings of one round; ``progress`` maps (county, indicator) → v, or county → v on I1."""
    progress = {(k if isinstance(k, tuple) else (k, "I1")): D(v) for k, v in progress.items()}
    if counties is None:
        counties = sorted({c for c, _i in progress})
    return round_warnings(
        counties=counties,
        indicators=list(indicators),
        progress=progress,
        exempt=exempt,
        expected=D(e),
        tolerance=D("10"),
        diagnosis_threshold=threshold,
    )


def reasons(result):
    return {key: f.reasons for key, f in result.warnings.items()}


# --- bottom three ----------------------------------------------------------------------------


def test_bottom_three_among_reported():
    result = warn({"A": "80", "B": "70", "C": "60", "D": "50", "E": "40"})
    assert reasons(result) == {
        ("C", "I1"): ("bottom_three",),
        ("D", "I1"): ("bottom_three",),
        ("E", "I1"): ("bottom_three",),
    }


def test_bottom_three_ties_at_third_all_included():
    # ascending: F 1, C 2, D 2, E 2, B 5, A 6
    result = warn({"A": "90", "B": "80", "C": "70", "D": "70", "E": "70", "F": "60"})
    assert sorted(c for c, _i in result.warnings) == ["C", "D", "E", "F"]


def test_bottom_three_ties_at_first_more_than_three():
    result = warn({"A": "90", "B": "50", "C": "50", "D": "50", "E": "50"})
    assert sorted(c for c, _i in result.warnings) == ["B", "C", "D", "E"]


def test_bottom_three_tie_at_fourth_excluded():
    # ascending: D 1, C 2, B 3, A 4, E 4 → A and E are not in the bottom three.
    result = warn({"A": "90", "B": "80", "C": "70", "D": "60", "E": "90"})
    assert sorted(c for c, _i in result.warnings) == ["B", "C", "D"]


def test_bottom_three_needs_four_reported():
    # Only three counties reported: no ranking reason; D did not report.
    result = warn({"A": "90", "B": "80", "C": "70"}, counties=["A", "B", "C", "D"])
    assert reasons(result) == {("D", "I1"): ("not_reported",)}


def test_bottom_three_with_exactly_four_reported():
    result = warn({"A": "90", "B": "80", "C": "70", "D": "60"}, counties=["A", "B", "C", "D", "E"])
    assert reasons(result) == {
        ("B", "I1"): ("bottom_three",),
        ("C", "I1"): ("bottom_three",),
        ("D", "I1"): ("bottom_three",),
        ("E", "I1"): ("not_reported",),
    }


# --- behind target ---------------------------------------------------------------------------


def test_behind_target_strictly_below_expected_minus_tolerance():
    # e − d = 33.33 − 10 = 23.33
    result = warn({"A": "23.33", "B": "23.32", "C": "0"})
    assert reasons(result) == {
        ("B", "I1"): ("behind_target",),
        ("C", "I1"): ("behind_target",),
    }


def test_behind_target_august_line():
    # 66.67 − 10 = 56.67
    result = warn({"A": "56.67", "B": "56.669", "C": "120"}, e="66.67")
    assert reasons(result) == {("B", "I1"): ("behind_target",)}


# --- not reported ----------------------------------------------------------------------------


def test_not_reported_figures():
    result = warn({"A": "50"}, counties=["A", "B"])
    assert result.warnings == {
        ("B", "I1"): WarningFigures(
            bottom_three=False,
            behind_target=False,
            not_reported=True,
            progress=None,
            place=None,
            reported=1,
        )
    }


def test_not_reported_counties_do_not_count_for_bottom_three():
    result = warn(
        {"A": "90", "B": "80", "C": "70"}, counties=["A", "B", "C", "X", "Y"], threshold=9
    )
    assert reasons(result) == {("X", "I1"): ("not_reported",), ("Y", "I1"): ("not_reported",)}


# --- one warning with every reason -----------------------------------------------------------


def test_several_reasons_one_warning():
    result = warn({"A": "90", "B": "80", "C": "70", "D": "60", "E": "20"})
    assert result.warnings[("E", "I1")] == WarningFigures(
        bottom_three=True,
        behind_target=True,
        not_reported=False,
        progress=D("20"),
        place=5,
        reported=5,
    )
    assert len(result.warnings) == 3


def test_place_counts_from_the_most_advanced_with_ties():
    # ascending D 1, C 2, A 3, B 3, E 5: A and B tie at third; places E 1, A 2, B 2, C 4, D 5.
    result = warn({"A": "90", "B": "90", "C": "70", "D": "10", "E": "95"})
    assert {c: f.place for (c, _i), f in result.warnings.items()} == {
        "A": 2,
        "B": 2,
        "C": 4,
        "D": 5,
    }
    assert result.warnings[("B", "I1")].reasons == ("bottom_three",)


# --- diagnosis -------------------------------------------------------------------------------


def diagnosis_round(threshold):
    # X is behind on I1, I2, I3; Y behind on I1, I2; Z fine everywhere.
    progress = {}
    for ind in ("I1", "I2", "I3"):
        progress[("Z", ind)] = "50"
        progress[("X", ind)] = "10"
        progress[("Y", ind)] = "10" if ind != "I3" else "50"
    return warn(progress, indicators=("I1", "I2", "I3"), threshold=threshold)


def test_diagnosis_at_threshold():
    assert diagnosis_round(3).diagnosis == {"X": 3}


def test_diagnosis_lower_threshold_flags_more():
    assert diagnosis_round(2).diagnosis == {"X": 3, "Y": 2}


def test_diagnosis_above_every_count_flags_none():
    result = diagnosis_round(4)
    assert result.diagnosis == {}
    assert len(result.warnings) == 5


def test_diagnosis_counts_not_reported_indicators():
    result = warn({("X", "I1"): "50"}, counties=["X"], indicators=("I1", "I2", "I3"), threshold=2)
    assert result.diagnosis == {"X": 2}


# --- exemptions ------------------------------------------------------------------------------


def test_exempt_pair_not_reported_gets_no_warning():
    result = warn({"A": "50"}, counties=["A", "B"], exempt=[("B", "I1")])
    assert result.warnings == {}


def test_exempt_pair_with_progress_gets_no_warning_and_does_not_rank():
    # E is exempt: its 0 % neither warns it nor counts; only 3 counties remain → no ranking.
    result = warn({"A": "90", "B": "80", "C": "70", "E": "0"}, exempt=[("E", "I1")])
    assert result.warnings == {}


def test_exempt_pair_does_not_take_a_bottom_place():
    result = warn({"A": "90", "B": "80", "C": "70", "D": "60", "E": "0"}, exempt=[("E", "I1")])
    assert sorted(c for c, _i in result.warnings) == ["B", "C", "D"]
    assert result.warnings[("D", "I1")].reported == 4


def test_exempt_pairs_do_not_count_for_diagnosis():
    progress = {("X", "I1"): "10", ("Y", "I1"): "50", ("Y", "I2"): "50", ("Y", "I3"): "50"}
    result = warn(
        progress,
        indicators=("I1", "I2", "I3"),
        exempt=[("X", "I2"), ("X", "I3")],
        threshold=2,
    )
    assert reasons(result) == {("X", "I1"): ("behind_target",)}
    assert result.diagnosis == {}


def test_warnings_same_input_same_output():
    progress = {"A": "90", "B": "80", "C": "70", "D": "60", "E": "20"}
    assert warn(progress, counties=list("ABCDEF")) == warn(progress, counties=list("ABCDEF"))
