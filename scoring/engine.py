"""The scoring engine of spec/scoring.md: pure functions over plain values.

No ORM, no settings: the services load a cycle in bulk, call :func:`compute_cycle` or
:func:`round_warnings` and store what they return. Every figure is a ``Decimal``; the
default decimal context is used throughout, as the spec's own arithmetic does. Keys are the
codes of counties, indicators and items, so that ties sort by code.

:func:`input_problems` is the one check of an input value against its item's method;
:func:`scoring.values.value_messages` turns its codes into words, in the active language.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from indicators.params import NEEDS_TARGET, Params

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"


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


def _clip(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(value, high))


def score_one(
    method: str, params: Params, direction: str, actual: Decimal, target: Decimal | None
) -> Decimal:
    """The score of one county on a method that does not compare counties."""
    higher = direction == "higher"
    if method == "manual":
        return actual
    if method == "ratio":
        cap = params["cap"]
        if higher:
            raw = HUNDRED * actual / target
        else:
            raw = cap if actual == 0 else HUNDRED * target / actual
        return max(min(raw, cap), params["floor"])
    if method == "linear":
        delta = actual - target if higher else target - actual
        return _clip(params["base"] + params["per"] * delta, params["floor"], params["cap"])
    if method == "deduction":
        return max(HUNDRED - params["per"] * actual, ZERO)
    if method == "tiers":
        for threshold, score in params.tiers:
            if (actual >= threshold) if higher else (actual <= threshold):
                return score
        return ZERO
    if method == "binary":
        passed = actual >= target if higher else actual <= target
        return HUNDRED if passed else ZERO
    raise ValueError(f"{method} compares counties; use item_scores")


def item_scores(
    method: str,
    params: Params,
    direction: str,
    actuals: Mapping[Hashable, Decimal],
    targets: Mapping[Hashable, Decimal | None],
) -> dict:
    """Scores of every county that has this item (exempt ones already left out)."""
    higher = direction == "higher"
    if method == "relative":
        floor = params["floor"]
        if not actuals:
            return {}
        if higher:
            best = max(actuals.values())
            if best == 0:
                return {key: max(HUNDRED, floor) for key in actuals}
            return {key: max(HUNDRED * a / best, floor) for key, a in actuals.items()}
        best = min(actuals.values())
        return {
            key: max(HUNDRED if a == 0 else HUNDRED * best / a, floor) for key, a in actuals.items()
        }
    if method == "rank":
        ranks = competition_rank(actuals, descending=higher)
        step, floor = params["step"], params["floor"]
        return {key: max(HUNDRED - step * (rank - 1), floor) for key, rank in ranks.items()}
    return {
        key: score_one(method, params, direction, a, targets.get(key)) for key, a in actuals.items()
    }


# --- a whole cycle -------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    code: str
    share: Decimal
    method: str
    params: Params


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    weight: Decimal
    direction: str
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True)
class CycleSettings:
    total_points: Decimal = HUNDRED
    excellent_ratio: Decimal = Decimal("0.30")
    excellent_line: Decimal | None = None
    good_line: Decimal = Decimal("0.80")
    fair_line: Decimal = Decimal("0.60")
    bonus_cap: Decimal | None = None


@dataclass(frozen=True)
class InputProblem:
    county: str
    indicator: str
    item: str
    problem: str  # a code of input_problems()


class IncompleteInputs(Exception):
    """The annual results cannot be computed: inputs are missing or out of range."""

    def __init__(self, problems: list[InputProblem], all_exempt: list[str] = ()):
        self.problems = problems
        self.all_exempt = list(all_exempt)
        super().__init__(f"{len(problems)} input problems, {len(self.all_exempt)} all-exempt")


@dataclass(frozen=True)
class IndicatorStats:
    highest: Decimal
    lowest: Decimal
    average: Decimal
    top: tuple[str, ...]  # county codes, highest points first, ties by code
    bottom: tuple[str, ...]  # county codes, lowest points first, ties by code


@dataclass
class CycleResult:
    item_scores: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    percent: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # S_ci (non-exempt)
    points: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # P_ci, exact
    indicator_rank: dict[tuple[str, str], int] = field(default_factory=dict)  # non-exempt only
    indicator_points: dict[str, Decimal] = field(default_factory=dict)  # Σ_i P_ci
    adjustment: dict[str, Decimal] = field(default_factory=dict)  # A_c after the cap
    total: dict[str, Decimal] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)
    grade: dict[str, str] = field(default_factory=dict)
    stats: dict[str, IndicatorStats] = field(default_factory=dict)


def clip_adjustment(entries: Iterable[Decimal], cap: Decimal | None) -> Decimal:
    """A_c: the signed sum of a county's adjustments, clipped to ±cap when there is one."""
    total = sum(entries, ZERO)
    return total if cap is None else _clip(total, -cap, cap)


