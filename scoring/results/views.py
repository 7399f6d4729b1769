"""The lead department's annual results table and the button that computes it.

Computing runs as a Celery task (eager without a broker). The button records in the session
when it asked; the results page then knows whether the latest request is still running. A
computation job refused — started by the button or the nightly ranking — keeps every reason
(:class:`scoring.models.ResultsRefusal`), which the page shows to every lead user until a
computation succeeds: the page never loads the whole year to find missing inputs itself. A
computation given up by the lease sweep (lost with its worker on every attempt) is kept there
too: it answers the request (no longer "computing") and says what to do.
"""

from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.governance.routine import counts_by_county as routine_counts
from assessment.links import county_explanation_url, results_links
from assessment.models import Adjustment, Cycle, Round, Veto
from assessment.queue import QueueUnavailable, enqueue
from assessment.services import CycleReadOnly, ensure_cycle_writable
from indicators.models import Indicator
from scoring.forms import GradeOverrideForm
from scoring.models import CountyResult, Grade, IndicatorResult, IndicatorStat, ResultsRefusal
from scoring.results.engine import excellence_quota, grade_lines
from scoring.results.services import cycle_settings, override_grade, refusal_problems
from scoring.tasks import compute_results_task

# Session key: {year: ISO time of the latest compute request} of this user.
REQUESTED_KEY = "results_requested"
# The results page lists at most this many missing inputs (and counts all of them).
PROBLEMS_SHOWN = 200
# A province's table (200 counties × 300 indicators: 60,000 figures) is too large to read or
# to render at once: past these sizes the page shows one category's indicators at a time and
# the counties a page at a time (sorting still orders every county).
MAX_COLUMNS = 60
ROWS_PER_PAGE = 50


def _requested_at(request: HttpRequest, cycle: Cycle) -> datetime | None:
    value = request.session.get(REQUESTED_KEY, {}).get(str(cycle.year))
    return parse_datetime(value) if value else None


def _forget_request(request: HttpRequest, cycle: Cycle) -> None:
    requested = dict(request.session.get(REQUESTED_KEY, {}))
    requested.pop(str(cycle.year), None)
    request.session[REQUESTED_KEY] = requested


# Sortable columns of the results table besides the indicators ("i:<code>").
SORT_KEYS = {
    "rank": lambda row: (row.rank, row.county.code),
    "county": lambda row: row.county.code,
    "total": lambda row: (row.total, row.county.code),
    "grade": lambda row: (GRADE_ORDER[row.grade], row.county.code),
    "veto": lambda row: (not row.vetoed, row.rank),
    "adjustment": lambda row: (row.adjustment, row.county.code),
}
GRADE_ORDER = {grade: n for n, grade in enumerate(Grade.values)}


def _sort(rows: list, indicators: list, sort: str) -> tuple[list, str]:
    """``rows`` ordered by the column ``sort`` ("-" first for descending); unknown → rank."""
    descending = sort.startswith("-")
    key_name = sort.lstrip("-")
    position = {f"i:{ind.code}": n for n, ind in enumerate(indicators)}
    if key_name in SORT_KEYS:
        key = SORT_KEYS[key_name]
    elif key_name in position:
        n = position[key_name]
        # Counties without points on the indicator sort last either way.
        missing = Decimal("-Infinity") if descending else Decimal("Infinity")

        def key(row):
            value = row.cells[n][0]
            return (missing if value is None else value, row.county.code)
    else:
        return rows, "rank"
    return sorted(rows, key=key, reverse=descending), sort


def _cells_html(cells: list, explain_url: str | None) -> str:
    """The indicator cells of one results row, each linked to its explanation when an app
    offers one. Built here rather than by a template loop: the table of a province has 60,000
    cells, and the template engine takes seconds for them."""
    exempt_mark = format_html(
        '<span class="exempt-mark" title="{0}"><span aria-hidden="true">*</span>'
        '<span class="visually-hidden">{0}</span></span>',
        _("Exempt"),
    )
    base = escape(explain_url) if explain_url is not None else None
    parts = []
    for value, exempt, code in cells:
        if value is None:
            parts.append('<td class="text-end points-cell">—</td>')
            continue
        if base is None:
            mark = exempt_mark if exempt else ""
            parts.append(f'<td class="text-end points-cell">{value}{mark}</td>')
            continue
        parts.append(
            f'<td class="text-end points-cell"><a class="explain-link" '
            f'href="{base}#ind-{escape(code)}">{value}</a>{exempt_mark if exempt else ""}</td>'
        )
    return mark_safe("".join(parts))


