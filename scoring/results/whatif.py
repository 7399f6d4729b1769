"""What-if for one county: the engine run again with one indicator's inputs improved.

Pure functions over plain values. "Improving an indicator by ``x`` %" moves the actual of
each of its rule items, for that county only, by ``x`` % of the item's target (where the
method compares with a target above 0) or else of the actual's own size, in the direction
that is better for the indicator: up for higher-is-better, down for lower-is-better (never
below 0 where the method needs a non-negative value, a direct score at most 100). Everything
else stays as it is: the other counties' inputs, exemptions, adjustments, vetoes; the engine
(:func:`~scoring.results.engine.compute_cycle`) recomputes every score, so comparative items
(rankings, benchmarks) move the others as well.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from indicators.params import NEEDS_TARGET
from scoring.results.engine import (
    HUNDRED,
    NON_NEGATIVE,
    ZERO,
    CycleResult,
    CycleSettings,
    IndicatorSpec,
    compute_cycle,
    round2,
)


def improved_actual(
    method: str, direction: str, actual: Decimal, target: Decimal | None, amount: Decimal
) -> Decimal:
    """The actual improved by ``amount`` % (of the target, or of its own size)."""
    base = target if method in NEEDS_TARGET and target is not None and target > 0 else abs(actual)
    step = base * amount / HUNDRED
    improved = actual + step if direction == "higher" else actual - step
    if method in NON_NEGATIVE:
        improved = max(improved, ZERO)
    if method == "manual":
        improved = min(improved, HUNDRED)
    return improved


def improved_inputs(
    *, indicator: IndicatorSpec, county: str, inputs: Mapping, amount: Decimal
) -> dict:
    """A copy of ``inputs`` ((county, item) → (actual, target)) with ``county``'s items of
    ``indicator`` improved by ``amount`` %."""
    changed = dict(inputs)
    for item in indicator.items:
        actual, target = inputs[(county, item.code)]
        changed[(county, item.code)] = (
            improved_actual(item.method, indicator.direction, actual, target, amount),
            target,
        )
    return changed


@dataclass(frozen=True)
class WhatIf:
    indicator: str
    points_before: Decimal  # the county's points on the indicator, round2
    points_after: Decimal
    total_before: Decimal
    total_after: Decimal
    rank_before: int
    rank_after: int

    @property
    def gain(self) -> Decimal:
        return self.total_after - self.total_before

    @property
    def places(self) -> int:
        """Places climbed (positive) or lost."""
        return self.rank_before - self.rank_after


@dataclass(frozen=True)
class Year:
    """A year as the engine takes it (the arguments of compute_cycle)."""

    counties: list[str]
    indicators: list[IndicatorSpec]
    inputs: Mapping
    exempt: set
    adjustments: Mapping[str, Iterable[Decimal]]
    vetoed: set
    settings: CycleSettings

    def compute(self, inputs: Mapping | None = None) -> CycleResult:
        return compute_cycle(
            counties=self.counties, indicators=self.indicators,
            inputs=self.inputs if inputs is None else inputs, exempt=self.exempt,
            adjustments=self.adjustments, vetoed=self.vetoed, settings=self.settings,
        )  # fmt: skip


def what_if(
    *, year: Year, county: str, indicator: str, amount: Decimal, before: CycleResult
) -> WhatIf:
    """``county``'s total and rank with ``indicator`` improved by ``amount`` %, everything
    else fixed; ``before`` is the engine's result on the year as it is."""
    spec = next(i for i in year.indicators if i.code == indicator)
    after = year.compute(
        improved_inputs(indicator=spec, county=county, inputs=year.inputs, amount=amount)
    )
    return WhatIf(
        indicator=indicator,
        points_before=round2(before.points[(county, indicator)]),
        points_after=round2(after.points[(county, indicator)]),
        total_before=before.total[county],
        total_after=after.total[county],
        rank_before=before.rank[county],
        rank_after=after.rank[county],
    )


def best_efforts(
    *, year: Year, county: str, amount: Decimal, before: CycleResult, top: int = 3
) -> list[WhatIf]:
    """The ``top`` indicators (not exempt for ``county``) where improving by ``amount`` %
    gains most: by points gained, then places climbed, then code."""
    gains = [
        what_if(year=year, county=county, indicator=ind.code, amount=amount, before=before)
        for ind in year.indicators
        if (county, ind.code) not in year.exempt
    ]
    gains.sort(key=lambda w: (-w.gain, -w.places, w.indicator))
    return gains[:top]