def assign_grades(
    totals: Mapping[str, Decimal], vetoed: Iterable[str], settings: CycleSettings
) -> dict[str, str]:
    """Grades by the rules of the spec: vetoes, the excellence quota by groups, then lines."""
    vetoed = set(vetoed)
    n = len(totals)
    ratio = settings.excellent_ratio
    quota = n if ratio >= 1 else int((ratio * n).to_integral_value(rounding=ROUND_FLOOR))
    line = (
        round2(settings.excellent_line * settings.total_points)
        if settings.excellent_line is not None
        else None
    )
    good = round2(settings.good_line * settings.total_points)
    fair = round2(settings.fair_line * settings.total_points)

    candidates = sorted(
        (t, c) for c, t in totals.items() if c not in vetoed and (line is None or t >= line)
    )
    groups: dict[Decimal, list[str]] = defaultdict(list)
    for t, c in candidates:
        groups[t].append(c)
    grades: dict[str, str] = {}
    left = quota
    for t in sorted(groups, reverse=True):
        group = groups[t]
        if len(group) > left:
            break
        for c in group:
            grades[c] = EXCELLENT
        left -= len(group)
    for c, t in totals.items():
        if c in vetoed:
            grades[c] = POOR
        elif c not in grades:
            grades[c] = GOOD if t >= good else FAIR if t >= fair else POOR
    return grades


def indicator_statistics(points: Mapping[str, Decimal]) -> IndicatorStats | None:
    """Top three, bottom three, highest, lowest and average of round2(points); None if empty."""
    if not points:
        return None
    rounded = {c: round2(p) for c, p in points.items()}
    down = competition_rank(rounded, descending=True)
    up = competition_rank(rounded, descending=False)
    top = sorted((c for c in rounded if down[c] <= 3), key=lambda c: (-rounded[c], c))
    bottom = sorted((c for c in rounded if up[c] <= 3), key=lambda c: (rounded[c], c))
    values = list(rounded.values())
    return IndicatorStats(
        highest=max(values),
        lowest=min(values),
        average=round2(sum(values, ZERO) / len(values)),
        top=tuple(top),
        bottom=tuple(bottom),
    )


def check_inputs(
    *,
    counties: Iterable[str],
    indicators: Iterable[IndicatorSpec],
    inputs: Mapping[tuple[str, str], tuple[Decimal | None, Decimal | None]],
    exempt: Iterable[tuple[str, str]] = (),
) -> tuple[list[InputProblem], list[str]]:
    """What stops :func:`compute_cycle`: every missing or invalid input of a non-exempt
    (county, item), and the counties exempt from every indicator."""
    counties = list(counties)
    indicators = list(indicators)
    exempt = set(exempt)
    problems = [
        InputProblem(c, ind.code, item.code, problem)
        for ind in indicators
        for c in counties
        if (c, ind.code) not in exempt
        for item in ind.items
        for problem in input_problems(item.method, *inputs.get((c, item.code), (None, None)))
    ]
    all_exempt = [
        c for c in counties if indicators and all((c, i.code) in exempt for i in indicators)
    ]
    return problems, all_exempt


