"""What-if for a county, from its feedback page: the points and rank it would gain by
improving one indicator, and the three indicators where the same effort gains most."""

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from assessment.access import COUNTY, LEAD, get_county_for_user, get_cycle_or_404, require_role
from indicators.models import Indicator
from reports.forms import WhatIfForm
from reports.publication import require_results_visible
from reports.whatif import county_what_if
from scoring.models import CountyResult, Exemption
from scoring.results.engine import IncompleteInputs
from scoring.results.services import ResultsRefused

DEFAULT_AMOUNT = Decimal(10)


@require_role(LEAD, COUNTY)
@require_safe
def what_if(request: HttpRequest, year: int, county: str) -> HttpResponse:
    county_obj = get_county_for_user(request.user, county)
    cycle = get_cycle_or_404(year)
    require_results_visible(request.user, cycle)
    if not CountyResult.objects.filter(cycle=cycle, county=county_obj).exists():
        raise Http404
    exempt = Exemption.objects.filter(cycle=cycle, county=county_obj).values("indicator_id")
    indicators = Indicator.objects.filter(cycle=cycle).exclude(id__in=exempt)
    form = WhatIfForm(
        request.GET if "indicator" in request.GET else None,
        indicators=indicators.order_by("order", "code"),
    )
    valid = form.is_bound and form.is_valid()
    amount = form.cleaned_data["amount"] if valid else DEFAULT_AMOUNT
    try:
        found = county_what_if(
            cycle=cycle, county=county_obj, amount=amount,
            indicator=form.cleaned_data["indicator"] if valid else None,
        )  # fmt: skip
        refused = None
    except (ResultsRefused, IncompleteInputs):
        found, refused = None, True
    return render(
        request,
        "reports/whatif.html",
        {"cycle": cycle, "county": county_obj, "form": form, "amount": amount,
         "found": found, "refused": refused},
    )  # fmt: skip
