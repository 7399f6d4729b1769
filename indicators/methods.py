"""How a rule item's method scores a county: pure functions over plain values (spec/scoring.md,
item score).

The one check of an input value against its item's method (:func:`input_problems`), the score
of one county on a method that does not compare counties (:func:`score_one`) and the scores
of every county on an item (:func:`item_scores`), with the steps of their formulas when asked.
No ORM, no settings. It sits in ``indicators``, with the methods and their parameters
(``indicators.params``), so that every layer calls it downward: the rules form previews a
sample value with it (``indicators.preview``) and the scoring engine
(``scoring.results.engine``) scores a whole cycle with it.
"""

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from indicators.params import NEEDS_TARGET, Params

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Round half up to cents: the only rounding the spec allows."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def competition_rank(values: Mapping[Hashable, Decimal], *, descending: bool = True) -> dict:
    """Competition ranking (1, 2, 2, 4) of ``values``; the best value gets 1."""
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=descending)
    ranks: dict = {}
    previous = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


# --- item scores -------------------------------------------------------------------------


# Methods that read a quantity, a count or a score: a negative actual or target is an error.
# The others (linear, rank, tiers, binary) compare or rank values, which may fall below zero
# (a growth rate of −1.5 %, a balance); tier thresholds may be negative too.
NON_NEGATIVE = frozenset({"manual", "ratio", "relative", "deduction"})

# The problems of input_problems() that are errors in a value itself, with the field they
# belong to. Missing values are not: an input is entered in parts (the target at the start of
# the year, the actual later), and the results computation lists what is still missing.
VALUE_FIELDS = {
    "negative_actual": "actual",
    "negative_target": "target",
    "manual_range": "actual",
    "target_not_positive": "target",
}
# When a value breaks two rules, the more precise one is reported.
_SUPERSEDED = {"negative_actual": "manual_range", "negative_target": "target_not_positive"}


def input_problems(method: str, actual: Decimal | None, target: Decimal | None) -> list[str]:
    """Problems of one (county, item) input: codes ``missing_actual``, ``missing_target``,
    ``negative_actual``, ``negative_target``, ``manual_range``, ``target_not_positive``.

    The one method-aware check of an input value (spec/scoring.md, item score): the import,
    the model, the forms and the computation all call it.
    """
    problems = []
    if actual is None:
        problems.append("missing_actual")
    elif actual < 0 and method in NON_NEGATIVE:
        problems.append("negative_actual")
    if target is not None and target < 0 and method in NON_NEGATIVE:
        problems.append("negative_target")
    if method in NEEDS_TARGET:
        if target is None:
            problems.append("missing_target")
        elif method == "ratio" and target <= 0:
            problems.append("target_not_positive")
    if method == "manual" and actual is not None and not ZERO <= actual <= HUNDRED:
        problems.append("manual_range")
    return problems


def value_errors(method: str, actual: Decimal | None, target: Decimal | None) -> dict[str, str]:
    """The errors of the values themselves, by field (``actual``, ``target``): a problem code
    of :data:`VALUE_FIELDS`, at most one per field. Blank values are not errors here."""
    problems = input_problems(method, actual, target)
    errors: dict[str, str] = {}
    if not problems:
        return errors  # the common case, on every row of a national import
    for code in problems:
        if code in VALUE_FIELDS and _SUPERSEDED.get(code) not in problems:
            errors.setdefault(VALUE_FIELDS[code], code)
    return errors


