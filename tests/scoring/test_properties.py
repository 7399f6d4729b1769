"""Properties of the engine that must hold for any input (hypothesis)."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.params import parse_params
from scoring.results.engine import (
    CycleSettings,
    IndicatorSpec,
    ItemSpec,
    assign_grades,
    competition_rank,
    compute_cycle,
    item_scores,
    round_warnings,
)

FAST = settings(max_examples=150, deadline=None)


def amounts(low=0, high=100, places=2):
    return st.decimals(
        min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
    )


codes = st.lists(
    st.text(alphabet="ABCDEFGHJK", min_size=1, max_size=3), min_size=1, max_size=12, unique=True
)


# --- grades ----------------------------------------------------------------------------------


@st.composite
def graded_cycles(draw):
    counties = draw(codes)
    totals = {c: draw(amounts(0, 100)) for c in counties}
    vetoed = draw(st.sets(st.sampled_from(counties)))
    ratio = draw(amounts(0, 1))
    line = draw(st.none() | amounts(0, 1))
    return totals, vetoed, CycleSettings(excellent_ratio=ratio, excellent_line=line)


@FAST
@given(graded_cycles())
def test_property_excellent_never_exceeds_quota(case):
    totals, vetoed, cycle = case
    grades = assign_grades(totals, vetoed, cycle)
    n = len(totals)
    quota = n if cycle.excellent_ratio == 1 else int(cycle.excellent_ratio * n // 1)
    excellent = [c for c, g in grades.items() if g == "excellent"]
    assert len(excellent) <= quota
    assert set(grades) == set(totals)
    for c in vetoed:
        assert grades[c] == "poor"
    if cycle.excellent_line is not None:
        line = (cycle.excellent_line * 100).quantize(D("0.01"))
        assert all(totals[c] >= line for c in excellent)


@FAST
@given(graded_cycles())
def test_property_excellent_is_a_whole_top_of_the_candidates(case):
    # Every candidate with a total at least that of an excellent county is excellent too:
    # groups are taken whole and in rank order.
    totals, vetoed, cycle = case
    grades = assign_grades(totals, vetoed, cycle)
    excellent = [c for c, g in grades.items() if g == "excellent"]
    if not excellent:
        return
    lowest = min(totals[c] for c in excellent)
    for c, t in totals.items():
        if c not in vetoed and t >= lowest:
            assert grades[c] == "excellent"


@FAST
@given(graded_cycles())
def test_property_grade_follows_lines_outside_excellence(case):
    totals, vetoed, cycle = case
    grades = assign_grades(totals, vetoed, cycle)
    for c, g in grades.items():
        if c in vetoed or g == "excellent":
            continue
        expected = "good" if totals[c] >= 80 else "fair" if totals[c] >= 60 else "poor"
        assert g == expected


# --- ranks -----------------------------------------------------------------------------------


@FAST
@given(st.dictionaries(st.text(min_size=1, max_size=3), amounts(-50, 50), max_size=15))
def test_property_competition_rank_invariants(values):
    for descending in (True, False):
        ranks = competition_rank(values, descending=descending)
        assert set(ranks) == set(values)
        for c, v in values.items():
            better = sum(1 for w in values.values() if (w > v if descending else w < v))
            assert ranks[c] == better + 1
        if values:
            assert min(ranks.values()) == 1
            assert max(ranks.values()) <= len(values)


@st.composite
def manual_cycles(draw):
    counties = draw(codes)
    weights = draw(st.lists(amounts(1, 60), min_size=1, max_size=3))
    inputs = {
        (c, f"K{i}"): (draw(amounts(0, 100)), None) for c in counties for i in range(len(weights))
    }
    adjustments = {c: draw(st.lists(amounts(-5, 5), max_size=2)) for c in counties}
    return counties, weights, inputs, adjustments


@FAST
@given(manual_cycles())
def test_property_ranks_consistent_with_totals(case):
    counties, weights, inputs, adjustments = case
    manual = parse_params("manual", "")
    indicators = [
        IndicatorSpec(f"I{i}", w, "higher", (ItemSpec(f"K{i}", D(100), "manual", manual),))
        for i, w in enumerate(weights)
    ]
    result = compute_cycle(
        counties=counties, indicators=indicators, inputs=inputs, adjustments=adjustments
    )
    for a in counties:
        assert result.total[a] == result.total[a].quantize(D("0.01"))
        for b in counties:
            if result.total[a] > result.total[b]:
                assert result.rank[a] < result.rank[b]
            elif result.total[a] == result.total[b]:
                assert result.rank[a] == result.rank[b]


# --- item scores -----------------------------------------------------------------------------


@st.composite
def scored_items(draw):
    method = draw(
        st.sampled_from(
            ["manual", "ratio", "relative", "linear", "rank", "deduction", "tiers", "binary"]
        )
    )
    direction = draw(st.sampled_from(["higher", "lower"]))
    counties = draw(codes)
    params, cap = "", D(100)
    actual = amounts(0, 1000)
    target = st.none()
    if method == "manual":
        actual = amounts(0, 100)
    elif method == "ratio":
        cap = draw(amounts(100, 200, 0))
        floor = draw(amounts(0, cap, 0))
        params = f"cap={cap};floor={floor}"
        target = amounts(D("0.01"), 1000)
    elif method == "relative":
        params = f"floor={draw(amounts(0, 100, 1))}"
    elif method == "linear":
        cap = draw(amounts(100, 200, 0))
        floor = draw(amounts(0, cap, 0))
        base, per = draw(amounts(0, 200, 1)), draw(amounts(0, 10, 1))
        params = f"base={base};per={per};cap={cap};floor={floor}"
        target = amounts(0, 1000)
    elif method == "rank":
        params = f"step={draw(amounts(0, 50, 1))};floor={draw(amounts(0, 100, 0))}"
    elif method == "deduction":
        params = f"per={draw(amounts(0, 50, 1))}"
        actual = st.integers(0, 30).map(D)
    elif method == "tiers":
        size = draw(st.integers(1, 5))
        thresholds = sorted(draw(st.sets(amounts(0, 1000, 0), min_size=size, max_size=size)))
        scores = sorted(draw(st.lists(amounts(0, 200, 0), min_size=size, max_size=size)))
        if direction == "higher":
            thresholds.reverse()
        scores.reverse()
        params = "tiers=" + ",".join(f"{t}:{s}" for t, s in zip(thresholds, scores, strict=True))
        cap = scores[0]
    else:
        target = amounts(0, 1000)
    actuals = {c: draw(actual) for c in counties}
    targets = {c: draw(target) for c in counties}
    return method, params, direction, actuals, targets, cap


@FAST
@given(scored_items())
def test_property_item_scores_within_zero_and_cap(case):
    method, params, direction, actuals, targets, cap = case
    parsed = parse_params(method, params, direction)
    got = item_scores(method, parsed, direction, actuals, targets)
    assert set(got) == set(actuals)
    for score in got.values():
        assert D(0) <= score <= cap


@FAST
@given(scored_items())
def test_property_item_scores_do_not_depend_on_county_order(case):
    method, params, direction, actuals, targets, _cap = case
    parsed = parse_params(method, params, direction)
    reordered = dict(reversed(list(actuals.items())))
    assert item_scores(method, parsed, direction, actuals, targets) == item_scores(
        method, parsed, direction, reordered, targets
    )


# --- warnings --------------------------------------------------------------------------------


@st.composite
def rounds(draw):
    counties = draw(codes)
    indicators = draw(st.lists(st.sampled_from(["I1", "I2", "I3", "I4"]), unique=True, min_size=1))
    pairs = [(c, i) for c in counties for i in indicators]
    progress = {
        pair: draw(amounts(0, 150)) for pair in draw(st.lists(st.sampled_from(pairs), unique=True))
    }
    exempt = draw(st.sets(st.sampled_from(pairs)))
    return counties, indicators, progress, exempt, draw(st.integers(1, 4))


def _warnings(counties, indicators, progress, exempt, threshold):
    return round_warnings(
        counties=counties,
        indicators=indicators,
        progress=progress,
        exempt=exempt,
        expected=D("33.33"),
        tolerance=D("10"),
        diagnosis_threshold=threshold,
    )


@FAST
@given(rounds())
def test_property_warnings_idempotent(case):
    counties, indicators, progress, exempt, threshold = case
    first = _warnings(counties, indicators, progress, exempt, threshold)
    again = _warnings(counties, indicators, dict(progress), set(exempt), threshold)
    shuffled = _warnings(
        list(reversed(counties)),
        indicators,
        dict(reversed(list(progress.items()))),
        exempt,
        threshold,
    )
    assert first == again
    assert first.warnings == shuffled.warnings
    assert first.diagnosis == shuffled.diagnosis


@FAST
@given(rounds())
def test_property_warnings_never_for_exempt_and_always_with_a_reason(case):
    counties, indicators, progress, exempt, threshold = case
    result = _warnings(counties, indicators, progress, exempt, threshold)
    for key, figures in result.warnings.items():
        assert key not in exempt
        assert figures.reasons != ()
        assert figures.not_reported == (key not in progress)
    for c, n in result.diagnosis.items():
        assert n >= threshold
        assert n == sum(1 for (county, _i) in result.warnings if county == c)
