"""The lead department's summary of a round: counties × indicators with progress and
warnings, per-indicator distribution, the counties flagged for diagnosis, the workbook."""

import statistics
from collections import Counter
from io import BytesIO

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from alerts.models import DiagnosisCase, DiagnosisFlag, Warning
from alerts.services import NoExpectedProgress, expected_progress
from alerts.workbooks import (
    EXPORT_WARNINGS,
    is_large_warnings,
    warnings_filename,
    write_warnings_workbook,
)
from assessment.access import LEAD, get_round_or_404, require_role
from assessment.jobs.views import export_by_job
from assessment.models import Round, Unit
from indicators.models import Indicator
from scoring.entry.delivery import undelivered
from scoring.models import Exemption, Progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Row:
    def __init__(self, county):
        self.county = county
        self.cells: list[tuple] = []  # (value, warning or None, exempt)
        self.warning_count = 0
        self.flag = None
        self.case = None


def _distribution(values: list, expected, tolerance, warned: int, missing: int) -> dict:
    if not values:
        return {"reported": 0, "missing": missing, "warned": warned}
    return {
        "reported": len(values),
        "missing": missing,
        "warned": warned,
        "min": min(values),
        "max": max(values),
        "mean": sum(values) / len(values),
        "median": statistics.median(values),
        "behind": None if expected is None else sum(1 for v in values if v < expected - tolerance),
    }


def _sort(rows: list[Row], indicators: list, sort: str, descending: bool) -> str:
    codes = {ind.code: n for n, ind in enumerate(indicators)}
    if sort in codes:
        n = codes[sort]
        present = [r for r in rows if r.cells[n][0] is not None]
        absent = [r for r in rows if r.cells[n][0] is None]
        present.sort(key=lambda r: r.cells[n][0], reverse=descending)
        rows[:] = present + absent  # not reported stays last either way
        return sort
    if sort == "warnings":
        rows.sort(key=lambda r: -r.warning_count if descending else r.warning_count)
        return sort
    rows.sort(key=lambda r: r.county.code, reverse=descending)
    return "county"


def _grid(rnd, indicators: list, counties: list) -> tuple[list[Row], dict, dict, dict]:
    """The rows of the summary (one per county, one cell per indicator) from one query per
    table; also the current warnings, flags and cases by county."""
    cycle = rnd.cycle
    progress = {
        (c, i): v
        for c, i, v in Progress.objects.filter(round=rnd).values_list(
            "county_id", "indicator_id", "value"
        )
    }
    warnings = {
        (w.county_id, w.indicator_id): w
        for w in Warning.objects.filter(round=rnd, replaced_at__isnull=True)
    }
    exempt = set(Exemption.objects.filter(cycle=cycle).values_list("county_id", "indicator_id"))
    flags = {f.county_id: f for f in DiagnosisFlag.objects.filter(round=rnd, replaced_at=None)}
    cases = {c.county_id: c for c in DiagnosisCase.objects.filter(round=rnd)}
    per_county = Counter(county_id for county_id, _indicator_id in warnings)
    rows = []
    for county in counties:
        row = Row(county)
        for ind in indicators:
            key = (county.id, ind.id)
            row.cells.append((progress.get(key), warnings.get(key), key in exempt))
        row.warning_count = per_county[county.id]
        row.flag, row.case = flags.get(county.id), cases.get(county.id)
        rows.append(row)
    return rows, warnings, flags, cases


def _distributions(rnd, indicators: list, rows: list[Row]) -> tuple:
    """The expected progress of the round (None if it has none) and, per indicator, the
    distribution of the progress reported."""
    try:
        expected = expected_progress(rnd)
    except NoExpectedProgress:
        expected = None
    result = []
    for n, ind in enumerate(indicators):
        values = [r.cells[n][0] for r in rows if r.cells[n][0] is not None]
        missing = sum(1 for r in rows if r.cells[n][0] is None and not r.cells[n][2])
        warned = sum(1 for r in rows if r.cells[n][1] is not None)
        result.append((ind, _distribution(values, expected, rnd.tolerance, warned, missing)))
    return expected, result


@require_role(LEAD)
@require_safe
def round_summary(request: HttpRequest, year: int, round: str) -> HttpResponse:
    rnd = get_round_or_404(year, round, kind=Round.Kind.PRE)
    cycle = rnd.cycle
    units = list(Unit.objects.filter(indicators__cycle=cycle).distinct().order_by("code"))
    indicators = Indicator.objects.filter(cycle=cycle).select_related("unit")
    unit_code = request.GET.get("unit", "")
    if unit_code:
        indicators = indicators.filter(unit__code=unit_code)
    indicators = list(indicators.order_by("order", "code"))
    counties = list(cycle.counties.order_by("code"))
    rows, warnings, flags, cases = _grid(rnd, indicators, counties)
    expected, distribution = _distributions(rnd, indicators, rows)

    only = request.GET.get("only", "")
    if only == "warned":
        rows = [r for r in rows if r.warning_count]
    elif only == "flagged":
        rows = [r for r in rows if r.flag]
    descending = request.GET.get("dir") == "desc"
    sort = _sort(rows, indicators, request.GET.get("sort", "county"), descending)
    return render(
        request,
        "alerts/round_summary.html",
        {
            "round": rnd,
            "cycle": cycle,
            "expected": expected,
            "indicators": indicators,
            "rows": rows,
            "distribution": distribution,
            "flagged_rows": list(_all_flagged(counties, flags, cases)),
            "units": units,
            "unit_code": unit_code,
            "only": only,
            "sort": sort,
            "descending": descending,
            "warning_total": len(warnings),
            "undelivered": undelivered(rnd),
        },
    )


def _all_flagged(counties, flags, cases):
    for county in counties:
        if county.id in flags:
            row = Row(county)
            row.flag, row.case = flags[county.id], cases.get(county.id)
            yield row


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def round_warnings_xlsx(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """The warnings workbook of a round; a national round's is written by a job."""
    rnd = get_round_or_404(year, round, kind=Round.Kind.PRE)
    by_job = export_by_job(
        request,
        rnd.cycle,
        large=is_large_warnings(rnd),
        kind=EXPORT_WARNINGS,
        back=reverse("alerts:round_summary", kwargs={"year": year, "round": rnd.code}),
        rnd=rnd,
    )
    if by_job is not None:
        return by_job
    buffer = BytesIO()
    write_warnings_workbook(round=rnd, out=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{warnings_filename(rnd)}"'
    return response
