"""The warnings workbook of a pre-assessment round (spec/workbook.md, "Warnings workbook").

Two sheets: ``预警`` (one row per current warning, ordered by county code then indicator
order) and ``会诊`` (the counties flagged for expert diagnosis). Sheet names, headers and
reason words are the workbook contract, so they are written in Chinese whatever the
interface language. Written with xlsxwriter in ``constant_memory`` mode, rows in order.
"""

import os
from typing import BinaryIO

import xlsxwriter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.models import DiagnosisFlag, Warning
from assessment.exports import xlsxwriter_options
from assessment.jobs.kinds import JobKind, register_kind
from assessment.jobs.models import FileJob
from assessment.jobs.services import job_round, store_result
from assessment.models import Round
from scoring.workbook.spreadsheets import open_for_writing

WARNINGS_SHEET = "预警"
DIAGNOSIS_SHEET = "会诊"
WARNINGS_HEADERS = ["县区代码", "指标代码", "原因", "进度"]
DIAGNOSIS_HEADERS = ["县区代码", "预警指标数"]
# In the order of the spec: bottom three, behind target, not reported.
REASON_WORDS = ("后三名", "进度滞后", "未报送")
JOIN = "、"


def reasons_text(bottom_three: bool, behind_target: bool, not_reported: bool) -> str:
    """The reasons of a warning as the workbook writes them, e.g. ``后三名、进度滞后``."""
    flags = (bottom_three, behind_target, not_reported)
    return JOIN.join(word for word, flag in zip(REASON_WORDS, flags, strict=True) if flag)


def is_large_warnings(round: Round) -> bool:
    """Whether the round's warnings workbook is too large to write within a request (a
    national round has about 100,000 warnings): then a job writes it."""
    count = Warning.objects.filter(round=round, replaced_at__isnull=True).count()
    return count > settings.WORKBOOK_ASYNC_ROWS


def warnings_filename(round: Round) -> str:
    return f"warnings-{round.cycle.year}-{round.code}.xlsx"


EXPORT_WARNINGS = "export_warnings"


def run_warnings_export(job: FileJob) -> None:
    """The runner of the warnings workbook's job."""
    rnd = job_round(job)
    store_result(
        job, warnings_filename(rnd), lambda out: write_warnings_workbook(round=rnd, out=out)
    )


def _round_summary_page(job: FileJob, reader) -> tuple[str, str]:
    url = reverse("alerts:round_summary", kwargs={"year": job.year, "round": job.round_code})
    return url, _("Round summary")


def register_job_kinds() -> None:
    """Register the warnings workbook's job with the frame (called by ``AlertsConfig.ready``)."""
    register_kind(
        JobKind(
            name=EXPORT_WARNINGS,
            label=gettext_lazy("warnings workbook"),
            run=run_warnings_export,
            page=_round_summary_page,
        )
    )


def write_warnings_workbook(*, round: Round, out: str | os.PathLike | BinaryIO) -> None:
    """Write the current warnings and diagnosis flags of ``round`` to ``out``.

    ``out`` is a path or a binary file object. Warnings replaced by a later close are left
    out. Side effects: creates or overwrites the file at ``out`` (or writes to the object).
    """
    warnings = (
        Warning.objects.filter(round=round, replaced_at__isnull=True)
        .order_by("county__code", "indicator__order", "indicator__code")
        .values_list(
            "county__code",
            "indicator__code",
            "bottom_three",
            "behind_target",
            "not_reported",
            "progress",
        )
        .iterator(chunk_size=20000)
    )
    flags = (
        DiagnosisFlag.objects.filter(round=round, replaced_at__isnull=True)
        .order_by("county__code")
        .values_list("county__code", "warning_count")
    )

    with (
        open_for_writing(out) as fh,
        xlsxwriter.Workbook(fh, xlsxwriter_options(constant_memory=True)) as workbook,
    ):
        bold = workbook.add_format({"bold": True})

        sheet = workbook.add_worksheet(WARNINGS_SHEET)
        sheet.set_column(0, 1, 12)
        sheet.set_column(2, 2, 24)
        sheet.set_column(3, 3, 10)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, WARNINGS_HEADERS, bold)
        for row, (county, indicator, bottom, behind, missing, progress) in enumerate(warnings, 1):
            sheet.write_string(row, 0, county)
            sheet.write_string(row, 1, indicator)
            sheet.write_string(row, 2, reasons_text(bottom, behind, missing))
            if progress is not None:
                # Progress keeps six places; the double nearest to it reads back the same.
                sheet.write_number(row, 3, float(progress))

        sheet = workbook.add_worksheet(DIAGNOSIS_SHEET)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 14)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, DIAGNOSIS_HEADERS, bold)
        for row, (county, count) in enumerate(flags, 1):
            sheet.write_string(row, 0, county)
            sheet.write_number(row, 1, count)
