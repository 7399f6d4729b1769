"""The workbook jobs of scoring: the cycle workbook's import (and the preview that comes
first when a large upload replaces a year) and export and a unit's round workbook's,
registered as kinds of file job (``assessment.jobs``) by ``ScoringConfig.ready``; and the
sizes past which a page hands a workbook to a job."""

from dataclasses import asdict

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.jobs.kinds import JobKind, register_kind
from assessment.jobs.models import FileJob
from assessment.jobs.services import (
    JobRefused,
    confirm_job,
    job_cycle,
    job_round,
    store_result,
)
from assessment.models import Cycle, Round
from assessment.services import CycleReadOnly
from indicators.models import RuleItem
from scoring.forms import ReplaceConfirmForm
from scoring.workbook.exporter import cycle_workbook_filename, write_cycle_workbook
from scoring.workbook.importer import (
    CycleExists,
    ReplacePreview,
    WorkbookInvalid,
    import_workbook,
    preview_or_import,
)
from scoring.workbook.unit import (
    UnitWorkbookInvalid,
    import_unit_workbook,
    unit_workbook_filename,
    write_unit_workbook,
)
from scoring.workbook.write import ImportSummary

IMPORT_WORKBOOK = "import_workbook"
# A large upload that replaces a year: the dry run, then the import once its starter confirms.
PREVIEW_REPLACE = "preview_workbook_replace"
EXPORT_WORKBOOK = "export_workbook"
EXPORT_UNIT_WORKBOOK = "export_unit_workbook"
IMPORT_UNIT_WORKBOOK = "import_unit_workbook"


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


def import_summary_message(summary: ImportSummary) -> str:
    """What an import of the cycle workbook says it did."""
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


def _run_import(job: FileJob) -> None:
    try:
        with job.source.open("rb") as fh:
            summary = import_workbook(
                fh, replace=job.replace, discard=job.discard, actor=job.created_by
            )
    except (CycleReadOnly, WorkbookInvalid) as exc:
        _refused(job, exc)
    else:
        _imported(job, summary)


def _imported(job: FileJob, summary: ImportSummary) -> None:
    job.status, job.year, job.summary = FileJob.Status.DONE, summary.year, asdict(summary)


def _refused(job: FileJob, exc: CycleReadOnly | WorkbookInvalid) -> None:
    """A failed import or preview: every problem of the workbook, or the archived year's."""
    job.status = FileJob.Status.FAILED
    if isinstance(exc, WorkbookInvalid):
        job.problems, job.problem_total = list(exc.problems), exc.total
        job.cycle_exists = isinstance(exc, CycleExists)
    else:
        job.problems, job.problem_total = [str(exc)], 1


def _run_replace_preview(job: FileJob) -> None:
    """The dry run of a large upload that replaces a year: every check of the import and
    what replacing would change (``preview_replace``), nothing written; the job then awaits
    its starter's confirmation with the upload kept (:func:`confirm_replace`). A workbook
    of a year that does not exist replaces nothing: it is imported at once, as a small
    upload's is (the file read once for both: :func:`preview_or_import`)."""
    try:
        with job.source.open("rb") as fh:
            outcome = preview_or_import(fh, discard=job.discard, actor=job.created_by)
    except (CycleReadOnly, WorkbookInvalid) as exc:
        _refused(job, exc)
        return
    if isinstance(outcome, ImportSummary):
        _imported(job, outcome)
        return
    job.status, job.year = FileJob.Status.AWAITING, outcome.year
    job.summary = {"preview": asdict(outcome)}


def confirm_replace(*, job: FileJob, discard: bool, actor) -> FileJob:
    """Start the import of the upload whose replace ``job`` previewed (and awaits the
    confirmation of), on the same stored file, with ``replace`` and ``discard``. Refused
    (:class:`JobRefused`, nothing started, the upload still kept) when the preview found
    records that would be lost and ``discard`` is not chosen, or when ``job`` was confirmed
    already. The import checks everything again and writes all or nothing, with its audit
    event, as every import does. Side effects: those of ``confirm_job``."""
    preview = job.summary.get("preview")
    if job.status == FileJob.Status.AWAITING and preview and preview["lost"] and not discard:
        raise JobRefused(
            _(
                "Nothing was replaced: replacing %(year)s would delete the records listed "
                "under “Records that would be lost”. To replace it anyway, tick the box that "
                "deletes them too and confirm again."
            )
            % {"year": preview["year"]}
        )
    return confirm_job(job=job, kind=IMPORT_WORKBOOK, discard=discard, actor=actor)


def _replace_confirmation(job: FileJob, request) -> SafeString:
    """The preview a large replace's job shows, the same as a small upload's, with the form
    that confirms it for the person who uploaded it."""
    return render_to_string(
        "scoring/partials/replace_job.html",
        {
            "job": job,
            "preview": ReplacePreview(**job.summary["preview"]),
            "form": ReplaceConfirmForm(initial={"discard": job.discard}),
            "may_confirm": job.created_by_id == request.user.pk,
        },
        request=request,
    )


def _replace_summary(job: FileJob) -> str:
    """What a preview's job says when done: the import's counts when its year was new (it
    imported the workbook at once); nothing once confirmed (its page links to the import)."""
    if "preview" in job.summary:
        return ""
    return import_summary_message(ImportSummary(**job.summary))


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


def _workbook_page(job: FileJob, reader) -> tuple[str, str]:
    return reverse("scoring:workbook"), _("Workbook import/export")


def _unit_workbook_page(job: FileJob, reader) -> tuple[str, str]:
    """The unit's workbook page of the round; for the lead department, who reads every job
    but has no workbook page of a unit, the year's entry overview."""
    if reader.is_unit:
        url = reverse("scoring:unit_workbook", kwargs={"year": job.year, "round": job.round_code})
        return url, _("Workbook of the round")
    return reverse("scoring:entry", kwargs={"year": job.year}), _("Entry %(year)s") % {
        "year": job.year
    }


def _unit_import_summary(job: FileJob) -> str:
    return _("Imported: %(count)s cells changed.") % {"count": job.summary["changed"]}


def register_job_kinds() -> None:
    """Register scoring's workbook jobs with the frame (called by ``ScoringConfig.ready``)."""
    register_kind(
        JobKind(
            name=IMPORT_WORKBOOK,
            label=gettext_lazy("workbook import"),
            run=_run_import,
            page=_workbook_page,
            summary=lambda job: import_summary_message(ImportSummary(**job.summary)),
            reads_upload=True,
        )
    )
    register_kind(
        JobKind(
            name=PREVIEW_REPLACE,
            label=gettext_lazy("workbook import replacing its year"),
            run=_run_replace_preview,
            page=_workbook_page,
            summary=_replace_summary,
            reads_upload=True,
            confirmation=_replace_confirmation,
        )
    )
    register_kind(
        JobKind(
            name=EXPORT_WORKBOOK,
            label=gettext_lazy("workbook export"),
            run=_run_export,
            page=_workbook_page,
        )
    )
    register_kind(
        JobKind(
            name=EXPORT_UNIT_WORKBOOK,
            label=gettext_lazy("unit workbook"),
            run=_run_unit_export,
            page=_unit_workbook_page,
        )
    )
    register_kind(
        JobKind(
            name=IMPORT_UNIT_WORKBOOK,
            label=gettext_lazy("unit workbook upload"),
            run=_run_unit_import,
            page=_unit_workbook_page,
            summary=_unit_import_summary,
            reads_upload=True,
        )
    )
