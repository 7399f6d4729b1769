"""Moving a whole cycle in and out of Excel: the empty template, a year's filled workbook,
and the upload that imports one (spec/workbook.md)."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assessment.access import LEAD, UNIT, get_cycle_or_404, require_role
from assessment.jobs.services import (
    is_large_cycle,
    is_large_upload,
    start_export_job,
    start_import_job,
)
from assessment.models import Cycle, Round
from assessment.services import CycleReadOnly
from assessment.uploads import file_response
from scoring.access import get_job_for_user
from scoring.forms import WorkbookUploadForm
from scoring.models import FileJob
from scoring.workbook.exporter import cycle_workbook_filename, write_cycle_workbook
from scoring.workbook.importer import CycleExists, WorkbookInvalid, import_workbook
from scoring.workbook.write import ImportSummary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def workbook(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    problem_total = 0
    cycle_exists = False
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid() and is_large_upload(form.cleaned_data["file"]):
            job = start_import_job(
                upload=form.cleaned_data["file"],
                replace=form.cleaned_data["replace"],
                actor=request.user,
            )
            return redirect("scoring:workbook_job", job=job.pk)
        if form.is_valid():
            try:
                summary = import_workbook(
                    form.cleaned_data["file"],
                    replace=form.cleaned_data["replace"],
                    discard=form.cleaned_data["discard"],
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
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_download(request: HttpRequest, year: int) -> HttpResponse:
    """The filled workbook of one year, in the layout the upload reads back; a large year's
    is written by a background job whose page gives the file when it is ready."""
    cycle = get_cycle_or_404(year)
    by_job = export_by_job(
        request,
        cycle,
        large=is_large_cycle(cycle),
        kind=FileJob.Kind.EXPORT_WORKBOOK,
        back=reverse("scoring:workbook"),
    )
    if by_job is not None:
        return by_job
    return _xlsx_response(cycle, cycle_workbook_filename(cycle))


def export_by_job(
    request: HttpRequest,
    cycle: Cycle,
    *,
    large: bool,
    kind: str,
    back: str,
    rnd: Round | None = None,
    unit=None,
) -> HttpResponse | None:
    """The answer of a download view whose file may be too large to write within a request
    (gunicorn stops one after 30 s), or None when the view writes the file itself.

    A ``large`` file: the GET says so and lists the same files written before or being
    written; the POST starts a job and goes to its page. A GET never starts a job (a link
    followed twice, a prefetch), and only a large file's download takes a POST. A round's
    file names its round ``rnd``, a unit's own file its ``unit``; ``back`` is the way back.
    """
    if not large:
        return HttpResponseNotAllowed(["GET", "HEAD"]) if request.method == "POST" else None
    round_code = rnd.code if rnd is not None else ""
    if request.method == "POST":
        job = start_export_job(
            cycle=cycle, actor=request.user, kind=kind, round_code=round_code, unit=unit
        )
        return redirect("scoring:workbook_job", job=job.pk)
    same = FileJob.objects.filter(kind=kind, year=cycle.year, round_code=round_code, unit=unit)
    running = same.filter(status__in=[FileJob.Status.QUEUED, FileJob.Status.RUNNING])
    earlier = same.filter(status=FileJob.Status.DONE).exclude(result="")
    return render(
        request,
        "assessment/jobs/export_start.html",
        {
            "cycle": cycle,
            "round": rnd,
            "title": FileJob.Kind(kind).label,
            "back": back,
            # One being written already: follow it rather than start the same again.
            "running": running.select_related("created_by")[:5],
            "earlier": earlier.select_related("created_by")[:5],
        },
    )


def _xlsx_response(cycle: Cycle | None, filename: str) -> FileResponse:
    buffer = io.BytesIO()
    write_cycle_workbook(cycle, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)


@require_role(LEAD, UNIT)
@require_safe
def job_detail(request: HttpRequest, job: int) -> HttpResponse:
    """A file job's progress, refreshed while it runs, then its outcome: for the lead
    department every job, for a unit its own round workbook's (scoring.access)."""
    file_job = get_job_for_user(request.user, job)
    summary = ""
    if file_job.status == FileJob.Status.DONE:
        if file_job.kind == FileJob.Kind.IMPORT_WORKBOOK:
            summary = _summary_message(ImportSummary(**file_job.summary))
        elif file_job.kind == FileJob.Kind.IMPORT_UNIT_WORKBOOK:
            summary = _("Imported: %(count)s cells changed.") % {
                "count": file_job.summary["changed"]
            }
    round_name = ""
    if file_job.round_code:
        names = Round.objects.filter(cycle__year=file_job.year, code=file_job.round_code)
        round_name = names.values_list("name", flat=True).first() or file_job.round_code
    return render(
        request,
        "assessment/jobs/job.html",
        {"job": file_job, "summary": summary, "round_name": round_name},
    )


@require_role(LEAD, UNIT)
@require_safe
def job_result(request: HttpRequest, job: int) -> FileResponse:
    """The file a finished export job wrote."""
    file_job = get_job_for_user(request.user, job, status=FileJob.Status.DONE)
    if not file_job.result:
        raise Http404
    return file_response(file_job.result, name=file_job.result.name.rsplit("/", 1)[-1])
