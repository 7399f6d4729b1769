"""A unit's workbook of a round: download the template of its indicators pre-filled, upload
it back (the same checks as the grid, all or nothing, every problem listed)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessment.access import UNIT, get_cycle_or_404, require_role
from scoring.forms import WorkbookUploadForm
from scoring.views.entry import get_round_or_404
from scoring.workbook.unit import UnitWorkbookInvalid, import_unit_workbook, write_unit_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(UNIT)
@require_http_methods(["GET", "HEAD", "POST"])
def unit_workbook(request: HttpRequest, year: int, round: str) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle, round)
    form = WorkbookUploadForm()
    form.fields.pop("replace")
    problems = []
    status = 200
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        form.fields.pop("replace")
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
@require_safe
def unit_workbook_download(request: HttpRequest, year: int, round: str) -> HttpResponse:
    cycle = get_cycle_or_404(year)
    rnd = get_round_or_404(cycle, round)
    response = HttpResponse(content_type=XLSX)
    name = f"{cycle.year}-{rnd.code}-{request.user.unit.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_unit_workbook(round=rnd, unit=request.user.unit, out=response)
    return response
