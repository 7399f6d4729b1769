"""A county's feedback page: its own results of a published year, for the county and the lead."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from alerts.models import Warning
from assessment.access import COUNTY, LEAD, get_county_for_user, get_cycle_or_404, require_role
from assessment.models import Cycle
from indicators.services.evaluations import published_evaluations
from reports.charts import data as charts
from reports.feedback import county_feedback
from reports.forms import WhatIfForm
from reports.objections import may_object
from reports.publication import published_cycle_ids
from reports.views.charts import visible_cycle_ids


def _charts(request: HttpRequest, cycle: Cycle, county, last: Cycle | None, published) -> dict:
    """The feedback page's charts: the county's trend over the years the reader may see, its
    profile, and the change of every total against ``last`` (other counties anonymous to a
    county)."""
    visible_ids = visible_cycle_ids(request.user) if request.user.is_lead else published
    return {
        "trend": charts.county_trend(county=county, cycle_ids=visible_ids),
        "profile": charts.county_profile(cycle=cycle, county=county),
        "change": charts.total_change(
            cycle=cycle,
            last=last,
            own=county.code,
            anonymous=request.user.is_county,
        ),
    }


@require_role(LEAD, COUNTY)
@require_safe
def feedback(request: HttpRequest, year: int, county: str) -> HttpResponse:
    county_obj = get_county_for_user(request.user, county)
    cycle = get_cycle_or_404(year)
    published = published_cycle_ids()
    visible = request.user.is_lead or cycle.id in published
    last = Cycle.objects.filter(year=year - 1).first()
    if last is not None and not (request.user.is_lead or last.id in published):
        last = None
    data = county_feedback(cycle=cycle, county=county_obj, last_cycle=last) if visible else None
    if visible and data is None and not cycle.county_results.exists():
        visible = False  # nothing computed yet: say so like an unpublished year
    elif visible and data is None:
        raise Http404  # the county is not appraised in this year
    warnings, chart_data, evaluations = [], {}, []
    if data is not None:
        evaluations = list(published_evaluations(cycle=cycle, county=county_obj))
        chart_data = _charts(request, cycle, county_obj, last, published)
        warnings = list(
            Warning.objects.filter(cycle=cycle, county=county_obj, replaced_at__isnull=True)
            .select_related("round", "indicator", "rectification")
            .order_by("round__closes_on", "round__code", "indicator__order", "indicator__code")
        )
    years = sorted(
        (
            y
            for y, cid in Cycle.objects.values_list("year", "id")
            if request.user.is_lead or cid in published
        ),
        reverse=True,
    )
    return render(
        request,
        "reports/feedback.html",
        {
            "cycle": cycle,
            "county": county_obj,
            "visible": visible,
            "feedback": data,
            "warnings": warnings,
            "evaluations": evaluations,
            "years": years,
            "last_cycle": last,
            "published": cycle.id in published,
            "charts": chart_data,
            "may_object": request.user.is_county and may_object(cycle),
            # The what-if's form: its indicators are the rows already read (no query).
            "form": None
            if data is None
            else WhatIfForm(indicators=[row.indicator for row in data.rows if not row.exempt]),
        },
    )


@require_role(COUNTY)
@require_safe
def my_feedback(request: HttpRequest) -> HttpResponse:
    """The county's feedback page of its latest published year."""
    cycle = (
        Cycle.objects.filter(publication__published=True, counties=request.user.county_id)
        .order_by("-year")
        .first()
    )
    if cycle is None:
        messages.info(request, _("No annual results have been published for your county yet."))
        return redirect("home")
    return redirect("reports:feedback", year=cycle.year, county=request.user.county.code)
