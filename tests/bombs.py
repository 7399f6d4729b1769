"""Spreadsheets built to hurt a server, written here by hand (nothing stored in the repo).

- :func:`far_cell_bomb`: about 1.6 KB, one sheet with cells at A1 and XFD1048576; a parser
  that builds the sheet's dense range asks for 2^34 cells (python-calamine: 512 GB).
- :func:`unpack_bomb`: about 3 MB that unpacks to about 1.1 GB of sheet XML.
"""

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _frame(book: zipfile.ZipFile, sheet: str) -> None:
    book.writestr("[Content_Types].xml", _CONTENT_TYPES)
    book.writestr("_rels/.rels", _RELS)
    book.writestr("xl/workbook.xml", _WORKBOOK.format(sheet=sheet))
    book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)


def far_cell_bomb(path: Path, *, sheet: str = "年度数据", dimension: bool = True) -> Path:
    """Cells at A1 and XFD1048576; ``dimension=False`` leaves out the declared dimension (so
    that only the parser, not the archive check, meets the far cell)."""
    declared = '<dimension ref="A1:XFD1048576"/>' if dimension else ""
    body = (
        f"{_SHEET_HEAD}{declared}<sheetData>"
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        _frame(book, sheet)
        book.writestr("xl/worksheets/sheet1.xml", body)
    return path


def unpack_bomb(path: Path, *, unpacked: int = 1_100_000_000) -> Path:
    """A sheet of ``unpacked`` bytes of rows, written and compressed as a stream (the test
    never holds it in memory)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        _frame(book, "年度数据")
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode() + b"<sheetData>")
            written = 0
            while written < unpacked:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path
