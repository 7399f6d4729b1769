"""The scoring engine of spec/scoring.md: pure functions over plain values.

No ORM, no settings: the services load a cycle in bulk, call :func:`compute_cycle` or
:func:`round_warnings` and store what they return. Every figure is a ``Decimal``; the
default decimal context is used throughout, as the spec's own arithmetic does. Keys are the
codes of counties, indicators and items, so that ties sort by code.

:mod:`indicators.methods` scores one item (its method, its parameters); this module weighs
the items into indicator points, totals, ranks, grades and warnings. The names of
:mod:`indicators.methods` are re-exported here for the code that reads a whole result, and so
are the round warnings of :mod:`scoring.results.warnings`.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from indicators.methods import HUNDRED as HUNDRED
from indicators.methods import NON_NEGATIVE as NON_NEGATIVE
from indicators.methods import VALUE_FIELDS as VALUE_FIELDS
from indicators.methods import ZERO as ZERO
from indicators.methods import Step as Step
from indicators.methods import clip, note_step
from indicators.methods import competition_rank as competition_rank
from indicators.methods import input_problems as input_problems
from indicators.methods import item_scores as item_scores
from indicators.methods import round2 as round2
from indicators.methods import score_one as score_one
from indicators.methods import value_errors as value_errors
from indicators.params import Params
from scoring.results.warnings import REASONS as REASONS
from scoring.results.warnings import RoundWarnings as RoundWarnings
from scoring.results.warnings import WarningFigures as WarningFigures
from scoring.results.warnings import round_warnings as round_warnings
from scoring.results.warnings import warning_reasons as warning_reasons

EXCELLENT, GOOD, FAIR, POOR = "excellent", "good", "fair", "poor"


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
    return total if cap is None else clip(total, -cap, cap)


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
    note_step(walk, "quota", n=len(totals), ratio=settings.excellent_ratio, quota=quota, line=line)

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
            note_step(walk, "group_stops", total=t, counties=sorted(group), left=left)
            break
        for c in group:
            grades[c] = EXCELLENT
        left -= len(group)
        note_step(walk, "group_taken", total=t, counties=sorted(group), left=left)
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
        _score_indicator(result, ind, applicable, inputs)

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


def _score_indicator(
    result: CycleResult, ind: IndicatorSpec, applicable: list[str], inputs: Mapping
) -> None:
    """Add to ``result`` the item scores, percent, points and rank of the ``applicable``
    (non-exempt) counties on ``ind``."""
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


def _explain_indicator(
    county: str,
    ind: IndicatorSpec,
    indicators: Iterable[IndicatorSpec],
    counties: list[str],
    inputs: Mapping,
    exempt: set,
    result: CycleResult,
) -> IndicatorExplanation:
    """How ``county``'s points on ``ind`` came about: the exemption's re-weighting, or every
    item's formula (the item scores run again with recording on)."""
    if (county, ind.code) in exempt:
        own = [i for i in indicators if (county, i.code) not in exempt]
        return IndicatorExplanation(
            code=ind.code, weight=ind.weight, exempt=True, items=[], percent=None,
            points=result.points[(county, ind.code)],
            earned=sum((result.points[(county, i.code)] for i in own), ZERO),
            possible=sum((i.weight for i in own), ZERO),
        )  # fmt: skip
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
    return IndicatorExplanation(
        code=ind.code, weight=ind.weight, exempt=False, items=items,
        percent=result.percent[(county, ind.code)],
        points=result.points[(county, ind.code)],
    )  # fmt: skip


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
    explained = [
        _explain_indicator(county, ind, indicators, counties, inputs, exempt, result)
        for ind in indicators
    ]
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
