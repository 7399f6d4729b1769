"""Uploaded spreadsheets that cannot hurt the server: checked before parsing, parsed apart.

Every reader of a user's workbook (the cycle import, a unit's round workbook, their jobs) opens
it with :func:`open_workbook`, and every upload that accepts a spreadsheet as a file (evidence,
attachments) checks it with :func:`check_workbook`:

1. :func:`check_workbook` reads only the archive's directory and the first bytes of each
   sheet: the declared unpacked size of the whole archive, its compression ratio, the number
   of its members and the dimension each sheet declares are compared with the settings
   ``SPREADSHEET_MAX_UNPACKED_BYTES``, ``SPREADSHEET_MAX_RATIO``, ``SPREADSHEET_MAX_MEMBERS``
   and ``SPREADSHEET_MAX_CELLS``; a file over one is refused with :class:`SpreadsheetRefused`,
   whose message names the limit. Python's ``zipfile`` never unpacks more than a member
   declares, so the declared sizes bound the work.
2. :func:`open_workbook` then parses the file in a child process
   (:mod:`assessment.spreadsheet_child`) whose address space is limited to
   ``SPREADSHEET_PARSE_MEMORY_MB`` and its CPU time to ``SPREADSHEET_PARSE_SECONDS``: a
   parser that crashes or runs out of memory on a file the checks let through (a lying
   dimension, an unknown bug) ends that process only, and the file is refused. The rows come
   back in batches, so the web process holds no more than the reader keeps.

The object :func:`open_workbook` returns offers the part of python-calamine's workbook that
the readers use (``sheet_names``, ``get_sheet_by_name(name).start`` and ``.iter_rows()``,
``close()``).
"""

import datetime
import io
import logging
import pickle
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path, PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from assessment.refusals import Refused

logger = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("spreadsheet_child.py")
# The dimension a worksheet declares near its start: <dimension ref="A1:XFD1048576"/>.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_HEAD_BYTES = 4096
# Members this small are not held to the compression ratio (a tiny repetitive XML file
# compresses well and cannot hurt).
_RATIO_FLOOR = 1024 * 1024


def not_a_workbook() -> str:
    return _("not an Excel workbook (.xlsx), or it cannot be read")


class SpreadsheetRefused(Refused):
    """The file is refused before or while it is parsed; the message says why, in the
    user's language, naming the limit."""


class SpreadsheetUnreadable(SpreadsheetRefused):
    """The file is no .xlsx archive at all (no limit involved)."""


def _count(n: int) -> str:
    return f"{n:,}"


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - ord("A") + 1)
    return number


