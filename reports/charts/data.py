"""What each chart shows, read in a fixed number of queries and shaped as a table.

The views decide what the viewer may see (which years, whether other counties are named) and
pass it in; these functions only read. A county sees the other counties of a published year
only as places ("第 3 名"), never by name: the published aggregates are the statistics page.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.models import County, Cycle
from indicators.models import Indicator
from scoring.models import CountyResult, IndicatorResult, IndicatorStat
from scoring.results.engine import competition_rank, grade_lines, round2
from scoring.results.services import cycle_settings

HUNDRED = Decimal(100)


@dataclass
class ChartData:
    kind: str
    title: str
    headers: list[str]
    rows: list[list]
    # What the drawing needs, in plain JSON-able values (numbers as floats, labels as text).
    series: dict = field(default_factory=dict)
    filename: str = "chart"
    # Why there are no rows, when there are none (shown instead of an empty drawing).
    empty_note: str = ""

    def key_material(self) -> list:
        return [self.kind, self.title, self.headers, self.series]


def _rate(points: Decimal, weight: Decimal) -> Decimal:
    return round2(points * HUNDRED / weight) if weight else Decimal(0)


def county_trend(*, county: County, cycle_ids: set[int]) -> ChartData:
    """A county's total and rank over the years in ``cycle_ids`` (动态运行图)."""
    results = list(
        CountyResult.objects.filter(county=county, cycle_id__in=cycle_ids)
        .select_related("cycle")
        .order_by("cycle__year")
    )
    counts = dict(
        CountyResult.objects.filter(cycle_id__in=[r.cycle_id for r in results])
        .values("cycle_id")
        .annotate(n=Count("id"))
        .values_list("cycle_id", "n")
    )
    rows = [[r.cycle.year, r.total, r.rank, counts.get(r.cycle_id, 0)] for r in results]
    return ChartData(
        kind="trend",
        title=_("%(county)s: total and rank over the years") % {"county": county.name},
        headers=[_("Year"), _("Total"), _("Rank"), pgettext("number of", "Counties")],
        rows=rows,
        series={
            "years": [str(r[0]) for r in rows],
            "totals": [float(r[1]) for r in rows],
            "ranks": [r[2] for r in rows],
            "counts": [r[3] for r in rows],
            "total_label": _("Total"),
            "rank_label": _("Rank"),
        },
        filename=f"trend-{county.code}",
    )


