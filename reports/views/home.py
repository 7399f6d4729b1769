"""The home page: one view, three faces, each opening on the reader's to-do list
(:mod:`reports.todo`) — then the lead department's year at a glance, a unit's indicators, a
county's own latest published result."""

from collections import Counter

from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessment.access import ALL_ROLES, request_cycle, require_role
from assessment.models import User
from indicators.models import Indicator
from reports.todo import county_todo, lead_todo, pending, unit_todo
from scoring.models import CountyResult, IndicatorResult


@require_role(*ALL_ROLES)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == User.Role.LEAD:
        return _lead_home(request)
    if user.role == User.Role.UNIT:
        return _unit_home(request)
    return _county_home(request)


def _lead_home(request: HttpRequest) -> HttpResponse:
    cycle = request_cycle(request)
    context: dict = {"cycle": cycle}
    if cycle is not None:
        figures = Indicator.objects.filter(cycle=cycle).aggregate(
            indicators=Count("id"), units=Count("unit", distinct=True), weights=Sum("weight")
        )
        weights = figures["weights"] or 0
        rounds = list(cycle.rounds.all())
        context.update(
            counties=cycle.counties.count(),
            indicators=figures["indicators"],
            units=figures["units"],
            weights=weights,
            weights_ok=weights == cycle.total_points,
            rounds=rounds,
            results=CountyResult.objects.filter(cycle=cycle).count(),
            todo=pending(
                lead_todo(cycle=cycle, rounds=rounds, today=timezone.localdate(), user=request.user)
            ),
        )
    return render(request, "reports/home_lead.html", context)


def _unit_home(request: HttpRequest) -> HttpResponse:
    cycle = request_cycle(request)
    indicators = []
    if cycle is not None:
        indicators = list(
            Indicator.objects.filter(cycle=cycle, unit_id=request.user.unit_id)
            .select_related("category")
            .annotate(item_count=Count("items"))
            .order_by("order", "code")
        )
    todo = []
    if cycle is not None:
        todo = unit_todo(cycle=cycle, unit_id=request.user.unit_id, today=timezone.localdate())
    by_status = Counter(ind.rules_status for ind in indicators)
    statuses = [(label, by_status[value]) for value, label in Indicator.RulesStatus.choices]
    return render(
        request,
        "reports/home_unit.html",
        {
            "cycle": cycle,
            "unit": request.user.unit,
            "indicators": indicators,
            "statuses": statuses,
            "weights": sum((ind.weight for ind in indicators), 0),
            "todo": pending(todo),
        },
    )


def _county_home(request: HttpRequest) -> HttpResponse:
    county_id = request.user.county_id
    # Only the county's own row, and only of a year whose results are published: before
    # publication no county sees any annual result of that year.
    result = (
        CountyResult.objects.filter(county_id=county_id, cycle__publication__published=True)
        .select_related("cycle", "county")
        .order_by("-cycle__year")
        .first()
    )
    todo = county_todo(cycle=request_cycle(request), county_id=county_id, now=timezone.now())
    context: dict = {"county": request.user.county, "result": result, "todo": pending(todo)}
    if result is not None:
        context["county_count"] = CountyResult.objects.filter(cycle=result.cycle).count()
        ranked = dict(
            IndicatorResult.objects.filter(cycle=result.cycle, exempt=False)
            .values("indicator_id")
            .annotate(n=Count("id"))
            .values_list("indicator_id", "n")
        )
        rows = list(
            IndicatorResult.objects.filter(cycle=result.cycle, county_id=county_id)
            .select_related("indicator")
            .order_by("indicator__order", "indicator__code")
        )
        for row in rows:
            row.ranked = ranked.get(row.indicator_id, 0)
        context["rows"] = rows
    return render(request, "reports/home_county.html", context)
