"""Workbook imports and exports too large for a request (gunicorn stops one after 30 s):
the page creates a :class:`~scoring.models.FileJob`, a Celery task runs it, and the job page
shows its progress and outcome."""

import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.models import Cycle
from assessment.services import CycleReadOnly
from indicators.models import RuleItem
from scoring.models import FileJob
from scoring.tasks import run_file_job_task
from scoring.workbook.exporter import write_cycle_workbook
from scoring.workbook.importer import CycleExists, WorkbookInvalid, import_workbook

logger = logging.getLogger(__name__)


def is_large_upload(upload) -> bool:
    return upload.size > settings.WORKBOOK_ASYNC_BYTES


def is_large_cycle(cycle: Cycle) -> bool:
    """Whether the cycle's workbook (counties × rule items) is too large to write in a request."""
    items = RuleItem.objects.filter(indicator__cycle=cycle).count()
    return cycle.counties.count() * items > settings.WORKBOOK_ASYNC_CELLS


def start_import_job(*, upload, replace: bool, actor) -> FileJob:
    """Keep ``upload`` in the private storage and queue its import once the transaction
    commits. Side effects: a FileJob row, the stored file, a Celery task."""
    job = FileJob(
        kind=FileJob.Kind.IMPORT_WORKBOOK,
        source_name=upload.name,
        replace=replace,
        created_by=actor,
        language=translation.get_language() or "",
    )
    job.source.save(upload.name, upload, save=False)
    job.save()
    _enqueue(job)
    return job


def start_export_job(*, cycle: Cycle, actor) -> FileJob:
    """Queue the writing of ``cycle``'s workbook once the transaction commits.
    Side effects: a FileJob row, a Celery task."""
    job = FileJob.objects.create(
        kind=FileJob.Kind.EXPORT_WORKBOOK,
        year=cycle.year,
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
            if job.kind == FileJob.Kind.IMPORT_WORKBOOK:
                _run_import(job)
            else:
                _run_export(job)
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


def _run_export(job: FileJob) -> None:
    cycle = Cycle.objects.filter(year=job.year).first()
    if cycle is None:
        job.status = FileJob.Status.FAILED
        gone = _("The year %(year)s no longer exists.") % {"year": job.year}
        job.problems, job.problem_total = [gone], 1
        return
    with tempfile.TemporaryFile() as out:
        write_cycle_workbook(cycle, out)
        out.seek(0)
        name = _("appraisal-workbook-%(year)s.xlsx") % {"year": cycle.year}
        job.result.save(name, File(out), save=False)
    job.status = FileJob.Status.DONE


def _progress(status: str) -> str:
    return {
        FileJob.Status.RUNNING: _("Working on the file…"),
        FileJob.Status.DONE: _("Finished."),
        FileJob.Status.FAILED: _("Stopped with problems."),
    }[status]