# Columns whose first click sorts from the largest figure down.
DESCENDING_FIRST = {"total", "adjustment"}


def _sort_links(sort: str, indicators: list) -> dict:
    """For each column key: the ``sort`` value of its header link and its current state
    ("ascending", "descending" or "none", for aria-sort). Indicators are set on each one."""

    def link(key: str, descending_first: bool) -> tuple[str, str]:
        if sort == key:
            return f"-{key}", "ascending"
        if sort == f"-{key}":
            return key, "descending"
        return (f"-{key}" if descending_first else key), "none"

    for ind in indicators:
        ind.sort_link, ind.sort_state = link(f"i:{ind.code}", True)
    return {key: link(key, key in DESCENDING_FIRST) for key in SORT_KEYS}


def _shown_category(indicators: list, wanted: str) -> tuple[list, object]:
    """The categories of ``indicators`` in order, and the one whose columns the table shows:
    the one asked for, else (when the table would be too wide) the first; None for all."""
    categories = list({ind.category_id: ind.category for ind in indicators}.values())
    by_id = {str(c.id): c for c in categories}
    if wanted in by_id:
        return categories, by_id[wanted]
    if len(indicators) > MAX_COLUMNS and categories:
        return categories, categories[0]
    return categories, None


def grade_distribution(cycle: Cycle, county_results: list) -> dict:
    """How many counties got each grade, against the quota and the lines of the cycle."""
    settings = cycle_settings(cycle)
    counts = Counter(row.grade for row in county_results)
    return {
        "grades": [(value, label, counts[value]) for value, label in Grade.choices],
        "quota": excellence_quota(len(county_results), settings.excellent_ratio),
        "ratio_percent": format((settings.excellent_ratio * 100).normalize(), "f"),
        "lines": grade_lines(settings),
        "overridden": sum(1 for row in county_results if row.is_overridden),
    }


def _read_only_reason(cycle: Cycle) -> str:
    """Why the cycle cannot be recomputed (archived), or an empty string."""
    try:
        ensure_cycle_writable(cycle)
    except CycleReadOnly as exc:
        return str(exc)
    return ""


def _annotate_rows(cycle: Cycle, county_results: list, indicators: list, category) -> list:
    """Set on each county result its routine counts, explanation address, indicator cells
    (points, exempt, code) of the shown ``indicators`` and adjustment reasons; return the
    cycle's adjustments."""
    shown_points = IndicatorResult.objects.filter(cycle=cycle)
    if category is not None:
        shown_points = shown_points.filter(indicator__category=category)
    points = {
        (county_id, indicator_id): (value, exempt)
        for county_id, indicator_id, value, exempt in shown_points.values_list(
            "county_id", "indicator_id", "points", "exempt"
        )
    }
    adjustments = list(Adjustment.objects.filter(cycle=cycle).select_related("county"))
    reasons = defaultdict(list)
    for adjustment in adjustments:
        reasons[adjustment.county_id].append(f"{adjustment.points:+} {adjustment.reason}")
    routine = routine_counts(cycle)
    for row in county_results:
        row.routine = routine.get(row.county_id, (0, 0))
        # Reversed once per row, not once per cell (60,000 cells at 200 × 300).
        row.explain_url = county_explanation_url(cycle, row.county)
        # (points, exempt, indicator code) per indicator column.
        row.cells = [
            (*points.get((row.county_id, ind.id), (None, False)), ind.code) for ind in indicators
        ]
        row.adjustment_reasons = "\n".join(reasons[row.county_id])
    return adjustments


def _indicator_stats(cycle: Cycle, indicators: list, county_results: list) -> list:
    """(indicator, its statistics with the names of its top and bottom counties) for each
    shown indicator that has statistics."""
    names = {row.county.code: row.county.name for row in county_results}
    stats_by_indicator = {s.indicator_id: s for s in IndicatorStat.objects.filter(cycle=cycle)}
    stats = []
    for ind in indicators:
        stat = stats_by_indicator.get(ind.id)
        if stat is not None:
            stat.top_names = [names.get(code, code) for code in stat.top]
            stat.bottom_names = [names.get(code, code) for code in stat.bottom]
            stats.append((ind, stat))
    return stats


