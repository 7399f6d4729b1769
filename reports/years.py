"""Years side by side: a county's results over the years, one indicator over the years.

Indicators are followed by their code: the same code in two years is the same indicator,
whatever its name or weight became (each year's name and weight are shown with its figures).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from assessment.models import County, Cycle
from indicators.models import Indicator
from scoring.models import CountyResult, IndicatorResult, IndicatorStat


@dataclass
class YearColumn:
    cycle: Cycle
    result: CountyResult | None = None


@dataclass
class CodeRow:
    code: str
    name: str  # the latest year's name
    cells: list = field(default_factory=list)  # per year: (points, weight, name) or None
    renamed: bool = False
    reweighted: bool = False


def county_years(*, county: County, cycle_ids: set[int]) -> tuple[list[YearColumn], list[CodeRow]]:
    """``county``'s total, rank, grade and points per indicator code in the given years."""
    cycles = list(Cycle.objects.filter(id__in=cycle_ids).order_by("year"))
    results = {
        r.cycle_id: r for r in CountyResult.objects.filter(county=county, cycle_id__in=cycle_ids)
    }
    columns = [YearColumn(cycle=c, result=results.get(c.id)) for c in cycles]
    columns = [c for c in columns if c.result is not None]
    points = {
        (r.cycle_id, r.indicator.code): r
        for r in IndicatorResult.objects.filter(
            county=county, cycle_id__in=[c.cycle.id for c in columns]
        ).select_related("indicator")
    }
    return columns, _rows(columns, points)


def _rows(columns: list[YearColumn], points: dict) -> list[CodeRow]:
    order: dict[str, tuple] = {}
    for (_cycle_id, code), r in points.items():
        order.setdefault(code, (r.indicator.order, code))
    rows = []
    for code in sorted(order, key=lambda c: order[c]):
        row = CodeRow(code=code, name="")
        for column in columns:
            r = points.get((column.cycle.id, code))
            row.cells.append(
                None if r is None else (r.points, r.indicator.weight, r.indicator.name, r.exempt)
            )
            if r is not None:
                row.name = r.indicator.name
        present = [c for c in row.cells if c is not None]
        row.renamed = len({c[2] for c in present}) > 1
        row.reweighted = len({c[1] for c in present}) > 1
        rows.append(row)
    return rows


@dataclass
class IndicatorYear:
    cycle: Cycle
    indicator: Indicator
    stat: IndicatorStat | None


def indicator_years(
    *, code: str, cycle_ids: set[int], only_county: County | None = None
) -> tuple[list[IndicatorYear], list[tuple[County, list[Decimal | None]]]]:
    """The indicator ``code`` in each of the given years (its name, weight and statistics
    there) and every county's points per year — only ``only_county``'s when given."""
    indicators = list(
        Indicator.objects.filter(code=code, cycle_id__in=cycle_ids)
        .select_related("cycle")
        .order_by("cycle__year")
    )
    stats = {s.indicator_id: s for s in IndicatorStat.objects.filter(indicator__in=indicators)}
    years = [IndicatorYear(cycle=i.cycle, indicator=i, stat=stats.get(i.id)) for i in indicators]
    results = IndicatorResult.objects.filter(indicator__in=indicators).select_related("county")
    if only_county is not None:
        results = results.filter(county=only_county)
    by_county: dict[int, dict[int, Decimal]] = defaultdict(dict)
    counties: dict[int, County] = {}
    for r in results:
        by_county[r.county_id][r.indicator_id] = r.points
        counties[r.county_id] = r.county
    rows = [
        (counties[cid], [by_county[cid].get(y.indicator.id) for y in years])
        for cid in sorted(counties, key=lambda cid: counties[cid].code)
    ]
    return years, rows
