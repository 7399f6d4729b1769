"""The results notice (考核结果通报) and a county's one-page report, as Word documents
(python-docx) for the lead department to edit and issue.

The notice has the form of an official document: the issuing office, the document number,
the title, the addressees, the body, the tables (grades by county, every indicator's top and
bottom three, vetoes, adjustments and grade overrides with their reasons) and the signature
with the date. It is written in Chinese whatever the reader's language: it is issued to the
counties. Both read the stored results in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from assessment.models import Adjustment, County, Cycle, Veto
from reports.feedback import county_feedback, statistics_rows
from scoring.models import CountyResult, Grade

FONT = "SimSun"  # 宋体: the body of a Chinese official document
TITLE_FONT = "SimHei"
RED = RGBColor(0xC0, 0x00, 0x00)
NOTICE_LANGUAGE = "zh-hans"
# The county report's table: indicator, weight, points, rank, highest, average (cm; 17.4 fit).
REPORT_COLUMNS = (7.4, 1.8, 2.0, 1.8, 2.0, 2.0)


@dataclass(frozen=True)
class NoticeHeading:
    """What the lead department sets for its draft: office, document number, date."""

    office: str
    number: str
    issued_on: date


def _run(paragraph, text, *, size=16, bold=False, font=FONT, color=None):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, font
    run.element.rPr.rFonts.set(qn("w:eastAsia"), font)  # the Chinese glyphs' font
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(doc, text="", *, size=16, bold=False, align=None, font=FONT, color=None):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, size=size, bold=bold, font=font, color=color)
    return paragraph


def _table(doc, header: list[str], rows: list[list[str]], *, size=12, widths=None) -> None:
    """A grid table; ``widths`` (centimetres per column) fixes the columns, and with them
    the cells hold single-spaced lines with no space after (a compact table)."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths:  # Word reads the cells' widths, LibreOffice the grid's: both are set
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
    for n, (cell, text) in enumerate(zip(table.rows[0].cells, header, strict=True)):
        _cell(cell, text, size=size, bold=True, width=widths and widths[n])
    for row in rows:
        cells = table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, row, strict=True)):
            _cell(cell, text, size=size, width=widths and widths[n])


def _cell(cell, text: str, *, size, bold=False, width=None) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    _run(paragraph, text, size=size, bold=bold)
    if width:
        cell.width = Cm(width)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0


def _heading(doc, text: str) -> None:
    _paragraph(doc, text, size=16, bold=True, font=TITLE_FONT)


def _grade(code: str) -> str:
    return str(Grade(code).label)


def _document():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def write_notice(*, cycle: Cycle, heading: NoticeHeading, out) -> None:
    """Write the draft notice of ``cycle``'s results to ``out`` (a binary file)."""
    with translation.override(NOTICE_LANGUAGE):
        doc = _notice(cycle, heading)
    doc.save(out)


