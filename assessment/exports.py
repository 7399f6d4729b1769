"""Every exported cell a plain value: what each workbook and CSV writer of the project uses.

A name a user typed (a county, a rule item, a reason) may start with ``=``; written as is, a
spreadsheet program would run it as a formula (``=HYPERLINK(…)``, DDE). So:

- xlsxwriter workbooks are opened with :func:`xlsxwriter_options` (strings are never turned
  into formulas or links);
- openpyxl rows are appended with :func:`append_plain` (a string is a string cell);
- CSV rows go through :func:`csv_row`, which puts an apostrophe before a text that starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a number, as OWASP
  advises (spreadsheet programs show the text without it).
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def plain_text(value):
    """``value`` safe for a CSV field: a text that a spreadsheet would read as a formula
    gets an apostrophe in front; numbers (also as text, such as ``-3.5``) and other values
    are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if _NUMBER.fullmatch(value.strip()):
            return value
        return "'" + value
    return value


def csv_row(row) -> list:
    """A CSV row of plain values (None as an empty field)."""
    return ["" if cell is None else plain_text(cell) for cell in row]


def xlsxwriter_options(**options) -> dict:
    """Options of ``xlsxwriter.Workbook`` under which every string is written as a string."""
    return {**options, "strings_to_formulas": False, "strings_to_urls": False}


def append_plain(ws, row) -> None:
    """Append ``row`` to the openpyxl worksheet ``ws`` with every string as a string cell
    (openpyxl would store a string starting with ``=`` as a formula)."""
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"
