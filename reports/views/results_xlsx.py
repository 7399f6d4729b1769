import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessment.access import LEAD, get_cycle_or_404, require_role
from reports.services import ResultsNotComputed, write_results_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(LEAD)
@require_safe
def results_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The results workbook of a year (spec/workbook.md, ``export_results``)."""
    cycle = get_cycle_or_404(year)
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
