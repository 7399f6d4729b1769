"""The lead department's annual results table and the button that computes it.

Computing runs as a Celery task (eager without a broker). The button records in the session
when it asked; the results page then knows whether the latest request is done. While it is
not — the task is still running, or it refused — and whenever no results exist yet, the page
runs the service's own check (:func:`scoring.services.results.missing_inputs`) and lists
every missing input, so a refusal is explained whether the task ran in-process or on a worker.
"""

from collections import Counter, defaultdict
from datetime import datetime

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.governance.routine import counts_by_county as routine_counts
from assessment.models import Adjustment, Cycle
from assessment.services import CycleReadOnly, ensure_cycle_writable
from indicators.models import Indicator
from scoring.models import CountyResult, IndicatorResult, IndicatorStat
from scoring.services.results import MissingInput, missing_inputs
from scoring.tasks import compute_results_task

# Session key: {year: ISO time of the latest compute request} of this user.
REQUESTED_KEY = "results_requested"
# The results page lists at most this many missing inputs (and counts all of them).
PROBLEMS_SHOWN = 200


def _requested_at(request: HttpRequest, cycle: Cycle) -> datetime | None:
    value = request.session.get(REQUESTED_KEY, {}).get(str(cycle.year))
    return parse_datetime(value) if value else None


def _forget_request(request: HttpRequest, cycle: Cycle) -> None:
    requested = dict(request.session.get(REQUESTED_KEY, {}))
    requested.pop(str(cycle.year), None)
    request.session[REQUESTED_KEY] = requested


def _read_only_reason(cycle: Cycle) -> str:
    """Why the cycle cannot be recomputed (archived), or an empty string."""
    try:
        ensure_cycle_writable(cycle)
    except CycleReadOnly as exc:
        return str(exc)
    return ""


@require_role(LEAD)
@require_safe
def results(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    requested_at = _requested_at(request, cycle)
    computed_at = cycle.results_computed_at
    pending = requested_at is not None and (computed_at is None or computed_at < requested_at)
    if requested_at is not None and not pending:
        _forget_request(request, cycle)

    problems = missing_inputs(cycle) if pending or computed_at is None else []
    structured = [p for p in problems if isinstance(p, MissingInput)]
    by_unit = Counter((p.unit_code, p.unit_name) for p in structured)

    indicators = list(Indicator.objects.filter(cycle=cycle).order_by("order", "code"))
    county_results = list(
        CountyResult.objects.filter(cycle=cycle)
        .select_related("county")
        .order_by("rank", "county__code")
    )
    points = {
        (county_id, indicator_id): (value, exempt)
        for county_id, indicator_id, value, exempt in IndicatorResult.objects.filter(
            cycle=cycle
        ).values_list("county_id", "indicator_id", "points", "exempt")
    }
    reasons = defaultdict(list)
    for county_id, value, reason in Adjustment.objects.filter(cycle=cycle).values_list(
        "county_id", "points", "reason"
    ):
        reasons[county_id].append(f"{value:+} {reason}")
    routine = routine_counts(cycle)
    for row in county_results:
        row.routine = routine.get(row.county_id, (0, 0))
        row.cells = [points.get((row.county_id, ind.id), (None, False)) for ind in indicators]
        row.adjustment_reasons = "\n".join(reasons[row.county_id])

    names = {row.county.code: row.county.name for row in county_results}
    stats_by_indicator = {s.indicator_id: s for s in IndicatorStat.objects.filter(cycle=cycle)}
    stats = []
    for ind in indicators:
        stat = stats_by_indicator.get(ind.id)
        if stat is not None:
            stat.top_names = [names.get(code, code) for code in stat.top]
            stat.bottom_names = [names.get(code, code) for code in stat.bottom]
            stats.append((ind, stat))

    return render(
        request,
        "scoring/results.html",
        {
            "cycle": cycle,
            "read_only": _read_only_reason(cycle),
            "years": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "indicators": indicators,
            "county_results": county_results,
            "stats": stats,
            "pending": pending,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "problems_by_unit": sorted(by_unit.items()),
        },
    )


@require_role(LEAD)
@require_POST
def compute(request: HttpRequest, year: int) -> HttpResponse:
    """Queue the computation of the results; the results page reports how it went."""
    cycle = get_cycle_or_404(year)
    try:
        ensure_cycle_writable(cycle)
    except CycleReadOnly as exc:
        messages.error(request, str(exc))
        return redirect("scoring:results", year=cycle.year)
    requested = dict(request.session.get(REQUESTED_KEY, {}))
    requested[str(cycle.year)] = timezone.now().isoformat()
    request.session[REQUESTED_KEY] = requested
    cycle_id = cycle.pk
    transaction.on_commit(lambda: compute_results_task.delay(cycle_id=cycle_id))
    messages.info(
        request,
        _("The computation of the %(year)s results has been requested.") % {"year": cycle.year},
    )
    return redirect("scoring:results", year=cycle.year)