def check_workbook(source) -> None:
    """Refuse (:class:`SpreadsheetRefused`) an .xlsx file whose archive or sheets are over
    the limits; ``source`` is a path or a binary file-like (left at its start). Reads only
    the archive's directory and the first bytes of each member."""
    fh = open(source, "rb") if isinstance(source, str | PurePath) else source  # noqa: SIM115
    try:
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise SpreadsheetUnreadable(not_a_workbook()) from None
        with archive:
            _check_archive(archive)
    finally:
        if fh is source:
            fh.seek(0)
        else:
            fh.close()


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > settings.SPREADSHEET_MAX_MEMBERS:
        raise SpreadsheetRefused(
            _("the workbook holds %(count)s files; at most %(limit)s are accepted")
            % {"count": _count(len(members)), "limit": _count(settings.SPREADSHEET_MAX_MEMBERS)}
            + " (SPREADSHEET_MAX_MEMBERS)"
        )
    ratio = settings.SPREADSHEET_MAX_RATIO
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and member.file_size > ratio * packed:
            raise SpreadsheetRefused(
                _(
                    "a part of the workbook unpacks to %(times)s times its size (%(packed)s "
                    "to %(unpacked)s); at most %(limit)s times is accepted"
                )
                % {
                    "times": _count(member.file_size // packed),
                    "packed": _megabytes(packed),
                    "unpacked": _megabytes(member.file_size),
                    "limit": _count(ratio),
                }
                + " (SPREADSHEET_MAX_RATIO)"
            )
    unpacked = sum(m.file_size for m in members)
    limit = settings.SPREADSHEET_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise SpreadsheetRefused(
            _("the workbook unpacks to %(size)s; at most %(limit)s is accepted")
            % {"size": _megabytes(unpacked), "limit": _megabytes(limit)}
            + " (SPREADSHEET_MAX_UNPACKED_BYTES)"
        )
    for member in members:
        if member.filename.endswith(".xml") and not member.is_dir():
            _check_dimension(archive, member)


def _check_dimension(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    try:
        with archive.open(member) as part:
            head = part.read(_HEAD_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise SpreadsheetUnreadable(not_a_workbook()) from None
    found = _DIMENSION.search(head)
    if found is None or found.group(3) is None:
        return
    first_col, first_row, last_col, last_row = found.groups()
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col) - _column_number(first_col) + 1
    cells, limit = rows * columns, settings.SPREADSHEET_MAX_CELLS
    if cells > limit:
        raise SpreadsheetRefused(
            _(
                "a sheet spans %(range)s, %(cells)s cells (%(rows)s rows × %(columns)s "
                "columns); at most %(limit)s cells a sheet are accepted"
            )
            % {
                "range": found.group(0).split(b'"')[1].decode(),
                "cells": _count(cells),
                "rows": _count(rows),
                "columns": _count(columns),
                "limit": _count(limit),
            }
            + " (SPREADSHEET_MAX_CELLS)"
        )


def open_workbook(source) -> "IsolatedWorkbook":
    """Check ``source`` (a path, an uploaded file or a binary file-like) with
    :func:`check_workbook` and open it in a child process with limited memory and time.

    Raises :class:`SpreadsheetRefused` when the file is over a limit or cannot be read.
    Side effect: a temporary copy of a file that is not on disk (deleted on ``close()``)."""
    if isinstance(source, str | PurePath):
        path, temporary = str(source), None
    elif hasattr(source, "temporary_file_path"):  # a large upload, spooled to disk by Django
        path, temporary = source.temporary_file_path(), None
    else:
        source.seek(0)
        temporary = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115
        while chunk := source.read(1024 * 1024):
            temporary.write(chunk)
        temporary.flush()
        source.seek(0)
        path = temporary.name
    try:
        check_workbook(path)
        return IsolatedWorkbook(path, temporary)
    except BaseException:
        if temporary is not None:
            temporary.close()
        raise


class _RowsUnpickler(pickle.Unpickler):
    """Plain values only: the child parses untrusted files, so its answers name no code."""

    _ALLOWED = {("datetime", n) for n in ("datetime", "date", "time", "timedelta")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")


class IsolatedWorkbook:
    """A workbook parsed by a child process (see the module's docstring)."""

    def __init__(self, path: str, temporary=None):
        self._temporary = temporary
        memory = settings.SPREADSHEET_PARSE_MEMORY_MB * 1024 * 1024
        seconds = settings.SPREADSHEET_PARSE_SECONDS
        self._process = subprocess.Popen(
            [sys.executable, str(CHILD), path, str(memory), str(seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        kind, value = self._receive()
        if kind == "error":
            logger.info("spreadsheet not read: %s", value)
            self.close()
            raise SpreadsheetUnreadable(not_a_workbook())
        self.sheet_names: list[str] = value

    def _receive(self):
        head = self._process.stdout.read(4)
        if len(head) < 4:
            self._lost()
        (size,) = struct.unpack(">I", head)
        data = self._process.stdout.read(size)
        if len(data) < size:
            self._lost()
        return _RowsUnpickler(io.BytesIO(data)).load()

    def _send(self, message) -> None:
        data = pickle.dumps(message)
        try:
            self._process.stdin.write(struct.pack(">I", len(data)) + data)
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            self._lost()

    def _lost(self):
        code = self._process.wait()
        logger.warning("spreadsheet parser ended with code %s (a limit, or a crash)", code)
        self.close()
        raise SpreadsheetRefused(
            _(
                "the workbook could not be read within the limits of the server "
                "(%(memory)s MB of memory, %(seconds)s s)"
            )
            % {
                "memory": _count(settings.SPREADSHEET_PARSE_MEMORY_MB),
                "seconds": _count(settings.SPREADSHEET_PARSE_SECONDS),
            }
            + " (SPREADSHEET_PARSE_MEMORY_MB, SPREADSHEET_PARSE_SECONDS)"
        )

    def get_sheet_by_name(self, name: str) -> "IsolatedSheet":
        self._send(("open", name))
        kind, value = self._receive()
        if kind == "error":
            raise SpreadsheetRefused(
                _("the sheet %(sheet)s cannot be read (%(error)s)")
                % {"sheet": name, "error": value}
            )
        return IsolatedSheet(self, value)

    def _rows(self):
        while True:
            self._send(("more",))
            kind, value = self._receive()
            if kind == "error":
                raise SpreadsheetRefused(_("a sheet cannot be read (%(error)s)") % {"error": value})
            if not value:
                return
            yield from value

    def close(self) -> None:
        """End the child process and delete the temporary copy."""
        process = self._process
        if process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pipe in (process.stdin, process.stdout):
            if not pipe.closed:
                pipe.close()
        if self._temporary is not None:
            self._temporary.close()
            self._temporary = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class IsolatedSheet:
    def __init__(self, book: IsolatedWorkbook, start):
        self._book = book
        self.start = start

    def iter_rows(self):
        return self._book._rows()
