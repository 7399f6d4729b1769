"""Start, claim, run and clean up the file jobs (:class:`~assessment.jobs.models.FileJob`).

A page starts a job; a Celery task (``assessment.run_file_job``) claims and runs it with the
runner of its registered kind (``assessment.jobs.kinds``); the job page shows its progress and
outcome. The runners share :func:`job_cycle`, :func:`job_round` and :func:`store_result`. A
runner may leave its job awaiting its starter's confirmation with the upload kept; the
confirmation starts the next job on the same file (:func:`confirm_job`). A
daily job (:func:`clean_jobs`) stops the jobs a lost worker left running and deletes old jobs'
files.
"""

import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.audit import record_event
from assessment.jobs.kinds import job_kind
from assessment.jobs.models import FileJob
from assessment.models import Cycle, Round
from assessment.queue import QueueUnavailable, enqueue
from assessment.refusals import Refused
from assessment.tasks import run_file_job_task

logger = logging.getLogger(__name__)


def start_import_job(
    *,
    upload,
    replace: bool = False,
    discard: bool = False,
    actor,
    kind: str,
    year: int | None = None,
    round_code: str = "",
    unit=None,
) -> FileJob:
    """Keep ``upload`` in the private storage and queue its import by the runner of ``kind``
    (a round's file names ``year`` and ``round_code``, a unit's own its ``unit``; ``replace``
    and ``discard`` are the import's options): the job's row is written, then its task sent
    at once (call it outside a transaction). Side effects: a FileJob row, the stored file, a
    Celery task; :class:`QueueUnavailable`, leaving no job, when the broker cannot be
    reached."""
    job_kind(kind)  # a kind no app registers fails here, not in the worker
    job = FileJob(
        kind=kind,
        source_name=upload.name,
        replace=replace,
        discard=discard,
        year=year,
        round_code=round_code,
        unit=unit,
        created_by=actor,
        language=translation.get_language() or "",
    )
    job.source.save(upload.name, upload, save=False)
    job.save()
    _enqueue(job)
    return job


def start_export_job(
    *,
    cycle: Cycle,
    actor,
    kind: str,
    round_code: str = "",
    unit=None,
) -> FileJob:
    """Queue the writing of ``cycle``'s file of ``kind`` (a round's file with ``round_code``,
    a unit's own with ``unit``), its task sent at once. Side effects: a FileJob row, a Celery
    task; :class:`QueueUnavailable`, leaving no job, when the broker cannot be reached."""
    job_kind(kind)
    job = FileJob.objects.create(
        kind=kind,
        year=cycle.year,
        round_code=round_code,
        unit=unit,
        created_by=actor,
        language=translation.get_language() or "",
    )
    _enqueue(job)
    return job


def _enqueue(job: FileJob) -> None:
    """Send the job's task now that its row is written. When the broker cannot be reached,
    the job is deleted with its file (no job is shown as queued that nothing will run) and
    :class:`~assessment.queue.QueueUnavailable` tells the page."""
    try:
        enqueue(run_file_job_task, job_id=job.pk)
    except QueueUnavailable:
        if job.source:
            job.source.delete(save=False)
        job.delete()
        raise


