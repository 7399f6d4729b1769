"""What the results pages read: the published statistics and a county's feedback.

Each function reads a fixed number of queries whatever the number of counties and
indicators; the pages that show them pin that in tests.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from assessment.models import County, Cycle
from indicators.models import Indicator
from scoring.models import CountyResult, IndicatorResult, IndicatorStat

# How many shortfalls the feedback page lists as "what to improve next year".
SHORTFALLS_SHOWN = 10


@dataclass
class StatRow:
    indicator: Indicator
    stat: IndicatorStat
    top_names: list[str]
    bottom_names: list[str]


def statistics_rows(cycle: Cycle) -> list[StatRow]:
    """The per-indicator statistics of ``cycle`` in the indicator system's order, with the
    county names of the top and bottom three (three queries)."""
    names = dict(County.objects.filter(cycles=cycle).values_list("code", "name"))
    stats = {
        s.indicator_id: s
        for s in IndicatorStat.objects.filter(cycle=cycle).select_related("indicator")
    }
    rows = []
    for ind in Indicator.objects.filter(cycle=cycle).order_by("order", "code"):
        stat = stats.get(ind.id)
        if stat is not None:
            rows.append(
                StatRow(
                    indicator=ind,
                    stat=stat,
                    top_names=[names.get(code, code) for code in stat.top],
                    bottom_names=[names.get(code, code) for code in stat.bottom],
                )
            )
    return rows


@dataclass
class IndicatorFeedback:
    """One indicator on a county's feedback page."""

    indicator: Indicator
    points: Decimal
    exempt: bool
    rank: int | None
    ranked: int  # counties ranked on the indicator (the non-exempt ones)
    stat: IndicatorStat | None
    last_points: Decimal | None = None  # the same indicator code, last year

    @property
    def gap(self) -> Decimal | None:
        """Points behind the best county (0 for the best); None when exempt."""
        if self.exempt or self.stat is None:
            return None
        return self.stat.highest - self.points

    @property
    def change(self) -> Decimal | None:
        if self.last_points is None:
            return None
        return self.points - self.last_points


@dataclass
class Feedback:
    cycle: Cycle
    county: County
    result: CountyResult
    county_count: int
    rows: list[IndicatorFeedback]
    last_result: CountyResult | None = None
    shortfalls: list[IndicatorFeedback] = field(default_factory=list)

    @property
    def total_change(self) -> Decimal | None:
        return None if self.last_result is None else self.result.total - self.last_result.total

    @property
    def rank_change(self) -> int | None:
        # Positive when the county climbed.
        return None if self.last_result is None else self.last_result.rank - self.result.rank


def county_feedback(
    *, cycle: Cycle, county: County, last_cycle: Cycle | None = None
) -> Feedback | None:
    """The feedback of ``county`` in ``cycle``: None when it has no result there.

    ``last_cycle`` is the year to compare with (the caller decides whether its results may be
    shown); indicators are matched by code across the years. Reads at most eight queries.
    """
    result = (
        CountyResult.objects.filter(cycle=cycle, county=county)
        .select_related("cycle", "county", "override_by")
        .first()
    )
    if result is None:
        return None
    county_count = CountyResult.objects.filter(cycle=cycle).count()
    ranked = dict(
        IndicatorResult.objects.filter(cycle=cycle, exempt=False)
        .values("indicator_id")
        .annotate(n=Count("id"))
        .values_list("indicator_id", "n")
    )
    stats = {s.indicator_id: s for s in IndicatorStat.objects.filter(cycle=cycle)}
    rows = [
        IndicatorFeedback(
            indicator=r.indicator,
            points=r.points,
            exempt=r.exempt,
            rank=r.rank,
            ranked=ranked.get(r.indicator_id, 0),
            stat=stats.get(r.indicator_id),
        )
        for r in IndicatorResult.objects.filter(cycle=cycle, county=county)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    ]
    feedback = Feedback(
        cycle=cycle, county=county, result=result, county_count=county_count, rows=rows
    )
    if last_cycle is not None:
        feedback.last_result = CountyResult.objects.filter(cycle=last_cycle, county=county).first()
        last_points = dict(
            IndicatorResult.objects.filter(cycle=last_cycle, county=county).values_list(
                "indicator__code", "points"
            )
        )
        for row in rows:
            row.last_points = last_points.get(row.indicator.code)
    feedback.shortfalls = sorted(
        (row for row in rows if row.gap),
        key=lambda row: (-row.gap, row.indicator.order, row.indicator.code),
    )[:SHORTFALLS_SHOWN]
    return feedback
