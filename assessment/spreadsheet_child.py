"""The child process that parses an uploaded spreadsheet (run by :mod:`assessment.spreadsheets`).

It imports no Django and touches no database: it limits its own address space and CPU time
first, opens the workbook with python-calamine, and answers the parent's requests on stdin
with frames on stdout (a 4-byte big-endian length, then a pickle of plain values):

- at start: ``("names", [sheet names])`` or ``("error", message)``;
- ``("open", name)`` → ``("start", (row, column) or None)`` or ``("error", message)``;
- ``("more",)`` → ``("rows", [rows…])``, an empty list once the open sheet is read.

A parser crash (a Rust panic or abort on a failed allocation) or the kernel's limits end
this process only; the parent turns its disappearance into a refused file.
"""

import pickle
import resource
import struct
import sys

BATCH = 5000


def _send(out, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack(">I", len(data)) + data)
    out.flush()


def _receive(stdin):
    head = stdin.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    return pickle.loads(stdin.read(size))


def main(path: str, memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    import python_calamine

    out, stdin = sys.stdout.buffer, sys.stdin.buffer
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
    except Exception as exc:  # any failure to open is the parent's "cannot be read"
        _send(out, ("error", str(exc)))
        return
    _send(out, ("names", list(book.sheet_names)))
    rows = iter(())
    while (request := _receive(stdin)) is not None:
        try:
            if request[0] == "open":
                sheet = book.get_sheet_by_name(request[1])
                rows = iter(sheet.iter_rows())
                _send(out, ("start", tuple(sheet.start) if sheet.start else None))
            else:
                batch = []
                for row in rows:
                    batch.append(list(row))
                    if len(batch) == BATCH:
                        break
                _send(out, ("rows", batch))
        except Exception as exc:  # calamine's errors and MemoryError: reported, not fatal
            rows = iter(())
            _send(out, ("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