def confirm_job(*, job: FileJob, kind: str, actor, discard: bool = False) -> FileJob:
    """Start the job of ``kind`` that the confirmation of ``job`` (awaiting it, its upload
    kept) asks for: a new job on the same stored file (nothing uploaded again, nothing
    copied), with ``job``'s ``replace`` and the ``discard`` chosen, pointing at ``job``
    (``confirms``); ``job`` is done. Once only: the claim is one conditional UPDATE, so a
    second confirmation, or two at once, raise :class:`JobRefused` and start nothing.

    Side effects: ``job`` marked done and its file handed over, a FileJob row, a Celery task
    sent at once (call it outside a transaction); :class:`QueueUnavailable` leaves ``job``
    awaiting with its file, as before, and no new job."""
    job_kind(kind)
    awaiting = FileJob.objects.filter(pk=job.pk, status=FileJob.Status.AWAITING)
    with transaction.atomic():
        if not awaiting.exclude(source="").update(status=FileJob.Status.DONE):
            if FileJob.objects.filter(confirms=job.pk).exists():
                raise JobRefused(
                    _("This job was confirmed already: its work goes on in the job it started.")
                )
            raise JobRefused(_("This job is not waiting for a confirmation."))
        name = FileJob.objects.values_list("source", flat=True).get(pk=job.pk)
        follow = FileJob.objects.create(
            kind=kind, source=name, source_name=job.source_name, replace=job.replace,
            discard=discard, year=job.year, round_code=job.round_code, unit=job.unit,
            created_by=actor, language=translation.get_language() or "", confirms_id=job.pk,
        )  # fmt: skip
        FileJob.objects.filter(pk=job.pk).update(source="", message=_("Confirmed."))
    try:
        enqueue(run_file_job_task, job_id=follow.pk)
    except QueueUnavailable:
        with transaction.atomic():  # the row only: the file goes back to the waiting job
            FileJob.objects.filter(pk=follow.pk).delete()
            FileJob.objects.filter(pk=job.pk).update(
                status=FileJob.Status.AWAITING,
                source=name,
                message=_progress(FileJob.Status.AWAITING),
            )
        raise
    return follow


def drop_job(*, job: FileJob, actor) -> None:
    """Drop a job awaiting its starter's confirmation: nothing it previewed is done, its
    upload is deleted and the job ends with a message saying so; audited. Raises
    :class:`JobRefused` when it no longer waits (confirmed, or dropped already)."""
    with transaction.atomic():
        dropped = FileJob.objects.filter(pk=job.pk, status=FileJob.Status.AWAITING).update(
            status=FileJob.Status.DONE,
            source="",
            finished_at=timezone.now(),
            message=_("Dropped: nothing was done with the file, and it is deleted."),
        )
        if not dropped:
            raise JobRefused(_("This job is not waiting for a confirmation."))
        record_event(job, summary="file_job_dropped", data={"file": job.source_name}, actor=actor)
        name = job.source.name
        if name:
            transaction.on_commit(lambda: job.source.storage.delete(name))


def fail_lost_job(*, job_id: int) -> bool:
    """Mark failed the queued or running job whose worker was lost, with a message and the
    mark that it may be started again (its uploaded file is kept for that). Returns whether
    it did."""
    job = FileJob.objects.filter(
        pk=job_id, status__in=[FileJob.Status.QUEUED, FileJob.Status.RUNNING]
    ).first()
    if job is None:
        return False
    with translation.override(job.language or settings.LANGUAGE_CODE):
        job.status, job.summary, job.problem_total = FileJob.Status.FAILED, {"lost": True}, 1
        job.problems = [_("The worker running this job stopped. Start it again.")]
        job.message = _progress(FileJob.Status.FAILED)
    job.finished_at = timezone.now()
    job.save()
    return True


def restart_job(*, job: FileJob) -> None:
    """Start again a job its lost worker left failed: queued anew with the same file.

    Side effects: resets the job's outcome, sends its task (:class:`QueueUnavailable` when
    the broker cannot be reached: the job then stays failed)."""
    FileJob.objects.filter(pk=job.pk, status=FileJob.Status.FAILED, summary={"lost": True}).update(
        status=FileJob.Status.QUEUED, summary={}, problems=[], problem_total=0, message="",
        finished_at=None,
    )  # fmt: skip
    try:
        enqueue(run_file_job_task, job_id=job.pk)
    except QueueUnavailable:
        fail_lost_job(job_id=job.pk)
        raise


def claim_job(*, job_id: int) -> FileJob | None:
    """Mark the queued job running and return it; None when it is gone or another worker
    claimed it first (one conditional UPDATE: two workers never both win)."""
    claimed = FileJob.objects.filter(pk=job_id, status=FileJob.Status.QUEUED).update(
        status=FileJob.Status.RUNNING
    )
    if not claimed:
        return None
    job = FileJob.objects.get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        job.message = _progress(FileJob.Status.RUNNING)
    job.save(update_fields=["message"])
    return job


