"""The least work each operation must do, measured on the same data in the same run.

- import: read every sheet of the workbook with python-calamine, and ``COPY`` its data rows
  (annual data and progress, codes turned into ids) into tables shaped like the real ones;
- compute: read the annual inputs once (a server-side cursor, fetched in full) and ``COPY``
  as many result rows as the computation writes (item scores, indicator results, county
  results);
- close a round: read the round's progress once and ``COPY`` as many warning rows;
- exports: ``SELECT`` the cells and write them with xlsxwriter in ``constant_memory`` mode;
- pages: the page's own queries, replayed raw.

Each floor has an untimed ``prepare`` (scratch tables, code → id maps) and a timed ``run``.
The scratch tables are empty copies of the real tables (on PostgreSQL logged, with their
indexes and foreign keys, so that a row costs what it costs in the real table) and are
dropped afterwards. On SQLite, ``COPY`` becomes ``executemany``.
"""

import io
import time
from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice

import python_calamine
import xlsxwriter
from django.db import connection, transaction
from django.utils import timezone

from scoring.workbook.layout import ANNUAL, PROGRESS, ROUNDS, SHEET_DATA_ROWS

FETCH = 20_000
PROGRESS_COLUMNS = ["cycle_id", "round_id", "county_id", "indicator_id", "value", "updated_at"]
CHUNK = 50_000


class _Timer:
    seconds = 0.0


@contextmanager
def clock():
    """Time the block as one transaction, its commit (and deferred checks) included, as the
    operations run theirs."""
    timer = _Timer()
    start = time.perf_counter()
    with transaction.atomic():
        yield timer
    timer.seconds = time.perf_counter() - start


@contextmanager
def scratch(*tables: str):
    """Empty copies of ``tables``: {table: scratch name}; dropped afterwards."""
    names = {table: f"bench_scratch_{table}" for table in tables}
    with connection.cursor() as cursor:
        for table, name in names.items():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")  # left by an interrupted run
            if connection.vendor == "postgresql":
                like = "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES"
                # A logged table, as the real ones are: a TEMP table skips the write-ahead log.
                cursor.execute(f"CREATE TABLE {name} (LIKE {table} {like})")
                # And the same foreign keys, checked as the real ones are (at commit).
                cursor.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                for (definition,) in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {name} ADD {definition}")
            else:
                cursor.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {table} WHERE 0")
    try:
        yield names
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Inside a transaction (the smoke test), the deferred foreign-key checks of
                # the scratch rows are still pending: run them, or the table cannot be dropped.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in names.values():
                cursor.execute(f"DROP TABLE {name}")


def _text(value) -> str:
    return "\\N" if value is None else str(value)


