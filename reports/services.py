"""The results workbook of a cycle (spec/workbook.md, "Results workbook").

Two sheets: ``结果`` (one row per county, ordered by rank then county code, with the county's
round2 points on every indicator) and ``指标统计`` (the published statistics per indicator).
The sheet names, headers and grade words are the workbook contract, so they are written in
Chinese whatever the interface language.

Written with xlsxwriter in ``constant_memory`` mode so that a national cycle (thousands of
counties × hundreds of indicators) streams row by row; the data comes from four set-based
queries.
"""

import os
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.exports import xlsxwriter_options
from assessment.jobs.kinds import JobKind, register_kind
from assessment.jobs.models import FileJob
from assessment.jobs.services import JobRefused, job_cycle, store_result
from assessment.models import Cycle
from assessment.refusals import Refused
from indicators.models import Indicator
from scoring.models import CountyResult, Grade, IndicatorResult, IndicatorStat
from scoring.workbook.spreadsheets import column_width, open_for_writing

RESULTS_SHEET = "结果"
STATS_SHEET = "指标统计"
RESULTS_HEADERS = ["县区代码", "县区名称", "总分", "排名", "等次"]
STATS_HEADERS = ["指标代码", "指标名称", "最高分", "最低分", "平均分", "前三名", "后三名"]
GRADE_WORDS = {
    Grade.EXCELLENT: "优秀",
    Grade.GOOD: "良好",
    Grade.FAIR: "一般",
    Grade.POOR: "较差",
}
JOIN = "、"
EXPORT_RESULTS = "export_results"
POINTS_FORMAT = "0.00"


class ResultsNotComputed(Refused):
    """The cycle has no computed results to export."""

    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        super().__init__(_("the results of %(year)s have not been computed") % {"year": cycle.year})


def _number(value: Decimal | None) -> float | None:
    # Excel stores doubles; a two-place Decimal converts to the double nearest to it, which
    # Excel and openpyxl show back as the same two places.
    return None if value is None else float(value)


def write_results_workbook(*, cycle: Cycle, out: str | os.PathLike | BinaryIO) -> None:
    """Write the results workbook of ``cycle`` to ``out`` (a path or a binary file object).

    Side effects: creates or overwrites the file at ``out`` (or writes to the file object).
    Raises :class:`ResultsNotComputed`, before writing anything, when the cycle has no
    county results.
    """
    counties = list(
        CountyResult.objects.filter(cycle=cycle)
        .order_by("rank", "county__code")
        .values_list(
            "county_id",
            "county__code",
            "county__name",
            "total",
            "rank",
            "computed_grade",
            "grade_override",
        )
    )
    if not counties:
        raise ResultsNotComputed(cycle)
    indicators = list(
        Indicator.objects.filter(cycle=cycle)
        .order_by("order", "code")
        .values_list("id", "code", "name")
    )
    column = {ind_id: n for n, (ind_id, _code, _name) in enumerate(indicators)}
    points: dict[int, list[float | None]] = {
        county_id: [None] * len(indicators) for county_id, *_rest in counties
    }
    rows = (
        IndicatorResult.objects.filter(cycle=cycle)
        .values_list("county_id", "indicator_id", "points")
        .iterator(chunk_size=20000)
    )
    for county_id, indicator_id, value in rows:
        if county_id in points and indicator_id in column:
            points[county_id][column[indicator_id]] = _number(value)
    stats = {
        row[0]: row[1:]
        for row in IndicatorStat.objects.filter(cycle=cycle).values_list(
            "indicator_id", "highest", "lowest", "average", "top", "bottom"
        )
    }

    with (
        open_for_writing(out) as fh,
        xlsxwriter.Workbook(fh, xlsxwriter_options(constant_memory=True)) as workbook,
    ):
        bold = workbook.add_format({"bold": True})
        cents = workbook.add_format({"num_format": POINTS_FORMAT})
        _write_results_sheet(workbook, bold, cents, counties, indicators, points)
        _write_stats_sheet(workbook, bold, cents, indicators, stats)