def clip(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """``value`` within ``[low, high]``."""
    return max(low, min(value, high))


# A step of an explanation: (code, figures). The codes name the formulas of spec/scoring.md;
# the figures fill them in. Recording is optional (``steps=None`` on the hot path), so that the
# numbers an explanation shows are computed by the very code that computes the results.
Step = tuple[str, dict]


def note_step(steps: list | None, code: str, **figures) -> None:
    """Append the step ``(code, figures)`` to ``steps``, unless it is ``None``."""
    if steps is not None:
        steps.append((code, figures))


def _cap_floor(
    raw: Decimal, cap: Decimal | None, floor: Decimal | None, steps: list | None
) -> Decimal:
    value = raw
    if cap is not None and value > cap:
        note_step(steps, "cap", value=value, cap=cap)
        value = cap
    if floor is not None and value < floor:
        note_step(steps, "floor", value=value, floor=floor)
        value = floor
    return value


def score_one(
    method: str,
    params: Params,
    direction: str,
    actual: Decimal,
    target: Decimal | None,
    steps: list | None = None,
) -> Decimal:
    """The score of one county on a method that does not compare counties; the formula with
    its figures is appended to ``steps`` when given."""
    higher = direction == "higher"
    if method == "manual":
        note_step(steps, "manual", a=actual)
        return actual
    if method == "ratio":
        cap = params["cap"]
        if higher:
            raw = HUNDRED * actual / target
            note_step(steps, "ratio_higher", a=actual, t=target, raw=raw)
        elif actual == 0:
            raw = cap
            note_step(steps, "ratio_lower_zero", cap=cap)
        else:
            raw = HUNDRED * target / actual
            note_step(steps, "ratio_lower", a=actual, t=target, raw=raw)
        return _cap_floor(raw, cap, params["floor"], steps)
    if method == "linear":
        delta = actual - target if higher else target - actual
        raw = params["base"] + params["per"] * delta
        code = "linear_higher" if higher else "linear_lower"
        note_step(steps, code, a=actual, t=target, base=params["base"], per=params["per"], raw=raw)
        return _cap_floor(raw, params["cap"], params["floor"], steps)
    if method == "deduction":
        raw = HUNDRED - params["per"] * actual
        note_step(steps, "deduction", a=actual, per=params["per"], raw=raw)
        return _cap_floor(raw, None, ZERO, steps)
    if method == "tiers":
        for threshold, score in params.tiers:
            if (actual >= threshold) if higher else (actual <= threshold):
                code = "tier_higher" if higher else "tier_lower"
                note_step(steps, code, a=actual, threshold=threshold, score=score)
                return score
        note_step(steps, "tier_none", a=actual)
        return ZERO
    if method == "binary":
        passed = actual >= target if higher else actual <= target
        code = ("binary_higher" if higher else "binary_lower") + ("_pass" if passed else "_fail")
        note_step(steps, code, a=actual, t=target)
        return HUNDRED if passed else ZERO
    raise ValueError(f"{method} compares counties; use item_scores")


def item_scores(
    method: str,
    params: Params,
    direction: str,
    actuals: Mapping[Hashable, Decimal],
    targets: Mapping[Hashable, Decimal | None],
    explain: Mapping[Hashable, list] | None = None,
) -> dict:
    """Scores of every county that has this item (exempt ones already left out).

    ``explain`` maps some counties to a list that receives the steps of their score.
    """
    explain = explain or {}
    higher = direction == "higher"
    if method == "relative":
        floor = params["floor"]
        if not actuals:
            return {}
        best = max(actuals.values()) if higher else min(actuals.values())
        scores = {}
        for key, a in actuals.items():
            steps = explain.get(key)
            if higher and best == 0:
                note_step(steps, "relative_all_zero", best=best)
                raw = HUNDRED
            elif higher:
                raw = HUNDRED * a / best
                note_step(steps, "relative_higher", a=a, best=best, raw=raw)
            elif a == 0:
                raw = HUNDRED
                note_step(steps, "relative_lower_zero", a=a)
            else:
                raw = HUNDRED * best / a
                note_step(steps, "relative_lower", a=a, best=best, raw=raw)
            scores[key] = _cap_floor(raw, None, floor, steps)
        return scores
    if method == "rank":
        ranks = competition_rank(actuals, descending=higher)
        step, floor = params["step"], params["floor"]
        scores = {}
        for key, rank in ranks.items():
            steps = explain.get(key)
            raw = HUNDRED - step * (rank - 1)
            code = "rank_higher" if higher else "rank_lower"
            note_step(steps, code, a=actuals[key], rank=rank, n=len(ranks), step=step, raw=raw)
            scores[key] = _cap_floor(raw, None, floor, steps)
        return scores
    return {
        key: score_one(method, params, direction, a, targets.get(key), explain.get(key))
        for key, a in actuals.items()
    }


# --- a whole cycle -------------------------------------------------------------------------
