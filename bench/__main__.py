"""``python -m bench S M L``: time every operation at each size against its floor.

Runs against the database of ``DATABASE_URL`` — use a database of its own, e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/appraisal_bench python -m bench M``: the
synthetic cycles (years 2901–2953) are replaced there on every run. Workbooks are written
once into ``--workdir`` and reused.
"""

import argparse
import os
import platform
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="+", choices=["S", "M", "L"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/appraisal-bench"))
    parser.add_argument("--no-pages", action="store_true", help="skip the page timings")
    parser.add_argument(
        "--no-import", action="store_true", help="skip the import (and writing its workbook)"
    )
    parser.add_argument("--no-exports", action="store_true", help="skip the exports")
    parser.add_argument(
        "--worker",
        action="store_true",
        help="also time the ranking and the round closing run by a Celery worker "
        "(PostgreSQL and a broker: CELERY_BROKER_URL, default redis://127.0.0.1:6379/0)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.runner import run_size, table

    setup_test_environment()  # the test client's host, no e-mail sent
    args.workdir.mkdir(parents=True, exist_ok=True)
    runs = [
        run_size(
            size,
            workdir=args.workdir,
            pages=not args.no_pages,
            worker=args.worker,
            imports=not args.no_import,
            exports=not args.no_exports,
        )
        for size in args.sizes
    ]
    print(table(runs))
    server = ""
    if connection.vendor == "postgresql":
        server = str(connection.cursor().connection.server_version)
    print(
        f"machine: {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor} {server}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
