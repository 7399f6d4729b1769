"""Workbook imports and exports too large for a request (gunicorn stops one after 30 s):
the page creates a :class:`~scoring.models.FileJob`, a Celery task runs it, and the job page
shows its progress and outcome.

Each kind of job has a runner, registered with :func:`register_runner`: this module's for the
cycle workbook's import and export; a higher app registers its own (``reports`` the results
workbook) in its ``AppConfig.ready``, so that this layer never imports it. A daily job
(:func:`clean_jobs`) stops the jobs a lost worker left running and deletes old jobs' files.
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

from assessment.models import Cycle, Round
from assessment.services import CycleReadOnly
from indicators.models import RuleItem
from scoring.models import FileJob
from scoring.tasks import run_file_job_task
from scoring.workbook.exporter import cycle_workbook_filename, write_cycle_workbook
from scoring.workbook.importer import CycleExists, WorkbookInvalid, import_workbook
from scoring.workbook.unit import (
    UnitWorkbookInvalid,
    import_unit_workbook,
    unit_workbook_filename,
    write_unit_workbook,
)

logger = logging.getLogger(__name__)


def is_large_upload(upload) -> bool:
    return upload.size > settings.WORKBOOK_ASYNC_BYTES


def is_large_unit_round(rnd: Round, unit) -> bool:
    """Whether a unit's workbook of a round (counties × the unit's rule items) is too large
    to write or to read back within a request."""
    items = RuleItem.objects.filter(indicator__cycle=rnd.cycle, indicator__unit=unit).count()
    return rnd.cycle.counties.count() * items > settings.WORKBOOK_ASYNC_ROWS


def is_large_cycle(cycle: Cycle) -> bool:
    """Whether the cycle's workbook (counties × rule items) is too large to write in a request."""
    items = RuleItem.objects.filter(indicator__cycle=cycle).count()
    return cycle.counties.count() * items > settings.WORKBOOK_ASYNC_CELLS


def start_import_job(
    *,
    upload,
    replace: bool = False,
    actor,
    kind: str = FileJob.Kind.IMPORT_WORKBOOK,
    year: int | None = None,
    round_code: str = "",
    unit=None,
) -> FileJob:
    """Keep ``upload`` in the private storage and queue its import (the cycle workbook by
    default; a unit's round workbook with ``kind``, ``year``, ``round_code`` and ``unit``)
    once the transaction commits. Side effects: a FileJob row, the stored file, a Celery task."""
    job = FileJob(
        kind=kind,
        source_name=upload.name,
        replace=replace,
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
    kind: str = FileJob.Kind.EXPORT_WORKBOOK,
    round_code: str = "",
    unit=None,
) -> FileJob:
    """Queue the writing of ``cycle``'s file of ``kind`` (the cycle workbook by default; a
    round's file with ``round_code``, a unit's own with ``unit``) once the transaction
    commits. Side effects: a FileJob row, a Celery task."""
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
    transaction.on_commit(lambda: run_file_job_task.delay(job_id=job.pk))


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
    done or failed, and delete the uploaded file. Returns None when it was not claimed."""
    job = claim_job(job_id=job_id)
    if job is None:
        return None
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            RUNNERS[job.kind](job)
        except JobRefused as exc:
            job.status, job.problems, job.problem_total = FileJob.Status.FAILED, [str(exc)], 1
        except Exception:  # the job page must say it failed, whatever happened
            logger.exception("file job %s failed", job.pk)
            job.status = FileJob.Status.FAILED
            job.problems, job.problem_total = [_("The job failed unexpectedly.")], 1
        if job.source:
            job.source.delete(save=False)
        job.finished_at = timezone.now()
        job.message = _progress(job.status)
        job.save()
    return job


def _run_import(job: FileJob) -> None:
    try:
        with job.source.open("rb") as fh:
            summary = import_workbook(fh, replace=job.replace, actor=job.created_by)
    except CycleReadOnly as exc:
        job.status, job.problems, job.problem_total = FileJob.Status.FAILED, [str(exc)], 1
    except WorkbookInvalid as exc:
        job.status = FileJob.Status.FAILED
        job.problems, job.problem_total = list(exc.problems), exc.total
        job.cycle_exists = isinstance(exc, CycleExists)
    else:
        job.status, job.year = FileJob.Status.DONE, summary.year
        job.summary = {name: getattr(summary, name) for name in summary.__dataclass_fields__}


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


def _run_export(job: FileJob) -> None:
    cycle = job_cycle(job)
    store_result(job, cycle_workbook_filename(cycle), lambda out: write_cycle_workbook(cycle, out))


def _run_unit_export(job: FileJob) -> None:
    rnd = job_round(job)
    store_result(
        job,
        unit_workbook_filename(rnd, job.unit),
        lambda out: write_unit_workbook(round=rnd, unit=job.unit, out=out),
    )


def _run_unit_import(job: FileJob) -> None:
    rnd = job_round(job)
    try:
        with job.source.open("rb") as fh:
            changed = import_unit_workbook(
                round=rnd, unit=job.unit, source=fh, actor=job.created_by
            )
    except UnitWorkbookInvalid as exc:
        job.status = FileJob.Status.FAILED
        job.problems, job.problem_total = list(exc.problems), len(exc.problems)
    else:
        job.status, job.summary = FileJob.Status.DONE, {"changed": changed}


class JobRefused(Exception):
    """A runner cannot do its job; the message is shown on the job page."""


RUNNERS: dict[str, Callable[[FileJob], None]] = {}


def register_runner(kind: str, runner: Callable[[FileJob], None]) -> None:
    """Run the jobs of ``kind`` with ``runner(job)``, which sets the job's status and its
    result, summary or problems (it runs in the language of the job's starter)."""
    RUNNERS[kind] = runner


register_runner(FileJob.Kind.IMPORT_WORKBOOK, _run_import)
register_runner(FileJob.Kind.EXPORT_WORKBOOK, _run_export)
register_runner(FileJob.Kind.EXPORT_UNIT_WORKBOOK, _run_unit_export)
register_runner(FileJob.Kind.IMPORT_UNIT_WORKBOOK, _run_unit_import)


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
    }[status]
