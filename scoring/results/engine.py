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


# A step of an explanation: (code, figures). The codes name the formulas of spec/scoring.md;
# the figures fill them in. Recording is optional (``steps=None`` on the hot path), so that the
# numbers an explanation shows are computed by the very code that computes the results.
Step = tuple[str, dict]


def _note(steps: list | None, code: str, **figures) -> None:
    if steps is not None:
        steps.append((code, figures))


def _cap_floor(
    raw: Decimal, cap: Decimal | None, floor: Decimal | None, steps: list | None
) -> Decimal:
    value = raw
    if cap is not None and value > cap:
        _note(steps, "cap", value=value, cap=cap)
        value = cap
    if floor is not None and value < floor:
        _note(steps, "floor", value=value, floor=floor)
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
        _note(steps, "manual", a=actual)
        return actual
    if method == "ratio":
        cap = params["cap"]
        if higher:
            raw = HUNDRED * actual / target
            _note(steps, "ratio_higher", a=actual, t=target, raw=raw)
        elif actual == 0:
            raw = cap
            _note(steps, "ratio_lower_zero", cap=cap)
        else:
            raw = HUNDRED * target / actual
            _note(steps, "ratio_lower", a=actual, t=target, raw=raw)
        return _cap_floor(raw, cap, params["floor"], steps)
    if method == "linear":
        delta = actual - target if higher else target - actual
        raw = params["base"] + params["per"] * delta
        code = "linear_higher" if higher else "linear_lower"
        _note(steps, code, a=actual, t=target, base=params["base"], per=params["per"], raw=raw)
        return _cap_floor(raw, params["cap"], params["floor"], steps)
    if method == "deduction":
        raw = HUNDRED - params["per"] * actual
        _note(steps, "deduction", a=actual, per=params["per"], raw=raw)
        return _cap_floor(raw, None, ZERO, steps)
    if method == "tiers":
        for threshold, score in params.tiers:
            if (actual >= threshold) if higher else (actual <= threshold):
                code = "tier_higher" if higher else "tier_lower"
                _note(steps, code, a=actual, threshold=threshold, score=score)
                return score
        _note(steps, "tier_none", a=actual)
        return ZERO
    if method == "binary":
        passed = actual >= target if higher else actual <= target
        code = ("binary_higher" if higher else "binary_lower") + ("_pass" if passed else "_fail")
        _note(steps, code, a=actual, t=target)
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
                _note(steps, "relative_all_zero", best=best)
                raw = HUNDRED
            elif higher:
                raw = HUNDRED * a / best
                _note(steps, "relative_higher", a=a, best=best, raw=raw)
            elif a == 0:
                raw = HUNDRED
                _note(steps, "relative_lower_zero", a=a)
            else:
                raw = HUNDRED * best / a
                _note(steps, "relative_lower", a=a, best=best, raw=raw)
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
            _note(steps, code, a=actuals[key], rank=rank, n=len(ranks), step=step, raw=raw)
            scores[key] = _cap_floor(raw, None, floor, steps)
        return scores
    return {
        key: score_one(method, params, direction, a, targets.get(key), explain.get(key))
        for key, a in actuals.items()
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


def excellence_quota(county_count: int, ratio: Decimal) -> int:
    """q = floor(p × N), every county counted (vetoed ones too); p = 1 means no quota."""
    if ratio >= 1:
        return county_count
    return int((ratio * county_count).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class GradeLines:
    """The lines of the grades in points: excellence (None when the cycle sets none), good
    and fair, each round2(share × T)."""

    excellent: Decimal | None
    good: Decimal
    fair: Decimal


def grade_lines(settings: CycleSettings) -> GradeLines:
    t = settings.total_points
    return GradeLines(
        excellent=round2(settings.excellent_line * t)
        if settings.excellent_line is not None
        else None,
        good=round2(settings.good_line * t),
        fair=round2(settings.fair_line * t),
    )


def assign_grades(
    totals: Mapping[str, Decimal],
    vetoed: Iterable[str],
    settings: CycleSettings,
    walk: list | None = None,
) -> dict[str, str]:
    """Grades by the rules of the spec: vetoes, the excellence quota by groups, then lines.

    ``walk``, when given, receives the steps of the quota walk: the quota and line, then
    each group of equal totals taken (or the first that did not fit, where the walk stops).
    """
    vetoed = set(vetoed)
    quota = excellence_quota(len(totals), settings.excellent_ratio)
    lines = grade_lines(settings)
    line, good, fair = lines.excellent, lines.good, lines.fair
    _note(walk, "quota", n=len(totals), ratio=settings.excellent_ratio, quota=quota, line=line)

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
            _note(walk, "group_stops", total=t, counties=sorted(group), left=left)
            break
        for c in group:
            grades[c] = EXCELLENT
        left -= len(group)
        _note(walk, "group_taken", total=t, counties=sorted(group), left=left)
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


# --- explaining one county's figures ------------------------------------------------------


@dataclass
class ItemExplanation:
    code: str
    method: str
    share: Decimal
    actual: Decimal | None
    target: Decimal | None
    score: Decimal
    steps: list[Step]

    @property
    def contribution(self) -> Decimal:
        """This item's part of the indicator percent: share × score / 100."""
        return self.share * self.score / HUNDRED


@dataclass
class IndicatorExplanation:
    code: str
    weight: Decimal
    exempt: bool
    items: list[ItemExplanation]
    percent: Decimal | None  # S_ci (None when exempt)
    points: Decimal  # P_ci, exact
    earned: Decimal | None = None  # exempt: Σ P_cj over the county's other indicators
    possible: Decimal | None = None  # exempt: Σ w_j over them

    @property
    def rounded(self) -> Decimal:
        return round2(self.points)


@dataclass
class CountyExplanation:
    county: str
    indicators: list[IndicatorExplanation]
    indicator_points: Decimal  # Σ_i P_ci, exact
    adjustments: list[Decimal]
    adjustment_sum: Decimal
    adjustment: Decimal  # A_c after the cap
    bonus_cap: Decimal | None
    total: Decimal
    rank: int
    county_count: int
    vetoed: bool
    grade: str
    lines: GradeLines
    walk: list[Step]


def explain_county(
    *,
    county: str,
    counties: Iterable[str],
    indicators: Iterable[IndicatorSpec],
    inputs: Mapping[tuple[str, str], tuple[Decimal | None, Decimal | None]],
    exempt: Iterable[tuple[str, str]] = (),
    adjustments: Mapping[str, Iterable[Decimal]] | None = None,
    vetoed: Iterable[str] = (),
    settings: CycleSettings = CycleSettings(),
    result: CycleResult,
) -> CountyExplanation:
    """How ``county``'s figures in ``result`` (the :func:`compute_cycle` of the same
    arguments) came about: every item's formula with its figures, the indicator percent and
    points, the exemption re-weighting, the adjustments and their cap, the quota walk.

    The item steps come from the same scoring functions, run again with recording on; the
    other figures are read from ``result``.
    """
    counties = list(counties)
    exempt = set(exempt)
    vetoed = set(vetoed)
    explained = []
    for ind in indicators:
        if (county, ind.code) in exempt:
            own = [i for i in indicators if (county, i.code) not in exempt]
            explained.append(
                IndicatorExplanation(
                    code=ind.code, weight=ind.weight, exempt=True, items=[], percent=None,
                    points=result.points[(county, ind.code)],
                    earned=sum((result.points[(county, i.code)] for i in own), ZERO),
                    possible=sum((i.weight for i in own), ZERO),
                )
            )  # fmt: skip
            continue
        applicable = [c for c in counties if (c, ind.code) not in exempt]
        items = []
        for item in ind.items:
            steps: list[Step] = []
            actuals = {c: inputs[(c, item.code)][0] for c in applicable}
            targets = {c: inputs[(c, item.code)][1] for c in applicable}
            scores = item_scores(
                item.method, item.params, ind.direction, actuals, targets, {county: steps}
            )
            items.append(
                ItemExplanation(
                    code=item.code, method=item.method, share=item.share,
                    actual=actuals[county], target=targets[county], score=scores[county],
                    steps=steps,
                )
            )  # fmt: skip
        explained.append(
            IndicatorExplanation(
                code=ind.code, weight=ind.weight, exempt=False, items=items,
                percent=result.percent[(county, ind.code)],
                points=result.points[(county, ind.code)],
            )
        )  # fmt: skip
    walk: list[Step] = []
    assign_grades(result.total, vetoed, settings, walk)
    entries = list((adjustments or {}).get(county, ()))
    return CountyExplanation(
        county=county,
        indicators=explained,
        indicator_points=result.indicator_points[county],
        adjustments=entries,
        adjustment_sum=sum(entries, ZERO),
        adjustment=result.adjustment[county],
        bonus_cap=settings.bonus_cap,
        total=result.total[county],
        rank=result.rank[county],
        county_count=len(counties),
        vetoed=county in vetoed,
        grade=result.grade[county],
        lines=grade_lines(settings),
        walk=walk,
    )


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
