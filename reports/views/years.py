"""Multi-year views: a county's years side by side, an indicator's years side by side."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessment.access import ALL_ROLES, COUNTY, LEAD, get_county_for_user, require_role
from indicators.models import Indicator
from reports.views.charts import visible_cycle_ids
from reports.years import county_years, indicator_years


@require_role(LEAD, COUNTY)
@require_safe
def county_years_page(request: HttpRequest, county: str) -> HttpResponse:
    county_obj = get_county_for_user(request.user, county)
    columns, rows = county_years(county=county_obj, cycle_ids=visible_cycle_ids(request.user))
    return render(
        request,
        "reports/county_years.html",
        {"county": county_obj, "columns": columns, "rows": rows},
    )


@require_role(*ALL_ROLES)
@require_safe
def indicator_years_page(request: HttpRequest, indicator: str) -> HttpResponse:
    """One indicator code over the years: every county for the lead department and the
    units, the county's own row (and the published statistics) for a county."""
    only = request.user.county if request.user.is_county else None
    years, rows = indicator_years(
        code=indicator, cycle_ids=visible_cycle_ids(request.user), only_county=only
    )
    latest = years[-1].indicator if years else None
    if latest is None:
        latest = Indicator.objects.filter(code=indicator).order_by("-cycle__year").first()
        if latest is None:
            raise Http404
    return render(
        request,
        "reports/indicator_years.html",
        {"code": indicator, "years": years, "rows": rows, "latest": latest},
    )
