"""The year-end forecast pages: every county's likely total, rank and grade for the lead
department (with the error against the real results after the year), one county's likely
points per indicator; a county sees its own once the lead department shares it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessment.access import COUNTY, LEAD, get_county_for_user, get_cycle_or_404, require_role
from reports.forecast import (
    ForecastRefused,
    county_rows,
    forecast_rounds,
    share_forecast,
    shared_round_ids,
    withdraw_forecast,
    year_forecast,
)


def _chosen_round(request, cycle):
    """The rounds the reader may see a forecast of, and the one asked for (the latest by
    default); a county only the shared ones."""
    rounds = forecast_rounds(cycle)
    shared = shared_round_ids(cycle)
    if request.user.is_county:
        rounds = [r for r in rounds if r.id in shared]
    code = request.GET.get("round")
    chosen = next((r for r in rounds if r.code == code), rounds[-1] if rounds else None)
    if code and (chosen is None or chosen.code != code):
        raise Http404
    return rounds, chosen, shared


def _forecast(cycle, chosen):
    if chosen is None:
        return None, None
    try:
        return year_forecast(cycle=cycle, round=chosen), None
    except ForecastRefused as exc:
        return None, str(exc)


@require_role(LEAD, COUNTY)
@require_safe
def forecast(request: HttpRequest, year: int) -> HttpResponse:
    """The lead department: every county. A county: its own, from the shared rounds."""
    cycle = get_cycle_or_404(year)
    rounds, chosen, shared = _chosen_round(request, cycle)
    data, refused = _forecast(cycle, chosen)
    context = {
        "cycle": cycle, "rounds": rounds, "chosen": chosen, "forecast": data,
        "refused": refused, "shared": chosen is not None and chosen.id in shared,
    }  # fmt: skip
    if request.user.is_county and data is not None:
        county = request.user.county
        context["own"] = next((r for r in data.rows if r.county.pk == county.pk), None)
        context["indicator_rows"] = county_rows(data, county) if context["own"] else []
    return render(request, "reports/forecast.html", context)


@require_role(LEAD)
@require_safe
def forecast_county(request: HttpRequest, year: int, county: str) -> HttpResponse:
    """One county's likely points per indicator, with its progress and, after the year, its
    real points."""
    county_obj = get_county_for_user(request.user, county)
    cycle = get_cycle_or_404(year)
    _rounds, chosen, _shared = _chosen_round(request, cycle)
    data, refused = _forecast(cycle, chosen)
    own = None if data is None else next((r for r in data.rows if r.county == county_obj), None)
    return render(
        request,
        "reports/forecast_county.html",
        {
            "cycle": cycle, "chosen": chosen, "forecast": data, "refused": refused,
            "county": county_obj, "own": own,
            "indicator_rows": county_rows(data, county_obj) if own else [],
        },
    )  # fmt: skip


@require_role(LEAD)
@require_POST
def forecast_share(request: HttpRequest, year: int) -> HttpResponse:
    """Share the forecast of a round with the counties, or withdraw it (``action``)."""
    cycle = get_cycle_or_404(year)
    rnd = cycle.rounds.filter(code=request.POST.get("round", "")).first()
    if rnd is None:
        messages.error(request, _("Choose the round whose forecast to share."))
        return redirect("reports:forecast", year=year)
    try:
        if request.POST.get("action") == "withdraw":
            withdraw_forecast(cycle=cycle, round=rnd, actor=request.user)
            messages.success(request, _("The counties no longer see this forecast."))
        else:
            share_forecast(cycle=cycle, round=rnd, actor=request.user)
            messages.success(request, _("Each county now sees its own forecast."))
    except ForecastRefused as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('reports:forecast', kwargs={'year': year})}?round={rnd.code}")