def copy(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Write ``rows`` into ``table``: ``COPY`` on PostgreSQL, executemany elsewhere."""
    rows = iter(rows)
    count = 0
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, CHUNK)):
            count += len(chunk)
            if connection.vendor == "postgresql":
                text = "".join("\t".join(map(_text, row)) + "\n" for row in chunk)
                cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text)
                )
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    [tuple(float(v) if isinstance(v, Decimal) else v for v in r) for r in chunk],
                )
    return count


def select(sql: str, params=()) -> list[tuple]:
    """Every row of ``sql``, read through a server-side cursor on PostgreSQL."""
    rows: list[tuple] = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH):
            rows.extend(batch)
    return rows


def _ids(sql: str, params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


# --- import -------------------------------------------------------------------------------


def import_floor(path, cycle_id: int) -> float:
    """Read the workbook with calamine and COPY its data rows; returns seconds (timed here
    because the scratch tables and id maps are prepared first)."""
    county_id = _ids(
        "SELECT c.code, c.id FROM assessment_county c JOIN assessment_cycle_counties cc "
        "ON cc.county_id = c.id WHERE cc.cycle_id = %s",
        [cycle_id],
    )
    item_id = _ids("SELECT code, id FROM indicators_ruleitem WHERE cycle_id = %s", [cycle_id])
    indicator_id = _ids("SELECT code, id FROM indicators_indicator WHERE cycle_id = %s", [cycle_id])
    round_id = _ids("SELECT code, id FROM assessment_round WHERE cycle_id = %s", [cycle_id])
    now = timezone.now()
    with scratch("scoring_annualinput", "scoring_progress") as tables:
        with clock() as timer:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                rows = book.get_sheet_by_name(name).iter_rows()
                next(rows, None)
                if name.rstrip("0123456789") == ANNUAL.zh:
                    copy(
                        tables["scoring_annualinput"],
                        ["cycle_id", "county_id", "item_id", "actual", "target", "updated_at"],
                        (
                            (cycle_id, county_id[c], item_id[i], a, t if t != "" else None, now)
                            for c, i, a, t in rows
                        ),
                    )
                elif name.rstrip("0123456789") == PROGRESS.zh:
                    copy(
                        tables["scoring_progress"],
                        PROGRESS_COLUMNS,
                        (
                            (cycle_id, round_id[ROUNDS[r]], county_id[c], indicator_id[i], v, now)
                            for r, c, i, v in rows
                        ),
                    )
                else:
                    for _row in rows:
                        pass
            book.close()
        return timer.seconds


# --- compute and close ------------------------------------------------------------------------


def compute_floor(cycle_id: int) -> float:
    """Read the annual inputs once; COPY as many item-score, indicator-result and county-result
    rows as the computation writes."""
    counties = list(_ids(
        "SELECT county_id, cycle_id FROM assessment_cycle_counties WHERE cycle_id = %s",
        [cycle_id],
    ))  # fmt: skip
    indicators = list(
        _ids("SELECT id, code FROM indicators_indicator WHERE cycle_id = %s", [cycle_id])
    )
    exempt = select(
        "SELECT county_id, indicator_id FROM scoring_exemption WHERE cycle_id = %s", [cycle_id]
    )
    tables = ("scoring_itemscore", "scoring_indicatorresult", "scoring_countyresult")
    with scratch(*tables) as names:
        with clock() as timer:
            inputs = select(
                "SELECT county_id, item_id, actual, target FROM scoring_annualinput "
                "WHERE cycle_id = %s",
                [cycle_id],
            )
            copy(
                names["scoring_itemscore"],
                ["cycle_id", "county_id", "item_id", "score"],
                ((cycle_id, c, i, a) for c, i, a, _t in islice(inputs, len(inputs) - len(exempt))),
            )
            zero = Decimal("0.00")
            copy(
                names["scoring_indicatorresult"],
                ["cycle_id", "county_id", "indicator_id", "percent", "points", "exempt", "rank"],
                ((cycle_id, c, i, zero, zero, "f", 1) for c in counties for i in indicators),
            )
            copy(
                names["scoring_countyresult"],
                ["cycle_id", "county_id", "indicator_points", "adjustment", "total", "rank",
                 "vetoed", "computed_grade", "grade_override", "override_reason"],
                ((cycle_id, c, zero, zero, zero, 1, "f", "good", "", "") for c in counties),
            )  # fmt: skip
        return timer.seconds


def close_floor(round_id: int, warnings: int) -> float:
    """Read the round's progress once; COPY as many warning rows as the closing issues."""
    now = timezone.now()
    with scratch("alerts_warning") as names:
        with clock() as timer:
            progress = select(
                "SELECT cycle_id, county_id, indicator_id, value FROM scoring_progress "
                "WHERE round_id = %s",
                [round_id],
            )
            copy(
                names["alerts_warning"],
                ["cycle_id", "round_id", "county_id", "indicator_id", "bottom_three",
                 "behind_target", "not_reported", "progress", "place", "reported", "expected",
                 "status", "issued_at", "to_notify"],
                ((cy, round_id, c, i, "f", "t", "f", v, 1, 1, Decimal("33.33"), "issued", now, "t")
                 for cy, c, i, v in islice(progress, warnings)),
            )  # fmt: skip
        return timer.seconds


# --- exports ----------------------------------------------------------------------------------


def export_results_floor(cycle_id: int, out) -> float:
    """SELECT the results cells and write them as one grid with xlsxwriter."""
    with clock() as timer:
        counties = select(
            "SELECT r.county_id, c.code, c.name, r.total, r.rank, r.computed_grade "
            "FROM scoring_countyresult r JOIN assessment_county c ON c.id = r.county_id "
            "WHERE r.cycle_id = %s ORDER BY r.rank, c.code",
            [cycle_id],
        )
        indicators = select(
            'SELECT id, code FROM indicators_indicator WHERE cycle_id = %s ORDER BY "order", code',
            [cycle_id],
        )
        column = {ind_id: n for n, (ind_id, _code) in enumerate(indicators)}
        grid = {row[0]: [None] * len(indicators) for row in counties}
        for county_id, indicator_id, points in select(
            "SELECT county_id, indicator_id, points FROM scoring_indicatorresult "
            "WHERE cycle_id = %s",
            [cycle_id],
        ):
            grid[county_id][column[indicator_id]] = float(points)
        with xlsxwriter.Workbook(str(out), {"constant_memory": True}) as book:
            sheet = book.add_worksheet("结果")
            sheet.write_row(0, 0, ["县区代码", "县区名称", "总分", "排名", "等次"])
            sheet.write_row(0, 5, [code for _id, code in indicators])
            for n, (county_id, code, name, total, rank, grade) in enumerate(counties, 1):
                sheet.write_row(n, 0, [code, name, float(total), rank, grade])
                sheet.write_row(n, 5, grid[county_id])
    return timer.seconds


CYCLE_QUERIES = (
    ("县区", "SELECT c.code, c.name FROM assessment_county c JOIN assessment_cycle_counties cc "
     "ON cc.county_id = c.id WHERE cc.cycle_id = %s ORDER BY c.code"),
    ("指标", "SELECT code, name, weight, direction FROM indicators_indicator "
     "WHERE cycle_id = %s ORDER BY \"order\", code"),
    ("细则", "SELECT i.code, r.code, r.name, r.share, r.method, r.params "
     "FROM indicators_ruleitem r JOIN indicators_indicator i ON i.id = r.indicator_id "
     "WHERE r.cycle_id = %s "
     "ORDER BY i.\"order\", i.code, r.\"order\", r.code"),
    ("年度数据", "SELECT c.code, r.code, a.actual, a.target FROM scoring_annualinput a "
     "JOIN assessment_county c ON c.id = a.county_id JOIN indicators_ruleitem r "
     "ON r.id = a.item_id JOIN indicators_indicator i ON i.id = r.indicator_id "
     "WHERE a.cycle_id = %s ORDER BY i.\"order\", r.\"order\", r.code, c.code"),
    ("预考核数据", "SELECT o.code, c.code, i.code, p.value FROM scoring_progress p "
     "JOIN assessment_round o ON o.id = p.round_id JOIN assessment_county c "
     "ON c.id = p.county_id JOIN indicators_indicator i ON i.id = p.indicator_id "
     "WHERE p.cycle_id = %s ORDER BY o.code, i.\"order\", i.code, c.code"),
    ("免考", "SELECT c.code, i.code, e.reason FROM scoring_exemption e JOIN assessment_county c "
     "ON c.id = e.county_id JOIN indicators_indicator i ON i.id = e.indicator_id "
     "WHERE e.cycle_id = %s ORDER BY c.code, i.\"order\", i.code"),
)  # fmt: skip


def _number(value):
    return None if value is None else float(value)


def export_cycle_floor(cycle_id: int, out) -> float:
    """SELECT every sheet's cells (codes joined in, in the workbook's order) and write them
    with xlsxwriter, data sheets continuing past a sheet's row limit."""
    with clock() as timer, xlsxwriter.Workbook(str(out), {"constant_memory": True}) as book:
        for name, sql in CYCLE_QUERIES:
            sheet, number, part = book.add_worksheet(name), 0, 1
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, [cycle_id])
                while batch := cursor.fetchmany(FETCH):
                    for row in batch:
                        if number == SHEET_DATA_ROWS and name in ("年度数据", "预考核数据"):
                            part += 1
                            sheet, number = book.add_worksheet(f"{name}{part}"), 0
                        number += 1
                        cells = [_number(v) if isinstance(v, Decimal) else v for v in row]
                        sheet.write_row(number, 0, cells)
    return timer.seconds


# --- pages -----------------------------------------------------------------------------------


def replay(queries: list[tuple[str, tuple]]) -> tuple[float, int]:
    """Run a page's recorded SELECTs again, fetching every row: (seconds, rows)."""
    with clock() as timer:
        rows = 0
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
    return timer.seconds, rows