def _notice(cycle: Cycle, heading: NoticeHeading):
    results = list(
        CountyResult.objects.filter(cycle=cycle)
        .select_related("county")
        .order_by("rank", "county__code")
    )
    doc = _document()
    _paragraph(doc, heading.office, size=26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
               font=TITLE_FONT, color=RED)  # fmt: skip
    _paragraph(doc, heading.number, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        _(
            "Notice of the results of the %(year)s performance appraisal of the county "
            "leadership teams"
        )
        % {"year": cycle.year},
        size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT,
    )  # fmt: skip
    _paragraph(
        doc,
        _(
            "To the party committees and governments of every county and district, and every "
            "responsible unit of the city:"
        ),
    )
    _paragraph(
        doc,
        _(
            "Following the city's appraisal scheme, the lead department appraised the "
            "performance of the leadership teams of %(n)s counties and districts in %(year)s: "
            "the responsible units scored every indicator, the scores were reviewed and "
            "locked, and the totals, ranks and grades were computed under the year's rules. "
            "The results are notified as follows."
        )
        % {"n": len(results), "year": cycle.year},
    )
    _grades(doc, results)
    _heading(doc, _("2. Top and bottom three of every indicator"))
    _table(
        doc,
        [_("Indicator"), _("Top three"), _("Bottom three")],
        [[f"{row.indicator.code} {row.indicator.name}", "、".join(row.top_names),
          "、".join(row.bottom_names)] for row in statistics_rows(cycle)],
    )  # fmt: skip
    _adjustments(doc, cycle, results)
    _paragraph(doc, _(
        "Every county and district should study its feedback, keep what it does well, face "
        "its shortfalls and rectify them, so that the next year's work improves."
    ))  # fmt: skip
    _paragraph(doc, heading.office, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _date(heading.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def _grades(doc, results: list) -> None:
    """Part 1 of the notice: the counties of each grade, then the table of every county."""
    counts = {code: [r.county.name for r in results if r.grade == code] for code in Grade.values}
    _heading(doc, _("1. Grades"))
    for code in Grade.values:
        if counts[code]:
            _paragraph(doc, _("%(grade)s (%(n)s): %(names)s.") % {
                "grade": _grade(code), "n": len(counts[code]), "names": "、".join(counts[code])
            })  # fmt: skip
    _table(
        doc,
        [_("No."), _("County"), _("Total"), _("Rank"), _("Grade")],
        [[str(n), r.county.name, str(r.total), str(r.rank), _grade(r.grade)]
         for n, r in enumerate(results, 1)],
    )  # fmt: skip


def _adjustments(doc, cycle, results) -> None:
    _heading(doc, _("3. Vetoes, adjustments and grade changes"))
    vetoes = list(
        Veto.objects.filter(cycle=cycle).select_related("county", "item").order_by("county__code")
    )
    if vetoes:
        _table(doc, [_("County"), _("Veto item"), _("Reason")], [
            [v.county.name, v.item.name if v.item else "—", v.reason] for v in vetoes
        ])  # fmt: skip
    else:
        _paragraph(doc, _("No county was vetoed."))
    adjustments = list(
        Adjustment.objects.filter(cycle=cycle)
        .select_related("county")
        .order_by("county__code", "id")
    )
    if adjustments:
        _table(doc, [_("County"), _("Bonus or penalty"), _("Reason")], [
            [a.county.name, f"{a.points:+}", a.reason] for a in adjustments
        ])  # fmt: skip
    else:
        _paragraph(doc, _("No bonus or penalty was recorded."))
    overridden = [r for r in results if r.is_overridden]
    if overridden:
        _table(doc, [_("County"), _("Computed grade"), _("Grade"), _("Reason")], [
            [r.county.name, _grade(r.computed_grade), _grade(r.grade), r.override_reason]
            for r in overridden
        ])  # fmt: skip


def _date(day: date) -> str:
    return _("%(y)s-%(m)s-%(d)s") % {"y": day.year, "m": day.month, "d": day.day}


def write_county_report(*, cycle: Cycle, county: County, out) -> None:
    """Write ``county``'s one-page report of ``cycle`` to ``out``: its total, rank and grade,
    every indicator against the highest and average, and its largest shortfalls."""
    with translation.override(NOTICE_LANGUAGE):
        feedback = county_feedback(cycle=cycle, county=county)
        doc = _document()
        for section in doc.sections:  # A4, narrow margins: one page up to about 45 indicators
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.top_margin = section.bottom_margin = Cm(1.5)
            section.left_margin = section.right_margin = Cm(1.8)
        _paragraph(
            doc,
            _("%(county)s: results of the %(year)s appraisal")
            % {"county": county.name, "year": cycle.year},
            size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT,
        )  # fmt: skip
        result = feedback.result
        _paragraph(doc, _(
            "Total %(total)s (indicator points %(points)s, adjustments %(adjustment)s), rank "
            "%(rank)s of %(n)s, grade %(grade)s."
        ) % {
            "total": result.total, "points": result.indicator_points,
            "adjustment": result.adjustment, "rank": result.rank, "n": feedback.county_count,
            "grade": _grade(result.grade),
        }, size=11)  # fmt: skip
        header = [
            _("Indicator"),
            _("Weight"),
            _("Points scored"),
            _("Rank"),
            _("Highest"),
            _("Average"),
        ]
        _table(doc, header, [
            [f"{row.indicator.code} {row.indicator.name}", f"{row.indicator.weight.normalize():f}",
             str(row.points), "—" if row.rank is None else f"{row.rank}/{row.ranked}",
             str(row.stat.highest) if row.stat else "—", str(row.stat.average) if row.stat else "—"]
            for row in feedback.rows
        ], size=10, widths=REPORT_COLUMNS)  # fmt: skip
        if feedback.shortfalls:
            _paragraph(doc, _("Largest shortfalls against the best county: %(list)s.") % {
                "list": "、".join(
                    f"{row.indicator.name}（{row.gap}）" for row in feedback.shortfalls[:5]
                )
            }, size=10.5)  # fmt: skip
    doc.save(out)


def docx_bytes(write, **kwargs) -> bytes:
    out = BytesIO()
    write(out=out, **kwargs)
    return out.getvalue()