def run_job(*, job_id: int) -> FileJob | None:
    """Claim and run one job; store its outcome (summary or problems or result file), mark it
    done or failed (or awaiting its starter's confirmation), and delete the uploaded file
    (an awaiting job keeps it for the confirmation). Returns None when it was not claimed."""
    job = claim_job(job_id=job_id)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            job_kind(job.kind).run(job)
        except JobRefused as exc:
            job.status, job.problems, job.problem_total = FileJob.Status.FAILED, [str(exc)], 1
        except Exception:  # the job page must say it failed, whatever happened
            logger.exception("file job %s failed", job.pk)
            job.status = FileJob.Status.FAILED
            job.problems, job.problem_total = [_("The job failed unexpectedly.")], 1
        if job.source and job.status != FileJob.Status.AWAITING:
            job.source.delete(save=False)
        job.finished_at = timezone.now()
        job.message = _progress(job.status)
        job.save()
    return job


def job_cycle(job: FileJob) -> Cycle:
    """The year a job names; :class:`JobRefused` when it no longer exists."""
    cycle = Cycle.objects.filter(year=job.year).first()
    if cycle is None:
        raise JobRefused(_("The year %(year)s no longer exists.") % {"year": job.year})
    return cycle


def job_round(job: FileJob) -> Round:
    """The round a round file's job names; :class:`JobRefused` when it no longer exists."""
    rnd = Round.objects.filter(cycle=job_cycle(job), code=job.round_code).first()
    if rnd is None:
        raise JobRefused(
            _("The round %(round)s of %(year)s no longer exists.")
            % {"round": job.round_code, "year": job.year}
        )
    return rnd


def store_result(job: FileJob, name: str, write: Callable[[BinaryIO], None]) -> None:
    """The end of an export runner: ``write(out)`` writes the file, kept as the job's result
    under ``name``; the job is done."""
    with tempfile.TemporaryFile() as out:
        write(out)
        out.seek(0)
        job.result.save(name, File(out), save=False)
    job.status = FileJob.Status.DONE


class JobRefused(Refused):
    """A runner cannot do its job; the message is shown on the job page."""


def clean_jobs(*, now=None) -> dict:
    """Fail the jobs still queued or running after ``FILE_JOB_STALE_HOURS`` (the worker that
    ran them was lost: a job is claimed once and never run twice) and delete the jobs, with
    their files, that finished more than ``FILE_JOB_KEEP_DAYS`` days ago."""
    now = now or timezone.now()
    stale = FileJob.objects.filter(
        status__in=[FileJob.Status.QUEUED, FileJob.Status.RUNNING],
        created_at__lt=now - timedelta(hours=settings.FILE_JOB_STALE_HOURS),
    )
    stopped = 0
    for job in stale:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            job.status = FileJob.Status.FAILED
            job.problems = [_("The job stopped: the worker running it was lost. Start it again.")]
            job.problem_total = 1
            job.message = _progress(FileJob.Status.FAILED)
        if job.source:
            job.source.delete(save=False)
        job.finished_at = now
        job.save()
        stopped += 1
    old = FileJob.objects.filter(finished_at__lt=now - timedelta(days=settings.FILE_JOB_KEEP_DAYS))
    deleted = 0
    for job in old:
        for field in (job.source, job.result):
            if field:
                field.delete(save=False)
        job.delete()
        deleted += 1
    if stopped or deleted:
        logger.info("file jobs: %s stopped as lost, %s old ones deleted", stopped, deleted)
    return {"stopped": stopped, "deleted": deleted}


def _progress(status: str) -> str:
    return {
        FileJob.Status.RUNNING: _("Working on the file…"),
        FileJob.Status.DONE: _("Finished."),
        FileJob.Status.FAILED: _("Stopped with problems."),
        FileJob.Status.AWAITING: _(
            "Checked: waiting for the confirmation of the person who started it."
        ),
    }[status]
