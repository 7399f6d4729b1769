"""The file jobs' pages, and :func:`export_by_job`: what every download view whose file may
be too large for a request answers (every app calls it downward)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessment.access import LEAD, UNIT, get_job_for_user, get_job_to_confirm, require_role
from assessment.jobs.kinds import job_kind
from assessment.jobs.models import FileJob
from assessment.jobs.services import JobRefused, drop_job, restart_job, start_export_job
from assessment.models import Cycle, Round
from assessment.queue import QueueUnavailable
from assessment.uploads import file_response


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
    written; the POST starts a job of ``kind`` and goes to its page. A GET never starts a
    job (a link followed twice, a prefetch), and only a large file's download takes a POST.
    A round's file names its round ``rnd``, a unit's own file its ``unit``; ``back`` is the
    way back.
    """
    if not large:
        return HttpResponseNotAllowed(["GET", "HEAD"]) if request.method == "POST" else None
    round_code = rnd.code if rnd is not None else ""
    if request.method == "POST":
        try:
            job = start_export_job(
                cycle=cycle, actor=request.user, kind=kind, round_code=round_code, unit=unit
            )
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        return redirect("assessment:file_job", job=job.pk)
    same = FileJob.objects.filter(kind=kind, year=cycle.year, round_code=round_code, unit=unit)
    running = same.filter(status__in=[FileJob.Status.QUEUED, FileJob.Status.RUNNING])
    earlier = same.filter(status=FileJob.Status.DONE).exclude(result="")
    return render(
        request,
        "assessment/jobs/export_start.html",
        {
            "cycle": cycle,
            "round": rnd,
            "title": job_kind(kind).label,
            "back": back,
            # One being written already: follow it rather than start the same again.
            "running": running.select_related("created_by")[:5],
            "earlier": earlier.select_related("created_by")[:5],
        },
    )


@require_role(LEAD, UNIT)
@require_safe
def job_detail(request: HttpRequest, job: int) -> HttpResponse:
    """A file job's progress, refreshed while it runs, then its outcome — or, when it awaits
    its starter's confirmation, what its kind shows to confirm (``JobKind.confirmation``),
    and once confirmed the link to the job that started: for the lead department every job,
    for a unit its own round workbook's (assessment.access)."""
    file_job = get_job_for_user(request.user, job)
    kind = job_kind(file_job.kind)
    summary = confirmation = ""
    # The job its confirmation started (the import of a replace that was previewed).
    confirmed = FileJob.objects.filter(confirms=file_job).first() if file_job.is_finished else None
    if file_job.status == FileJob.Status.DONE and confirmed is None and kind.summary is not None:
        summary = kind.summary(file_job)
    if file_job.status == FileJob.Status.AWAITING and kind.confirmation is not None:
        confirmation = kind.confirmation(file_job, request)
    round_name = ""
    if file_job.round_code:
        names = Round.objects.filter(cycle__year=file_job.year, code=file_job.round_code)
        round_name = names.values_list("name", flat=True).first() or file_job.round_code
    page_url, page_name = kind.page(file_job, request.user)
    return render(
        request,
        "assessment/jobs/job.html",
        {
            "job": file_job,
            "kind": kind,
            "summary": summary,
            "confirmation": confirmation,
            "confirmed": confirmed,
            "round_name": round_name,
            "page_url": page_url,
            "page_name": page_name,
        },
    )


@require_role(LEAD, UNIT)
@require_safe
def job_result(request: HttpRequest, job: int) -> FileResponse:
    """The file a finished export job wrote."""
    file_job = get_job_for_user(request.user, job, status=FileJob.Status.DONE)
    if not file_job.result:
        raise Http404
    return file_response(file_job.result, name=file_job.result.name.rsplit("/", 1)[-1])


@require_role(LEAD, UNIT)
@require_POST
def job_restart(request: HttpRequest, job: int) -> HttpResponse:
    """Start again a job whose worker was lost (its page offers the button)."""
    file_job = get_job_for_user(request.user, job, status=FileJob.Status.FAILED)
    if not file_job.lost:
        raise Http404
    try:
        restart_job(job=file_job)
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("The job was started again."))
    return redirect("assessment:file_job", job=file_job.pk)


@require_role(LEAD, UNIT)
@require_POST
def job_drop(request: HttpRequest, job: int) -> HttpResponse:
    """Drop a job awaiting its starter's confirmation (the preview's other button): only the
    person who started it may."""
    file_job = get_job_to_confirm(request.user, job)
    try:
        drop_job(job=file_job, actor=request.user)
    except JobRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Dropped: %(file)s was not imported.") % {"file": file_job.source_name}
        )
    return redirect("assessment:file_job", job=file_job.pk)