def compute_cycle(
    *,
    counties: Iterable[str],
    indicators: Iterable[IndicatorSpec],
    inputs: Mapping[tuple[str, str], tuple[Decimal | None, Decimal | None]],
    exempt: Iterable[tuple[str, str]] = (),
    adjustments: Mapping[str, Iterable[Decimal]] | None = None,
    vetoed: Iterable[str] = (),
    settings: CycleSettings = CycleSettings(),
) -> CycleResult:
    """Compute item scores, indicator points, totals, ranks, grades and statistics.

    ``inputs`` maps (county code, item code) to (actual, target); ``exempt`` holds
    (county code, indicator code) pairs. Raises :class:`IncompleteInputs` listing every
    missing or invalid input of a non-exempt (county, item), and every county exempt from
    all indicators, before computing anything.
    """
    counties = list(counties)
    indicators = list(indicators)
    exempt = set(exempt)
    adjustments = adjustments or {}

    problems, all_exempt = check_inputs(
        counties=counties, indicators=indicators, inputs=inputs, exempt=exempt
    )
    if problems or all_exempt:
        raise IncompleteInputs(problems, all_exempt)

    result = CycleResult()
    for ind in indicators:
        applicable = [c for c in counties if (c, ind.code) not in exempt]
        weighted = dict.fromkeys(applicable, ZERO)
        for item in ind.items:
            actuals = {c: inputs[(c, item.code)][0] for c in applicable}
            targets = {c: inputs[(c, item.code)][1] for c in applicable}
            scores = item_scores(item.method, item.params, ind.direction, actuals, targets)
            for c, score in scores.items():
                result.item_scores[(c, item.code)] = score
                weighted[c] += item.share * score
        for c in applicable:
            s = weighted[c] / HUNDRED
            result.percent[(c, ind.code)] = s
            result.points[(c, ind.code)] = s * ind.weight / HUNDRED
        ranks = competition_rank({c: round2(result.points[(c, ind.code)]) for c in applicable})
        for c, r in ranks.items():
            result.indicator_rank[(c, ind.code)] = r

    # Exempt indicators score at the county's own average rate on the others.
    for c in counties:
        own = [i for i in indicators if (c, i.code) not in exempt]
        earned = sum((result.points[(c, i.code)] for i in own), ZERO)
        possible = sum((i.weight for i in own), ZERO)
        for ind in indicators:
            if (c, ind.code) in exempt:
                result.points[(c, ind.code)] = ind.weight * earned / possible
        result.indicator_points[c] = sum((result.points[(c, i.code)] for i in indicators), ZERO)
        result.adjustment[c] = clip_adjustment(adjustments.get(c, ()), settings.bonus_cap)
        result.total[c] = round2(result.indicator_points[c] + result.adjustment[c])

    result.rank = competition_rank(result.total)
    result.grade = assign_grades(result.total, vetoed, settings)
    for ind in indicators:
        stats = indicator_statistics(
            {c: result.points[(c, ind.code)] for c in counties if (c, ind.code) not in exempt}
        )
        if stats is not None:
            result.stats[ind.code] = stats
    return result


# --- pre-assessment warnings ---------------------------------------------------------------


# The reasons of a warning, in the order of the spec.
REASONS = ("bottom_three", "behind_target", "not_reported")


def warning_reasons(bottom_three: bool, behind_target: bool, not_reported: bool) -> tuple:
    """The reason codes whose flag is set, in the order of :data:`REASONS`."""
    flags = (bottom_three, behind_target, not_reported)
    return tuple(code for code, flag in zip(REASONS, flags, strict=True) if flag)


@dataclass(frozen=True)
class WarningFigures:
    bottom_three: bool
    behind_target: bool
    not_reported: bool
    progress: Decimal | None
    place: int | None  # among the counties that reported; 1 = the most advanced
    reported: int  # how many counties reported on the indicator

    @property
    def reasons(self) -> tuple[str, ...]:
        return warning_reasons(self.bottom_three, self.behind_target, self.not_reported)


@dataclass
class RoundWarnings:
    warnings: dict[tuple[str, str], WarningFigures]  # (county, indicator) → figures
    diagnosis: dict[str, int]  # county → number of indicators warned, flagged counties only


def round_warnings(
    *,
    counties: Iterable[str],
    indicators: Iterable[str],
    progress: Mapping[tuple[str, str], Decimal],
    exempt: Iterable[tuple[str, str]] = (),
    expected: Decimal,
    tolerance: Decimal,
    diagnosis_threshold: int,
) -> RoundWarnings:
    """The warnings of a closing pre-assessment round (spec/scoring.md).

    Exempt (county, indicator) pairs neither get nor influence warnings.
    """
    counties = list(counties)
    exempt = set(exempt)
    line = expected - tolerance
    warnings: dict[tuple[str, str], WarningFigures] = {}
    for ind in indicators:
        applicable = [c for c in counties if (c, ind) not in exempt]
        reported = {c: progress[(c, ind)] for c in applicable if (c, ind) in progress}
        from_bottom = competition_rank(reported, descending=False)
        place = competition_rank(reported, descending=True)
        ranked = len(reported) >= 4
        for c in applicable:
            v = reported.get(c)
            bottom_three = ranked and v is not None and from_bottom[c] <= 3
            behind_target = v is not None and v < line
            # Most counties get no warning: build the figures only for those that do.
            if bottom_three or behind_target or v is None:
                warnings[(c, ind)] = WarningFigures(
                    bottom_three=bottom_three,
                    behind_target=behind_target,
                    not_reported=v is None,
                    progress=v,
                    place=place.get(c),
                    reported=len(reported),
                )
    counts: dict[str, int] = defaultdict(int)
    for c, _ind in warnings:
        counts[c] += 1
    diagnosis = {c: n for c, n in counts.items() if n >= diagnosis_threshold}
    return RoundWarnings(warnings=warnings, diagnosis=diagnosis)
