import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.jobs.views import export_by_job
from reports.services import (
    EXPORT_RESULTS,
    ResultsNotComputed,
    is_large_results,
    results_filename,
    write_results_workbook,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def results_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The results workbook of a year (spec/workbook.md, ``export_results``); a province's
    or a nation's is written by a background job (``reports.services.run_results_export``)."""
    cycle = get_cycle_or_404(year)
    by_job = export_by_job(
        request,
        cycle,
        large=is_large_results(cycle),
        kind=EXPORT_RESULTS,
        back=reverse("scoring:results", kwargs={"year": cycle.year}),
    )
    if by_job is not None:
        return by_job
    buffer = io.BytesIO()
    try:
        write_results_workbook(cycle=cycle, out=buffer)
    except ResultsNotComputed:
        messages.warning(
            request,
            _("The %(year)s results have not been computed yet.") % {"year": cycle.year},
        )
        return redirect("scoring:results", year=cycle.year)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=results_filename(cycle),
        content_type=XLSX,
    )
