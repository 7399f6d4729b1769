"""“Every number explains itself”: how a county's points, total and grade came about."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from assessment.access import COUNTY, LEAD, get_county_for_user, get_cycle_or_404, require_role
from assessment.models import Adjustment
from reports.explain import CannotExplain, prepared_explanation, walk_sentences
from reports.publication import may_see_results
from scoring.models import CountyResult


@require_role(LEAD, COUNTY)
@require_safe
def explanation(request: HttpRequest, year: int, county: str) -> HttpResponse:
    county_obj = get_county_for_user(request.user, county)
    cycle = get_cycle_or_404(year)
    context = {"cycle": cycle, "county": county_obj, "visible": False}
    if may_see_results(request.user, cycle):
        result = (
            CountyResult.objects.filter(cycle=cycle, county=county_obj)
            .select_related("override_by")
            .first()
        )
        if result is None and cycle.county_results.exists():
            raise Http404
        if result is not None:
            context.update(visible=True, result=result)
            try:
                data, prepared = prepared_explanation(
                    cycle=cycle, county=county_obj, stored_total=result.total
                )
            except CannotExplain:
                context["cannot_explain"] = True
            else:
                context.update(
                    explanation=data,
                    # Written once per state of the data by our own template (escaped there).
                    blocks_html=mark_safe(prepared.blocks_html),
                    shown=prepared.shown,
                    walk=walk_sentences(data, name_others=request.user.is_lead),
                    adjustments=list(
                        Adjustment.objects.filter(cycle=cycle, county=county_obj).order_by("id")
                    ),
                )
    return render(request, "reports/explain.html", context)
