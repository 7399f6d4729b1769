import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.access import LEAD, get_cycle_or_404, require_role
from reports.services import ResultsNotComputed, is_large_results, write_results_workbook
from scoring.models import FileJob
from scoring.views.workbook import large_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def results_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The results workbook of a year (spec/workbook.md, ``export_results``); a province's
    or a nation's is written by a background job (``reports.services.run_results_export``)."""
    cycle = get_cycle_or_404(year)
    if is_large_results(cycle):
        back = reverse("scoring:results", kwargs={"year": cycle.year})
        return large_export(request, cycle, kind=FileJob.Kind.EXPORT_RESULTS, back=back)
    if request.method == "POST":  # only a job is started by a POST
        return HttpResponseNotAllowed(["GET", "HEAD"])
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
        filename=_("appraisal-results-%(year)s.xlsx") % {"year": cycle.year},
        content_type=XLSX,
    )
