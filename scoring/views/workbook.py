"""Moving a whole cycle in and out of Excel: the empty template, a year's filled workbook,
and the upload that imports one (spec/workbook.md)."""

import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessment.access import LEAD, get_cycle_or_404, require_role
from assessment.models import Cycle
from assessment.services import CycleReadOnly
from scoring.forms import WorkbookUploadForm
from scoring.workbook.exporter import write_cycle_workbook
from scoring.workbook.importer import CycleExists, WorkbookInvalid, import_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def workbook(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    problem_total = 0
    cycle_exists = False
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                summary = import_workbook(
                    form.cleaned_data["file"],
                    replace=form.cleaned_data["replace"],
                    actor=request.user,
                )
            except CycleReadOnly as exc:
                problems, problem_total = [str(exc)], 1
            except WorkbookInvalid as exc:
                problems, problem_total = list(exc.problems), exc.total
                cycle_exists = isinstance(exc, CycleExists)
            else:
                messages.success(request, _summary_message(summary))
                return redirect("scoring:workbook")
    else:
        form = WorkbookUploadForm()
    return render(
        request,
        "scoring/workbook.html",
        {
            "form": form,
            "problems": problems,
            "problem_total": problem_total,
            "cycle_exists": cycle_exists,
            "cycles": Cycle.objects.order_by("-year"),
        },
    )


def _summary_message(summary) -> str:
    return _(
        "Imported the %(year)s workbook: %(counties)s counties, %(units)s units, "
        "%(indicators)s indicators, %(items)s rule items, %(annual_rows)s annual data rows, "
        "%(progress_rows)s progress rows, %(exemptions)s exemptions, %(adjustments)s "
        "adjustments, %(vetoes)s vetoes."
    ) % {
        "year": summary.year,
        "counties": summary.counties,
        "units": summary.units,
        "indicators": summary.indicators,
        "items": summary.items,
        "annual_rows": summary.annual_rows,
        "progress_rows": summary.progress_rows,
        "exemptions": summary.exemptions,
        "adjustments": summary.adjustments,
        "vetoes": summary.vetoes,
    }


@require_role(LEAD)
@require_safe
def template_download(request: HttpRequest) -> FileResponse:
    """The empty workbook, with every sheet and header, to fill in Excel."""
    return _xlsx_response(None, _("appraisal-workbook-template.xlsx"))


@require_role(LEAD)
@require_safe
def cycle_download(request: HttpRequest, year: int) -> FileResponse:
    """The filled workbook of one year, in the layout the upload reads back."""
    cycle = get_cycle_or_404(year)
    return _xlsx_response(cycle, _("appraisal-workbook-%(year)s.xlsx") % {"year": cycle.year})


def _xlsx_response(cycle: Cycle | None, filename: str) -> FileResponse:
    buffer = io.BytesIO()
    write_cycle_workbook(cycle, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
