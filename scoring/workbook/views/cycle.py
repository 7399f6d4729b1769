"""Moving a whole cycle in and out of Excel: the empty template, a year's filled workbook,
and the upload that imports one (spec/workbook.md)."""

import io
from uuid import uuid4

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessment.access import LEAD, get_cycle_or_404, get_job_to_confirm, require_role
from assessment.jobs.services import JobRefused, start_import_job
from assessment.jobs.views import export_by_job
from assessment.models import Cycle
from assessment.queue import QueueUnavailable
from assessment.services import CycleReadOnly
from assessment.uploads import private_storage, safe_name
from scoring.forms import ReplaceConfirmForm, WorkbookUploadForm
from scoring.workbook.exporter import cycle_workbook_filename, write_cycle_workbook
from scoring.workbook.importer import (
    CycleExists,
    ReplacePreview,
    WorkbookInvalid,
    import_workbook,
    preview_or_import,
)
from scoring.workbook.jobs import (
    EXPORT_WORKBOOK,
    IMPORT_WORKBOOK,
    PREVIEW_REPLACE,
    confirm_replace,
    import_summary_message,
    is_large_cycle,
    is_large_upload,
)
from scoring.workbook.write import ImportSummary

# The session key of the workbook kept between a replace's preview and its confirmation.
KEPT = "workbook_replace"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_role(LEAD)
@require_http_methods(["GET", "HEAD", "POST"])
def workbook(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    problem_total = 0
    cycle_exists = False
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_replace(request)
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid() and is_large_upload(form.cleaned_data["file"]):
            return _start_job(request, form)
        if form.is_valid():
            try:
                outcome = _import_or_preview(request, form)
            except CycleReadOnly as exc:
                problems, problem_total = [str(exc)], 1
            except WorkbookInvalid as exc:
                problems, problem_total = list(exc.problems), exc.total
                cycle_exists = isinstance(exc, CycleExists)
            else:
                if isinstance(outcome, ReplacePreview):
                    return _show_replace(request, form, outcome)
                messages.success(request, import_summary_message(outcome))
                return redirect("scoring:workbook")
    else:
        form = WorkbookUploadForm()
    return _page(request, form, problems, problem_total, cycle_exists)


def _import_or_preview(request, form) -> ReplacePreview | ImportSummary:
    """A small upload: imported, or, replacing a year that exists, first previewed (the
    confirmation imports it: :func:`_confirm_replace`)."""
    upload = form.cleaned_data["file"]
    if form.cleaned_data["replace"]:
        return preview_or_import(upload, discard=form.cleaned_data["discard"], actor=request.user)
    return import_workbook(upload, actor=request.user)


def _start_job(request, form) -> HttpResponse:
    """A large upload runs as a job; one that replaces a year is previewed first, its job
    page then asking to confirm (:func:`replace_confirm`)."""
    replace = form.cleaned_data["replace"]
    try:
        job = start_import_job(
            upload=form.cleaned_data["file"],
            kind=PREVIEW_REPLACE if replace else IMPORT_WORKBOOK,
            replace=replace,
            discard=form.cleaned_data["discard"],
            actor=request.user,
        )
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("scoring:workbook")
    return redirect("assessment:file_job", job=job.pk)


@require_role(LEAD)
@require_POST
def replace_confirm(request: HttpRequest, job: int) -> HttpResponse:
    """Confirm the replace a large upload's job previewed: the import runs as a job of its
    own on the same stored file, with the records' discard chosen on the job page. Only the
    person who uploaded it confirms; a second confirmation starts nothing."""
    file_job = get_job_to_confirm(request.user, job, kind=PREVIEW_REPLACE)
    form = ReplaceConfirmForm(request.POST)
    discard = form.is_valid() and form.cleaned_data["discard"]
    try:
        started = confirm_replace(job=file_job, discard=discard, actor=request.user)
    except (JobRefused, QueueUnavailable) as exc:
        messages.error(request, str(exc))
        return redirect("assessment:file_job", job=file_job.pk)
    messages.success(
        request, _("Confirmed: replacing %(year)s has started.") % {"year": started.year}
    )
    return redirect("assessment:file_job", job=started.pk)


def _page(request, form, problems, problem_total, cycle_exists=False) -> HttpResponse:
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


def _forget_kept(request) -> None:
    name = request.session.pop(KEPT, None)
    if name:
        private_storage.delete(name)


def _show_replace(request, form, preview) -> HttpResponse:
    """Keep the valid upload in the private storage (its name in the session) and show what
    replacing the year will change; the confirmation imports the kept file."""
    _forget_kept(request)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    name = private_storage.save(f"workbook-replace/{uuid4().hex}/{safe_name(upload.name)}", upload)
    request.session[KEPT] = name
    return render(
        request,
        "scoring/workbook_replace.html",
        {"preview": preview, "discard": form.cleaned_data["discard"], "source": upload.name},
    )


def _confirm_replace(request) -> HttpResponse:
    """Import the kept workbook with ``replace`` (the command's behaviour: the same checks
    run again, nothing is written when they fail); the kept file is deleted either way."""
    name = request.session.get(KEPT)
    if not name or not private_storage.exists(name):
        request.session.pop(KEPT, None)
        messages.error(request, _("The uploaded workbook is no longer kept: upload it again."))
        return redirect("scoring:workbook")
    try:
        with private_storage.open(name, "rb") as kept:
            summary = import_workbook(
                kept,
                replace=True,
                discard=request.POST.get("discard") == "1",
                actor=request.user,
            )
    except CycleReadOnly as exc:
        return _page(request, WorkbookUploadForm(), [str(exc)], 1)
    except WorkbookInvalid as exc:
        return _page(request, WorkbookUploadForm(), list(exc.problems), exc.total)
    finally:
        _forget_kept(request)
    messages.success(request, import_summary_message(summary))
    return redirect("scoring:workbook")


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
        kind=EXPORT_WORKBOOK,
        back=reverse("scoring:workbook"),
    )
    if by_job is not None:
        return by_job
    return _xlsx_response(cycle, cycle_workbook_filename(cycle))


def _xlsx_response(cycle: Cycle | None, filename: str) -> FileResponse:
    buffer = io.BytesIO()
    write_cycle_workbook(cycle, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