def is_large_results(cycle: Cycle) -> bool:
    """Whether the results workbook (counties × indicators) is too large to write in a
    request: then a background job writes it (the cycle workbook's threshold)."""
    cells = cycle.county_results.count() * Indicator.objects.filter(cycle=cycle).count()
    return cells > settings.WORKBOOK_ASYNC_CELLS


def results_filename(cycle: Cycle) -> str:
    return _("appraisal-results-%(year)s.xlsx") % {"year": cycle.year}


def run_results_export(job: FileJob) -> None:
    """The runner of the results workbook's job."""
    cycle = job_cycle(job)

    def write(out) -> None:
        try:
            write_results_workbook(cycle=cycle, out=out)
        except ResultsNotComputed as exc:
            raise JobRefused(
                _("The %(year)s results have not been computed yet.") % {"year": cycle.year}
            ) from exc

    store_result(job, results_filename(cycle), write)


def _results_page(job: FileJob, reader) -> tuple[str, str]:
    return reverse("scoring:results", kwargs={"year": job.year}), _("Annual results")


def register_job_kinds() -> None:
    """Register the results workbook's job with the frame (called by ``ReportsConfig.ready``)."""
    register_kind(
        JobKind(
            name=EXPORT_RESULTS,
            label=gettext_lazy("results workbook"),
            run=run_results_export,
            page=_results_page,
        )
    )


def _write_results_sheet(workbook, bold, cents, counties, indicators, points) -> None:
    sheet = workbook.add_worksheet(RESULTS_SHEET)
    fixed = len(RESULTS_HEADERS)
    sheet.set_column(0, 0, column_width([RESULTS_HEADERS[0], *(c[1] for c in counties)]))
    sheet.set_column(1, 1, column_width([RESULTS_HEADERS[1], *(c[2] for c in counties)]))
    sheet.set_column(2, 4, 8)
    for n, (_id, code, _name) in enumerate(indicators):
        sheet.set_column(fixed + n, fixed + n, column_width([code], minimum=8))
    sheet.freeze_panes(1, 2)

    sheet.write_row(0, 0, RESULTS_HEADERS, bold)
    for n, (_id, code, _name) in enumerate(indicators):
        sheet.write_string(0, fixed + n, code, bold)
    for row, (county_id, code, name, total, rank, computed, override) in enumerate(counties, 1):
        sheet.write_string(row, 0, code)
        sheet.write_string(row, 1, name)
        sheet.write_number(row, 2, _number(total), cents)
        sheet.write_number(row, 3, rank)
        sheet.write_string(row, 4, GRADE_WORDS[override or computed])
        for n, value in enumerate(points[county_id]):
            if value is not None:
                sheet.write_number(row, fixed + n, value, cents)


def _write_stats_sheet(workbook, bold, cents, indicators, stats) -> None:
    sheet = workbook.add_worksheet(STATS_SHEET)
    sheet.set_column(0, 0, column_width([STATS_HEADERS[0], *(i[1] for i in indicators)]))
    sheet.set_column(1, 1, column_width([STATS_HEADERS[1], *(i[2] for i in indicators)]))
    sheet.set_column(2, 4, 10)
    sheet.set_column(5, 6, 24)
    sheet.freeze_panes(1, 0)

    sheet.write_row(0, 0, STATS_HEADERS, bold)
    for row, (indicator_id, code, name) in enumerate(indicators, 1):
        sheet.write_string(row, 0, code)
        sheet.write_string(row, 1, name)
        # An indicator every county is exempt from has no statistics: its figures stay empty.
        if indicator_id not in stats:
            continue
        highest, lowest, average, top, bottom = stats[indicator_id]
        sheet.write_number(row, 2, _number(highest), cents)
        sheet.write_number(row, 3, _number(lowest), cents)
        sheet.write_number(row, 4, _number(average), cents)
        sheet.write_string(row, 5, JOIN.join(top))
        sheet.write_string(row, 6, JOIN.join(bottom))
