"""Small helpers every workbook writer shares (results, warnings, cycle workbooks)."""

import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO


@contextmanager
def open_for_writing(out: str | os.PathLike | BinaryIO) -> Iterator[BinaryIO]:
    """``out`` as a binary file: a path is opened here, a file object passes through.

    Opening a path ourselves makes a path that cannot be written fail before xlsxwriter
    creates its temporary files (which it leaves open when it fails to save).
    """
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as fh:
            yield fh
    else:
        yield out


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: Chinese (wide) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(texts, *, minimum: int = 6, maximum: int = 40) -> int:
    """A column width that fits the widest of ``texts``, within [minimum, maximum]."""
    widest = max((display_width(t) for t in texts), default=0)
    return min(max(widest + 2, minimum), maximum)
