"""The year-end forecast as its pages show it: loaded in bulk, projected by the engine
(:mod:`scoring.results.forecast`, which states the method), compared with the real results
once the year's are computed; and the lead department's sharing of it with the counties."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import acting
from assessment.models import County, Cycle, Round, User
from assessment.refusals import Refused
from indicators.models import Indicator
from reports.models import ForecastShare
from scoring.models import CountyResult, Grade, IndicatorResult, Progress
from scoring.results.engine import IncompleteInputs, round2
from scoring.results.forecast import Forecast, ForecastError, forecast_error, forecast_year
from scoring.results.services import ResultsRefused, load_cycle


class ForecastRefused(Refused):
    """No forecast can be made now; the message says why."""


def forecast_rounds(cycle: Cycle) -> list[Round]:
    """The closed pre-assessment rounds of ``cycle``, in the year's order: each gives a
    forecast."""
    return list(
        Round.objects.filter(cycle=cycle, kind=Round.Kind.PRE, status=Round.Status.CLOSED)
        .exclude(expected_progress=None)
        .order_by("expected_progress", "code")
    )


def shared_round_ids(cycle: Cycle) -> set[int]:
    return set(ForecastShare.objects.filter(cycle=cycle).values_list("round_id", flat=True))


@dataclass
class CountyRow:
    county: County
    total: Decimal
    rank: int
    grade: str
    real: CountyResult | None = None

    @property
    def total_error(self) -> Decimal | None:
        return None if self.real is None else self.total - self.real.total

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label

    @property
    def grade_right(self) -> bool:
        return self.real is not None and self.real.grade == self.grade


@dataclass
class IndicatorRow:
    indicator: Indicator
    progress: Decimal | None
    completion: Decimal | None
    points: Decimal
    real_points: Decimal | None = None


@dataclass
class YearForecast:
    cycle: Cycle
    round: Round
    forecast: Forecast
    rows: list[CountyRow]
    left_out: list[County]
    error: ForecastError | None
    progress: dict = field(default_factory=dict)  # (county code, indicator code) → v
    indicators: list[Indicator] = field(default_factory=list)


def year_forecast(*, cycle: Cycle, round: Round) -> YearForecast:
    """The forecast of ``cycle`` from ``round``, with the real results when computed.

    Raises :class:`ForecastRefused` when the year's rules cannot be read or no county has
    progress in the round.
    """
    try:
        data = load_cycle(cycle)
    except ResultsRefused as exc:
        raise ForecastRefused("; ".join(str(p) for p in exc.problems)) from None
    county_by_code = {c.code: c for c in data.counties.values()}
    progress = {
        (c, i): v
        for c, i, v in Progress.objects.filter(round=round).values_list(
            "county__code", "indicator__code", "value"
        )
        if c in county_by_code
    }
    if not progress:
        raise ForecastRefused(_("No county has progress in this round."))
    targets = {key: target for key, (_actual, target) in data.inputs.items()}
    try:
        forecast = forecast_year(
            counties=sorted(county_by_code), indicators=data.specs, progress=progress,
            expected=round.expected_progress, targets=targets, exempt=data.exempt,
            adjustments=data.adjustments, vetoed=data.vetoed, settings=data.settings,
        )  # fmt: skip
    except IncompleteInputs as exc:  # a county exempt (or unreported) on every indicator
        raise ForecastRefused(", ".join(exc.all_exempt)) from None
    real = {
        r.county.code: r for r in CountyResult.objects.filter(cycle=cycle).select_related("county")
    }
    result = forecast.result
    rows = sorted(
        (
            CountyRow(county_by_code[c], result.total[c], result.rank[c], result.grade[c],
                      real.get(c))
            for c in forecast.counties
        ),
        key=lambda row: (row.rank, row.county.code),
    )  # fmt: skip
    error = forecast_error(
        forecast={c: (result.total[c], result.rank[c], result.grade[c]) for c in result.total},
        real={c: (r.total, r.rank, r.grade) for c, r in real.items()},
    )
    return YearForecast(
        cycle=cycle, round=round, forecast=forecast, rows=rows,
        left_out=[county_by_code[c] for c in forecast.left_out], error=error,
        progress=progress, indicators=list(data.indicators.values()),
    )  # fmt: skip


def county_rows(year: YearForecast, county: County) -> list[IndicatorRow]:
    """One county's forecast points per indicator, with its progress and completion and,
    after the year, its real points (one query)."""
    real = dict(
        IndicatorResult.objects.filter(cycle=year.cycle, county=county).values_list(
            "indicator_id", "points"
        )
    )
    points = year.forecast.result.points
    return [
        IndicatorRow(
            indicator=ind,
            progress=year.progress.get((county.code, ind.code)),
            completion=year.forecast.completion.get((county.code, ind.code)),
            points=round2(points[(county.code, ind.code)]),
            real_points=real.get(ind.id),
        )
        for ind in year.indicators
        if (county.code, ind.code) in points
    ]


def share_forecast(*, cycle: Cycle, round: Round, actor: User) -> ForecastShare:
    """Let the counties see the forecast from ``round`` (each its own).

    Side effects: creates the :class:`ForecastShare` (audited). Raises
    :class:`ForecastRefused` when it is shared already or the round gives no forecast.
    """
    if round not in forecast_rounds(cycle):
        raise ForecastRefused(_("Only a closed pre-assessment round gives a forecast."))
    with transaction.atomic(), acting(actor):
        share, created = ForecastShare.objects.get_or_create(
            cycle=cycle, round=round, defaults={"shared_by": actor}
        )
    if not created:
        raise ForecastRefused(_("This forecast is shared with the counties already."))
    return share


def withdraw_forecast(*, cycle: Cycle, round: Round, actor: User) -> None:
    """Stop showing the forecast from ``round`` to the counties.

    Side effects: deletes the :class:`ForecastShare` (audited). Raises
    :class:`ForecastRefused` when it is not shared.
    """
    with transaction.atomic(), acting(actor):
        share = ForecastShare.objects.filter(cycle=cycle, round=round).first()
        if share is None:
            raise ForecastRefused(_("This forecast is not shared with the counties."))
        share.delete()