def _refusal_context(cycle: Cycle, refusal: ResultsRefusal | None) -> dict:
    """What the results page shows of a refused computation: its first problems, their count
    and count by unit, and what to open to fix them — the annual round (its state) and its
    matrix."""
    return {
        "annual_round": (cycle.rounds.filter(kind=Round.Kind.ANNUAL).first() if refusal else None),
        "problems": refusal_problems(refusal, PROBLEMS_SHOWN) if refusal else [],
        "problem_count": refusal.problem_count if refusal else 0,
        "problems_by_unit": [
            ((code, name), n) for code, name, n in (refusal.by_unit if refusal else [])
        ],
    }


@require_role(LEAD)
@require_safe
def results(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    requested_at = _requested_at(request, cycle)
    computed_at = cycle.results_computed_at
    refusal = ResultsRefusal.objects.filter(cycle=cycle).first()
    answered_at = max(filter(None, (computed_at, refusal and refusal.refused_at)), default=None)
    pending = requested_at is not None and (answered_at is None or answered_at < requested_at)
    if requested_at is not None and not pending:
        _forget_request(request, cycle)

    all_indicators = list(
        Indicator.objects.filter(cycle=cycle).select_related("category").order_by("order", "code")
    )
    categories, category = _shown_category(all_indicators, request.GET.get("category", ""))
    indicators = [i for i in all_indicators if category is None or i.category_id == category.id]
    county_results = list(
        CountyResult.objects.filter(cycle=cycle)
        .select_related("county", "override_by")
        .order_by("rank", "county__code")
    )
    adjustments = _annotate_rows(cycle, county_results, indicators, category)
    rows, sort = _sort(county_results, indicators, request.GET.get("sort", "rank"))
    links = _sort_links(sort, indicators)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.cells_html = _cells_html(row.cells, row.explain_url)
    keep = urlencode({"category": category.id}) + "&" if category is not None else ""

    stats = _indicator_stats(cycle, indicators, county_results)
    return render(
        request,
        "scoring/results.html",
        {
            "cycle": cycle,
            "results_links": results_links(cycle),
            "read_only": _read_only_reason(cycle),
            "years": list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            "indicators": indicators,
            "county_results": page.object_list,
            "page": page if page.paginator.num_pages > 1 else None,
            "categories": categories,
            "category": category,
            "keep_category": keep,
            "sort": sort,
            "sort_links": links,
            "distribution": grade_distribution(cycle, county_results) if rows else None,
            "vetoes": list(Veto.objects.filter(cycle=cycle).select_related("county")),
            "adjustments": adjustments,
            "stats": stats,
            "pending": pending,
            "refusal": refusal,
            **_refusal_context(cycle, refusal),
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
    # Noted before the job is sent: an eager or quick job answers after this time.
    before = dict(request.session.get(REQUESTED_KEY, {}))
    request.session[REQUESTED_KEY] = {**before, str(cycle.year): timezone.now().isoformat()}
    try:
        enqueue(compute_results_task, cycle_id=cycle.pk)
    except QueueUnavailable as exc:
        request.session[REQUESTED_KEY] = before  # nothing is running: no "computing" shown
        messages.error(request, str(exc))
        return redirect("scoring:results", year=cycle.year)
    messages.info(
        request,
        _("The computation of the %(year)s results has been requested.") % {"year": cycle.year},
    )
    return redirect("scoring:results", year=cycle.year)


@require_role(LEAD)
@require_http_methods(["GET", "POST"])
def override(request: HttpRequest, year: int, county: str) -> HttpResponse:
    """Override (or restore) a county's grade with a written reason; audited by the service."""
    cycle = get_cycle_or_404(year)
    result = get_object_or_404(
        CountyResult.objects.select_related("county", "override_by"),
        cycle=cycle,
        county__code=county,
    )
    form = GradeOverrideForm(
        request.POST or None,
        computed_grade=result.computed_grade,
        initial={"grade": result.grade_override},
    )
    if request.method == "POST" and form.is_valid():
        try:
            override_grade(
                result=result,
                grade=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The grade of %(county)s has been saved.") % {"county": result.county.name},
            )
            return redirect("scoring:results", year=cycle.year)
    return render(
        request, "scoring/override.html", {"cycle": cycle, "result": result, "form": form}
    )
