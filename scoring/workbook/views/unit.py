"""A unit's workbook of a round: download the template of its indicators pre-filled, upload
it back (the same checks as the grid, all or nothing, every problem listed). A national
round's workbook (thousands of counties) is written and read back by a job."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment.access import UNIT, get_cycle_or_404, get_round_or_404, require_role
from assessment.jobs.services import start_import_job
from assessment.jobs.views import export_by_job
from assessment.queue import QueueUnavailable
from scoring.forms import WorkbookUploadForm
from scoring.workbook.jobs import EXPORT_UNIT_WORKBOOK, IMPORT_UNIT_WORKBOOK, is_large_unit_round
from scoring.workbook.unit import (
    UnitWorkbookInvalid,
    import_unit_workbook,
    unit_workbook_filename,
    write_unit_workbook,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(UNIT)
@require_http_methods(["GET", "HEAD", "POST"])
def unit_workbook(request: HttpRequest, year: int, round: str) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    form = WorkbookUploadForm()
    form.fields.pop("replace")
    form.fields.pop("discard")
    problems = []
    status = 200
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        form.fields.pop("replace")
        form.fields.pop("discard")
        if form.is_valid() and is_large_unit_round(rnd, request.user.unit):
            try:
                job = start_import_job(
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                    kind=IMPORT_UNIT_WORKBOOK,
                    year=cycle.year,
                    round_code=rnd.code,
                    unit=request.user.unit,
                )
            except QueueUnavailable as exc:
                messages.error(request, str(exc))
                return redirect(request.path)
            return redirect("assessment:file_job", job=job.pk)
        if form.is_valid():
            try:
                changed = import_unit_workbook(
                    round=rnd, unit=request.user.unit, source=form.cleaned_data["file"],
                    actor=request.user,
                )  # fmt: skip
            except UnitWorkbookInvalid as exc:
                problems = exc.problems
            else:
                messages.success(
                    request, _("Imported: %(count)s cells changed.") % {"count": changed}
                )
                return redirect("scoring:entry", year=year)
        status = 400
    return render(
        request,
        "scoring/unit_workbook.html",
        {"cycle": cycle, "round": rnd, "form": form, "problems": problems},
        status=status,
    )


@require_role(UNIT)
@require_http_methods(["GET", "HEAD", "POST"])
def unit_workbook_download(request: HttpRequest, year: int, round: str) -> HttpResponse:
    """The unit's workbook of a round, pre-filled; a national round's (thousands of
    counties) is written by a job, started from the page a GET shows."""
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle.year, round)
    unit = request.user.unit
    by_job = export_by_job(
        request,
        cycle,
        large=is_large_unit_round(rnd, unit),
        kind=EXPORT_UNIT_WORKBOOK,
        back=reverse("scoring:unit_workbook", kwargs={"year": cycle.year, "round": rnd.code}),
        rnd=rnd,
        unit=unit,
    )
    if by_job is not None:
        return by_job
    response = HttpResponse(content_type=XLSX)
    name = unit_workbook_filename(rnd, unit)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_unit_workbook(round=rnd, unit=unit, out=response)
    return response
