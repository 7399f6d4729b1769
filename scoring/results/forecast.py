"""The year-end forecast and the what-if: the engine run on projected or changed inputs.

Pure functions over plain values, like :mod:`scoring.results.engine`, which does the scoring:
nothing here scores an item, it only says what each item's input would be.

**The forecast's method** (stated on its page). From a pre-assessment round's progress ``v``
(percent of the year's task done) and that round's expected progress ``e``, each county's
projected completion of each indicator at the year's end is ``p = 100 × v / e`` (the pace
so far, kept up to December), kept within [0, 200]. Each rule item is then given the input
that this completion means, and scored by its own rules by the engine:

- an item whose method compares with a target (completion ratio, increase, reached or not),
  where the county's target is known and above 0: the actual that completes ``p`` % of the
  target — ``t × p / 100`` for a higher-is-better indicator, ``t × 100 / p`` for a
  lower-is-better one (``p`` at least 1);
- a ranking or benchmark item: the counties compared by their completion ``p``;
- any other item (direct score, tiers, deductions, or no target): ``p`` as a direct score
  (at most 100).

A county without progress on an indicator is treated as exempt from it for the forecast (it
scores there at its average rate on the others); a county without any progress is left out.
Adjustments and vetoes recorded so far count as they are. Totals, ranks and grades are the
engine's, with the year's settings.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from indicators.params import NEEDS_TARGET, parse_params
from scoring.results.engine import (
    HUNDRED,
    ZERO,
    CycleResult,
    CycleSettings,
    IndicatorSpec,
    compute_cycle,
    round2,
)

MAX_COMPLETION = Decimal(200)
ONE = Decimal(1)
COMPARATIVE = frozenset({"rank", "relative"})


def projected_completion(progress: Decimal, expected: Decimal) -> Decimal:
    """``100 × v / e`` within [0, 200]: the year's task done at the pace so far."""
    if expected <= 0:
        return min(max(progress, ZERO), MAX_COMPLETION)
    return min(max(progress * HUNDRED / expected, ZERO), MAX_COMPLETION)


def _projected_input(method: str, direction: str, p: Decimal, target: Decimal | None):
    """(actual, target) of one item scored by ``method`` at completion ``p``."""
    higher = direction == "higher"
    if method in NEEDS_TARGET:
        return (target * p / HUNDRED if higher else target * HUNDRED / max(p, ONE)), target
    if method == "rank":
        return (p if higher else -p), None
    if method == "relative":
        return (p if higher else HUNDRED * HUNDRED / max(p, ONE)), None
    return min(p, HUNDRED), None


@dataclass(frozen=True)
class Forecast:
    counties: list[str]  # the counties forecast (those with any progress)
    left_out: list[str]  # counties without any progress
    completion: dict[tuple[str, str], Decimal]  # (county, indicator) → p
    result: CycleResult  # the engine's figures on the projected inputs


def forecast_year(
    *,
    counties: Iterable[str],
    indicators: Iterable[IndicatorSpec],
    progress: Mapping[tuple[str, str], Decimal],
    expected: Decimal,
    targets: Mapping[tuple[str, str], Decimal | None],
    exempt: Iterable[tuple[str, str]] = (),
    adjustments: Mapping[str, Iterable[Decimal]] | None = None,
    vetoed: Iterable[str] = (),
    settings: CycleSettings,
) -> Forecast:
    """The forecast of the year from one round's ``progress`` ((county, indicator) → v)
    and its ``expected`` progress, with the counties' ``targets`` ((county, item) → t).

    The engine scores the projected inputs (:func:`compute_cycle`); see the module's
    docstring for the method.
    """
    indicators = list(indicators)
    exempt = set(exempt)
    counties = list(counties)
    completion = {key: projected_completion(value, expected) for key, value in progress.items()}
    reported = {c for c, _i in completion}
    kept = [c for c in counties if c in reported]
    specs, inputs, skipped = [], {}, set(exempt)
    for ind in indicators:
        reporting = [c for c in kept if (c, ind.code) in completion]
        skipped.update((c, ind.code) for c in kept if (c, ind.code) not in completion)
        items = []
        for item in ind.items:
            # An item falls back to a direct score for every county alike when any of them
            # lacks a positive target it needs (so that all are scored by one rule).
            own_rule = item.method in COMPARATIVE or (
                item.method in NEEDS_TARGET
                and all((targets.get((c, item.code)) or ZERO) > 0 for c in reporting)
            )
            method = item.method if own_rule else "manual"
            for c in reporting:
                inputs[(c, item.code)] = _projected_input(
                    method, ind.direction, completion[(c, ind.code)], targets.get((c, item.code))
                )
            if not own_rule:
                item = replace(item, method="manual", params=parse_params("manual", ""))
            items.append(item)
        specs.append(replace(ind, items=tuple(items)))
    result = compute_cycle(
        counties=kept,
        indicators=specs,
        inputs=inputs,
        exempt={(c, i) for c, i in skipped if c in kept},
        adjustments=adjustments,
        vetoed=[c for c in vetoed if c in kept],
        settings=settings,
    )
    return Forecast(
        counties=kept,
        left_out=[c for c in counties if c not in reported],
        completion=completion,
        result=result,
    )


@dataclass(frozen=True)
class ForecastError:
    """How far a forecast was from the real results of the year."""

    compared: int  # counties in both
    mean_abs_total: Decimal  # mean |forecast total − real total|, round2
    max_abs_total: Decimal
    mean_abs_rank: Decimal  # mean |forecast rank − real rank|, round2
    grades_right: int  # counties whose forecast grade was their real grade


def forecast_error(
    *,
    forecast: Mapping[str, tuple[Decimal, int, str]],
    real: Mapping[str, tuple[Decimal, int, str]],
) -> ForecastError | None:
    """Compare (total, rank, grade) per county; None when no county is in both."""
    both = sorted(set(forecast) & set(real))
    if not both:
        return None
    totals = [abs(forecast[c][0] - real[c][0]) for c in both]
    ranks = [Decimal(abs(forecast[c][1] - real[c][1])) for c in both]
    return ForecastError(
        compared=len(both),
        mean_abs_total=round2(sum(totals, ZERO) / len(both)),
        max_abs_total=round2(max(totals)),
        mean_abs_rank=round2(sum(ranks, ZERO) / len(both)),
        grades_right=sum(1 for c in both if forecast[c][2] == real[c][2]),
    )