def county_profile(*, cycle: Cycle, county: County) -> ChartData:
    """A county's score rate on every indicator against the city average rate (percent of the
    indicator's weight, so that indicators of different weights compare)."""
    stats = {s.indicator_id: s for s in IndicatorStat.objects.filter(cycle=cycle)}
    results = list(
        IndicatorResult.objects.filter(cycle=cycle, county=county)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    rows = []
    for r in results:
        stat = stats.get(r.indicator_id)
        ind = r.indicator
        average = stat.average if stat is not None else None
        rows.append(
            [
                ind.code,
                ind.name,
                ind.weight,
                r.points,
                average,
                _rate(r.points, ind.weight),
                None if average is None else _rate(average, ind.weight),
            ]
        )
    return ChartData(
        kind="profile",
        title=_("%(county)s %(year)s: score rate by indicator against the city average")
        % {"county": county.name, "year": cycle.year},
        headers=[
            _("Code"),
            _("Indicator"),
            _("Weight"),
            pgettext("indicator points", "Points"),
            _("City average"),
            _("Score rate (%)"),
            _("City average rate (%)"),
        ],
        rows=rows,
        series={
            "labels": [row[0] for row in rows],
            "values": [float(row[5]) for row in rows],
            "averages": [None if row[6] is None else float(row[6]) for row in rows],
            "value_label": county.name,
            "average_label": _("City average"),
            "axis_label": _("Score rate (%)"),
        },
        filename=f"profile-{cycle.year}-{county.code}",
    )


def _label(code: str, name: str, place: int, *, own: str | None, anonymous: bool) -> str:
    if anonymous and code != own:
        return _("No. %(place)s") % {"place": place}
    return name


def indicator_across(
    *, cycle: Cycle, indicator: Indicator, own: str | None, anonymous: bool
) -> ChartData:
    """One indicator's points in every county, highest first, with the average line."""
    results = list(
        IndicatorResult.objects.filter(cycle=cycle, indicator=indicator, exempt=False)
        .select_related("county")
        .order_by("-points", "county__code")
    )
    stat = IndicatorStat.objects.filter(indicator=indicator).first()
    rows = [
        [
            _label(r.county.code, r.county.name, r.rank or 0, own=own, anonymous=anonymous),
            r.points,
            r.rank,
        ]
        for r in results
    ]
    return ChartData(
        kind="indicator",
        title=_("%(code)s %(name)s %(year)s: points of every county")
        % {"code": indicator.code, "name": indicator.name, "year": cycle.year},
        headers=[_("County"), pgettext("indicator points", "Points"), _("Rank")],
        rows=rows,
        series={
            "labels": [row[0] for row in rows],
            "values": [float(row[1]) for row in rows],
            "highlight": [r.county.code == own for r in results],
            "average": None if stat is None else float(stat.average),
            "average_label": _("Average %(value)s") % {"value": stat.average} if stat else "",
            "axis_label": pgettext("indicator points", "Points"),
        },
        filename=f"indicator-{cycle.year}-{indicator.code}",
    )


def total_change(
    *, cycle: Cycle, last: Cycle | None, own: str | None, anonymous: bool
) -> ChartData:
    """Every county's change of total against the year before, largest rise first."""
    now = {
        r.county.code: r for r in CountyResult.objects.filter(cycle=cycle).select_related("county")
    }
    before = (
        dict(CountyResult.objects.filter(cycle=last).values_list("county__code", "total"))
        if last is not None
        else {}
    )
    changes = {code: r.total - before[code] for code, r in now.items() if code in before}
    places = competition_rank(changes)
    ordered = sorted(changes, key=lambda code: (-changes[code], code))
    rows = [
        [
            _label(code, now[code].county.name, places[code], own=own, anonymous=anonymous),
            before[code],
            now[code].total,
            changes[code],
        ]
        for code in ordered
    ]
    return ChartData(
        kind="change",
        title=(
            _("Change of every county's total, %(last)s → %(year)s")
            % {"last": last.year, "year": cycle.year}
            if last
            else _("Change of every county's total against the year before")
        ),
        empty_note="" if last else _("There is no earlier year with results to compare with."),
        headers=[
            _("County"),
            str(last.year) if last else _("Last year"),
            str(cycle.year),
            pgettext("year on year", "Change"),
        ],
        rows=rows,
        series={
            "labels": [row[0] for row in rows],
            "values": [float(row[3]) for row in rows],
            "highlight": [code == own for code in ordered],
            "axis_label": _("Change of total (points)"),
        },
        filename=f"change-{cycle.year}",
    )


def total_distribution(*, cycle: Cycle) -> ChartData:
    """How the totals spread: counties per band of the total points, with the grade lines."""
    totals = sorted(CountyResult.objects.filter(cycle=cycle).values_list("total", flat=True))
    lines = grade_lines(cycle_settings(cycle))
    span = cycle.total_points / 20  # twenty bands of the total points
    bands: dict[int, int] = {}
    for total in totals:
        band = min(int(total / span), 19) if total > 0 else 0
        bands[band] = bands.get(band, 0) + 1
    first, last = (min(bands), max(bands)) if bands else (0, -1)
    rows = [
        [round2(span * b), round2(span * (b + 1)), bands.get(b, 0)] for b in range(first, last + 1)
    ]
    return ChartData(
        kind="distribution",
        title=_("Distribution of the totals %(year)s") % {"year": cycle.year},
        headers=[_("From"), _("Below"), pgettext("number of", "Counties")],
        rows=rows,
        series={
            "starts": [float(row[0]) for row in rows],
            "width": float(span),
            "counts": [row[2] for row in rows],
            "lines": [
                [float(value), label]
                for value, label in (
                    (lines.excellent, _("Excellence line")),
                    (lines.good, _("Good line")),
                    (lines.fair, _("Fair line")),
                )
                if value is not None
            ],
            "axis_label": _("Total"),
            "count_label": pgettext("number of", "Counties"),
        },
        filename=f"distribution-{cycle.year}",
    )


def every_trend(*, cycle_ids: set[int]) -> ChartData:
    """Every county's total over the years in ``cycle_ids`` (the lead's dashboard)."""
    results = list(
        CountyResult.objects.filter(cycle_id__in=cycle_ids)
        .select_related("county")
        .order_by("county__code")
        .values_list("county__code", "county__name", "cycle__year", "total")
    )
    years = sorted({year for _c, _n, year, _t in results})
    by_county: dict[tuple[str, str], dict[int, Decimal]] = {}
    for code, name, year, total in results:
        by_county.setdefault((code, name), {})[year] = total
    rows = [
        [f"{code} {name}", *(totals.get(year) for year in years)]
        for (code, name), totals in by_county.items()
    ]
    return ChartData(
        kind="trends",
        title=_("Every county's total over the years"),
        headers=[_("County"), *(str(year) for year in years)],
        rows=rows,
        series={
            "years": [str(year) for year in years],
            "lines": [
                [name, [None if totals.get(y) is None else float(totals[y]) for y in years]]
                for (_code, name), totals in by_county.items()
            ],
            "axis_label": _("Total"),
        },
        filename="trends",
    )
