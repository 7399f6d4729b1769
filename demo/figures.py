"""The invented figures of one year: actual and target per (county, item), progress per round.

Pure and the same on every run: a random generator seeded per year draws each county's
performance around its latent strength (demo.plan), then every figure from it.
"""

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from assessment.models import Round
from demo.plan import PAST_YEARS, PROGRESS_SPREAD, SEED, H, Values, city_plan, indicator_plans
from indicators.params import NEEDS_TARGET


@dataclass
class YearFigures:
    """The invented inputs of one year, keyed by codes: (county, item) and (county, indicator)."""

    actual: dict[tuple[str, str], Decimal]
    target: dict[tuple[str, str], Decimal | None]
    progress: dict[str, dict[tuple[str, str], Decimal]]  # round code → figures


def _decimal(value: float, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _performance(rng: random.Random, year: int) -> dict[str, float]:
    return {
        c.code: c.strength + c.drift * (year - PAST_YEARS[0]) + rng.gauss(0, 0.2)
        for c in city_plan().counties
    }


def _item_values(
    values: Values, *, better_higher: bool, perf: float, size: float, year: int
) -> tuple[Decimal, Decimal | None]:
    sign = 1 if better_higher else -1
    if values.scaled:
        target = values.center * size * (1 + values.growth) ** (year - PAST_YEARS[0])
        actual = target * (1 + sign * values.spread * perf)
    else:
        target = values.target
        actual = values.center + sign * values.spread * perf
    actual = max(actual, values.low)
    if values.high is not None:
        actual = min(actual, values.high)
    return (
        _decimal(actual, values.places),
        None if target is None else _decimal(target, values.places),
    )


def _annual(rng: random.Random, perf: dict[str, float], year: int) -> tuple[dict, dict]:
    """(actual, target) of every county on every rule item, keyed (county, item code)."""
    actual, target = {}, {}
    for _category, plan in indicator_plans():
        for n, item in enumerate(plan.items, start=1):
            # A count of bad events is better low whatever the indicator's direction.
            better_higher = plan.direction == H and item.method != "deduction"
            for c in city_plan().counties:
                p = max(-2.5, min(2.5, perf[c.code] + rng.gauss(0, 0.7)))
                a, t = _item_values(
                    item.values, better_higher=better_higher, perf=p, size=c.size, year=year
                )
                key = (c.code, f"{plan.code}-{n}")
                actual[key] = a
                target[key] = t if item.method in NEEDS_TARGET else None
    return actual, target


def _progress(rng: random.Random, perf: dict[str, float]) -> dict:
    """Each pre-assessment round's progress per (county, indicator), around its expected one."""
    progress: dict[str, dict[tuple[str, str], Decimal]] = {}
    for code, expected in Round.DEFAULT_EXPECTED.items():
        figures = {}
        for _category, plan in indicator_plans():
            for c in city_plan().counties:
                value = float(expected) + PROGRESS_SPREAD * (perf[c.code] + rng.gauss(0, 0.8))
                figures[(c.code, plan.code)] = _decimal(max(value, 0.0), 2)
        progress[code] = figures
    return progress


def year_figures(year: int) -> YearFigures:
    """The figures of ``year``: pure, and the same on every run (a generator seeded per year)."""
    rng = random.Random(f"{SEED}-{year}")
    perf = _performance(rng, year)
    actual, target = _annual(rng, perf, year)
    return YearFigures(actual=actual, target=target, progress=_progress(rng, perf))
