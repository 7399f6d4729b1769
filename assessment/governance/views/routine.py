"""The routine assessment archive: the year's records with the form that adds one, and the
timeline of one county across the years. The lead department's alone: counties never see it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.governance import routine
from assessment.governance.forms import RoutineRecordForm
from assessment.governance.views import all_years
from assessment.models import County, RoutineRecord
from assessment.uploads import file_response


@require_role(LEAD)
def routine_records(request: HttpRequest, year: int) -> HttpResponse:
    """The year's archive: counts per county, the latest records, the form that adds one."""
    cycle = get_cycle_or_404(year)
    form = RoutineRecordForm(request.POST or None, request.FILES or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            record = routine.record_observation(
                cycle=cycle, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Record added to the archive of %(county)s.") % {
                "county": record.county.name,
            })  # fmt: skip
            return redirect("assessment:routine_records", year=year)
    counts = routine.counts_by_county(cycle)
    counties = [
        (county, *counts.get(county.pk, (0, 0))) for county in cycle.counties.order_by("code")
    ]
    records = (
        RoutineRecord.objects.filter(cycle=cycle)
        .select_related("county", "recorded_by")
        .order_by("-observed_on", "-id")[:50]
    )
    return render(
        request,
        "assessment/routine_records.html",
        {
            "cycle": cycle,
            "years": all_years(),
            "form": form,
            "counties": counties,
            "records": records,
        },
    )


@require_role(LEAD)
@require_safe
def routine_timeline(request: HttpRequest, county: str) -> HttpResponse:
    """One county's archive across the years, newest first."""
    county = get_object_or_404(County, code=county)
    records = (
        RoutineRecord.objects.filter(county=county)
        .select_related("cycle", "recorded_by")
        .order_by("-observed_on", "-id")
    )
    return render(
        request, "assessment/routine_timeline.html", {"county": county, "records": records}
    )


@require_role(LEAD)
@require_safe
def routine_attachment(request: HttpRequest, record: int) -> HttpResponse:
    row = get_object_or_404(RoutineRecord, pk=record)
    if not row.attachment:
        raise Http404
    return file_response(row.attachment, row.attachment_name or "record")
