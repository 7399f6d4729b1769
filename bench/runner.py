"""Time every operation at a size against its floor, in the same run on the same data.

The operations run in-process through their management commands (``call_command``; for
closing a round, the service the command calls, without the emails that a worker sends after
the commit), so Django's start-up is not counted; each floor (:mod:`bench.floors`) runs
right after its operation. Peak memory is the process's resident peak during the operation
(Linux resets it through ``/proc/self/clear_refs``).
"""

import contextlib
import gc
import hashlib
import io
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import Client

from alerts.models import DiagnosisFlag, Warning
from alerts.services import close_round
from assessment.models import Cycle, Round, User
from bench import floors
from bench.generate import SIZES, Synthetic, seed, write_workbook
from bench.worker import celery_worker
from scoring.models import CountyResult, IndicatorResult, IndicatorStat, ItemScore

# Bump when the generator changes, so that cached workbooks are written again.
GENERATOR_VERSION = 1
# Years of the synthetic cycles: the seeded one and the imported one, per size.
YEARS = {"S": (2901, 2951), "M": (2902, 2952), "L": (2903, 2953)}
TARGETS = {
    "import_workbook": 2,
    "compute_results": 3,
    "close_round april": 3,
    "compute_results (worker)": 3,
    "close_round april (worker)": 3,
    "export_results": 2,
    "export_cycle": 2,
}
PAGE_TARGET_SECONDS = 0.3
# A chart is served from the cache (drawn by the worker when its data changed).
PAGE_TARGETS = {"chart profile": 0.1}
# Pages whose first request after a change prepares what the worker prepares ahead.
PREPARED = ("page explanation", "chart profile")
PAGE_REPEAT = 3


@dataclass
class Measurement:
    operation: str
    size: str
    rows: int
    seconds: float
    floor: float | None
    peak_mb: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.floor else None


@dataclass
class SizeRun:
    size: str
    measurements: list[Measurement] = field(default_factory=list)
    checksums: dict[str, str] = field(default_factory=dict)


# --- measuring -----------------------------------------------------------------------------


def _reset_peak() -> None:
    with contextlib.suppress(OSError):  # not Linux: the peak is the process's
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def timed(fn):
    """(result, seconds, peak MB) of ``fn()``."""
    gc.collect()
    _reset_peak()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    return result, seconds, _peak_mb()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- checksums -----------------------------------------------------------------------------


def _digest(lines) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


def checksums(cycle: Cycle) -> dict[str, str]:
    """Digests of every total, rank and grade, and of every figure behind them."""
    results = CountyResult.objects.filter(cycle=cycle).order_by("county__code")
    return {
        "results": _digest(
            f"{code}\t{total:.2f}\t{rank}\t{grade}"
            for code, total, rank, grade in results.values_list(
                "county__code", "total", "rank", "computed_grade"
            )
        ),
        "indicators": _digest(
            f"{c}\t{i}\t{p:.4f}\t{pts:.2f}\t{e}\t{r}"
            for c, i, p, pts, e, r in IndicatorResult.objects.filter(cycle=cycle)
            .order_by("county__code", "indicator__code")
            .values_list("county__code", "indicator__code", "percent", "points", "exempt", "rank")
            .iterator(chunk_size=20000)
        ),
        "items": _digest(
            f"{c}\t{i}\t{s:.4f}"
            for c, i, s in ItemScore.objects.filter(cycle=cycle)
            .order_by("county__code", "item__code")
            .values_list("county__code", "item__code", "score")
            .iterator(chunk_size=20000)
        ),
        "stats": _digest(
            f"{code}\t{h:.2f}\t{lo:.2f}\t{a:.2f}\t{','.join(t)}\t{','.join(b)}"
            for code, h, lo, a, t, b in IndicatorStat.objects.filter(cycle=cycle)
            .order_by("indicator__code")
            .values_list("indicator__code", "highest", "lowest", "average", "top", "bottom")
        ),
    }


WARNING_FIELDS = (
    "county__code", "indicator__code", "bottom_three", "behind_target", "not_reported",
    "progress", "place",
)  # fmt: skip


def warnings_checksum(rnd: Round) -> str:
    return _digest(
        f"{c}\t{i}\t{b}\t{t}\t{n}\t{p}\t{pl}"
        for c, i, b, t, n, p, pl in rnd.warnings.filter(replaced_at__isnull=True)
        .order_by("county__code", "indicator__code")
        .values_list(*WARNING_FIELDS)
    )


# --- one size --------------------------------------------------------------------------------


def workbook_for(size: str, year: int, workdir: Path, sheet_rows: int | None) -> Path:
    """The import workbook of ``size`` (written once, then reused from ``workdir``)."""
    suffix = f"-r{sheet_rows}" if sheet_rows else ""
    path = workdir / f"bench-{size}-{year}-v{GENERATOR_VERSION}{suffix}.xlsx"
    if not path.exists():
        _log(f"[{size}] writing {path}")
        partial = path.with_suffix(".partial.xlsx")
        write_workbook(Synthetic(SIZES[size], year), partial, sheet_rows=sheet_rows)
        partial.rename(path)
    return path


def _command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def run_size(
    size: str,
    *,
    workdir: Path,
    sheet_rows: int | None = None,
    pages: bool = True,
    worker: bool = False,
    imports: bool = True,
    exports: bool = True,
) -> SizeRun:
    """Seed the cycle of ``size``, then time every operation and its floor; with ``worker``,
    the ranking and the round closing also as Celery tasks run by a real worker. The import
    (and the writing of its workbook), the exports and the pages can be left out."""
    seed_year, import_year = YEARS[size]
    run = SizeRun(size)
    m = run.measurements
    Cycle.objects.filter(year__in=(seed_year, import_year)).delete()
    path = workbook_for(size, import_year, workdir, sheet_rows) if imports else None
    cycle, seconds, _peak = timed(lambda: seed(Synthetic(SIZES[size], seed_year)))
    _log(f"[{size}] seeded {seed_year} in {seconds:.1f} s")

    if path is not None:
        m.append(measure_import(size, path, import_year))

    # compute_results
    _out, seconds, peak = timed(lambda: _command("compute_results", str(seed_year)))
    rows = sum(
        model.objects.filter(cycle=cycle).count()
        for model in (ItemScore, IndicatorResult, CountyResult)
    )
    floor = floors.compute_floor(cycle.id)
    m.append(Measurement("compute_results", size, rows, seconds, floor, peak))
    _log(f"[{size}] compute_results {seconds:.2f} s, floor {floor:.2f} s")
    run.checksums = checksums(cycle)

    # close_round april
    april = Round.objects.get(cycle=cycle, code="april")
    # The service the command and the job run; the emails to the counties are a job of their
    # own that a worker runs after the commit (eager here, it would be counted): left out.
    _out, seconds, peak = timed(lambda: close_round(round=april, notify=False))
    warnings = april.warnings.count()
    floor = floors.close_floor(april.id, warnings)
    rows = april.progress.count()
    m.append(Measurement("close_round april", size, rows, seconds, floor, peak,
                         f"{warnings} warnings"))  # fmt: skip
    _log(f"[{size}] close_round {seconds:.2f} s, floor {floor:.2f} s")
    run.checksums["warnings"] = warnings_checksum(april)

    if worker:
        m.extend(measure_worker(size, cycle, april, run.checksums))

    if exports:
        m.extend(measure_exports(size, cycle))
    if pages:
        m.extend(measure_pages(size, cycle))
    return run


def measure_import(size: str, path: Path, year: int) -> Measurement:
    """``import_workbook`` of the workbook at ``path`` (the year ``year``), which is deleted
    again afterwards."""
    _out, seconds, peak = timed(lambda: _command("import_workbook", str(path)))
    imported = Cycle.objects.get(year=year)
    rows = imported.annual_inputs.count() + imported.progress.count()
    floor = floors.import_floor(path, imported.id)
    _log(f"[{size}] import_workbook {seconds:.2f} s, floor {floor:.2f} s")
    imported.delete()
    return Measurement("import_workbook", size, rows, seconds, floor, peak)


def measure_exports(size: str, cycle: Cycle) -> list[Measurement]:
    """``export_results`` and ``export_cycle`` of the computed ``cycle``."""
    found = []
    year = str(cycle.year)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out, floor_out = Path(tmp) / "out.xlsx", Path(tmp) / "floor.xlsx"
        _x, seconds, peak = timed(lambda: _command("export_results", year, "--out", str(out)))
        floor = floors.export_results_floor(cycle.id, floor_out)
        cells = CountyResult.objects.filter(cycle=cycle).count() * (5 + cycle.indicators.count())
        found.append(Measurement("export_results", size, cells, seconds, floor, peak, "cells"))
        _log(f"[{size}] export_results {seconds:.2f} s, floor {floor:.2f} s")

        _x, seconds, peak = timed(lambda: _command("export_cycle", year, "--out", str(out)))
        floor = floors.export_cycle_floor(cycle.id, floor_out)
        rows = cycle.annual_inputs.count() + cycle.progress.count()
        found.append(Measurement("export_cycle", size, rows, seconds, floor, peak))
        _log(f"[{size}] export_cycle {seconds:.2f} s, floor {floor:.2f} s")
    return found


# --- the Celery jobs ----------------------------------------------------------------------


class ChecksumMismatch(RuntimeError):
    """The worker's results differ from the in-process ones: the run is worthless."""


def _forget_results(cycle: Cycle) -> None:
    """Back to no results, so that the worker's ranking writes them as the first did."""
    for model in (ItemScore, IndicatorResult, IndicatorStat, CountyResult):
        model.objects.filter(cycle=cycle).delete()
    Cycle.objects.filter(pk=cycle.pk).update(results_computed_at=None)


def _forget_closing(rnd: Round) -> None:
    """Back to an open round with no warnings, as before its first closing."""
    Warning.objects.filter(round=rnd).delete()
    DiagnosisFlag.objects.filter(round=rnd).delete()
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.OPEN, closed_at=None)


def measure_worker(size: str, cycle: Cycle, april: Round, expected: dict) -> list[Measurement]:
    """The ranking and the closing of April as a worker runs them, each from the state the
    in-process run started from, against the same floors; their checksums must equal the
    in-process ones (``expected``)."""
    found = []
    _forget_results(cycle)
    _forget_closing(april)
    with celery_worker() as w:
        answer, seconds, peak = w.run("scoring.compute_results", cycle_id=cycle.id)
        if answer.get("status") != "done":
            raise RuntimeError(f"the worker's compute_results answered {answer}")
        rows = sum(
            model.objects.filter(cycle=cycle).count()
            for model in (ItemScore, IndicatorResult, CountyResult)
        )
        floor = floors.compute_floor(cycle.id)
        found.append(Measurement("compute_results (worker)", size, rows, seconds, floor, peak))
        _log(f"[{size}] compute_results by a worker {seconds:.2f} s, floor {floor:.2f} s")

        answer, seconds, peak = w.run("alerts.close_round", round_id=april.id)
        if answer.get("status") != "done":
            raise RuntimeError(f"the worker's close_round answered {answer}")
        # The emails the closing queued run next on the same worker: wait for them before the
        # floor, so that they do not share the machine with it.
        w.run("alerts.notify_round", round_id=april.id)
        warnings = april.warnings.count()
        floor = floors.close_floor(april.id, warnings)
        rows = april.progress.count()
        found.append(Measurement("close_round april (worker)", size, rows, seconds, floor,
                                 peak, f"{warnings} warnings"))  # fmt: skip
        _log(f"[{size}] close_round by a worker {seconds:.2f} s, floor {floor:.2f} s")

    got = {**checksums(cycle), "warnings": warnings_checksum(april)}
    if got != expected:
        raise ChecksumMismatch(f"in-process {expected}, by the worker {got}")
    for measurement in found:
        measurement.note = (measurement.note + ", " if measurement.note else "") + "same checksums"
    return found


# --- pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    user: User  # who requests it


def _user(username: str, **fields) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    return user


def page_paths(cycle: Cycle) -> list[Page]:
    """The pages to time, each as the user who works with it: the lead department's results,
    statistics, feedback page, explanation and profile chart (the largest chart of the
    feedback page: a bar per indicator) of the first county by code, and the entry grid of the
    first indicator by code in the annual round as the indicator's unit sees it.

    Creates the two users when missing and opens the annual round (a unit enters its figures
    while it is open); what is computed does not change.
    """
    lead = _user("bench-lead", role=User.Role.LEAD)
    county = cycle.counties.order_by("code").first()
    indicator = cycle.indicators.select_related("unit").order_by("code").first()
    unit = _user(f"bench-unit-{indicator.unit.code}", role=User.Role.UNIT, unit=indicator.unit)
    Round.objects.filter(cycle=cycle, code=Round.ANNUAL_CODE).update(status=Round.Status.OPEN)
    year = cycle.year
    return [
        Page("page results", f"/cycles/{year}/results/", lead),
        Page("page statistics", f"/cycles/{year}/statistics/", lead),
        Page("page feedback", f"/cycles/{year}/counties/{county.code}/feedback/", lead),
        Page("page explanation", f"/cycles/{year}/counties/{county.code}/explain/", lead),
        Page("chart profile", f"/cycles/{year}/counties/{county.code}/profile.svg", lead),
        Page(
            "page entry grid",
            f"/cycles/{year}/rounds/{Round.ANNUAL_CODE}/entry/{indicator.code}/",
            unit,
        ),
    ]


def page_client(user: User) -> Client:
    """A test client signed in as ``user``, asking for the pages in Chinese."""
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    return client


def measure_pages(size: str, cycle: Cycle) -> list[Measurement]:
    found = []
    clients: dict[int, Client] = {}
    for page in page_paths(cycle):
        if page.user.pk not in clients:
            clients[page.user.pk] = page_client(page.user)
        client = clients[page.user.pk]
        recorded: list[tuple[str, tuple]] = []

        def record(execute, sql, params, many, context, recorded=recorded):
            if not many and sql.lstrip().upper().startswith("SELECT"):
                recorded.append((sql, params))
            return execute(sql, params, many, context)

        # Warm: templates compiled, caches filled — the chart drawn and the explanation
        # prepared, as the worker does after a computation (reports/ahead.py); how long a
        # reader would wait without it is in the note.
        start = time.perf_counter()
        response = client.get(page.path)
        cold = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{page.path} answered {response.status_code}")
        times, floor_times = [], []
        for _n in range(PAGE_REPEAT):
            recorded.clear()
            gc.collect()
            _reset_peak()
            with connection.execute_wrapper(record):
                start = time.perf_counter()
                client.get(page.path)
                times.append(time.perf_counter() - start)
            peak = _peak_mb()
            seconds, rows = floors.replay(recorded)
            floor_times.append(seconds)
        found.append(
            Measurement(
                page.label,
                size,
                rows,
                statistics.median(times),
                statistics.median(floor_times),
                peak,
                f"{len(recorded)} queries"
                + (f", first {cold:.2f} s" if page.label in PREPARED else ""),
            )
        )
        _log(f"[{size}] {page.label} {statistics.median(times):.3f} s")
    return found


# --- the table -----------------------------------------------------------------------------


def target(m: Measurement) -> str:
    if m.operation in PAGE_TARGETS:
        return f"< {PAGE_TARGETS[m.operation] * 1000:.0f} ms"
    if m.operation.startswith("page"):
        return f"< {PAGE_TARGET_SECONDS * 1000:.0f} ms"
    limit = TARGETS.get(m.operation)
    return f"≤ {limit}×" if limit else ""


def table(runs: list[SizeRun]) -> str:
    head = ("operation", "size", "rows", "seconds", "floor s", "ratio", "peak MB", "target", "")
    lines = [head]
    for run in runs:
        for m in run.measurements:
            lines.append(
                (
                    m.operation,
                    m.size,
                    f"{m.rows:,}",
                    f"{m.seconds:.3f}",
                    "" if m.floor is None else f"{m.floor:.3f}",
                    "" if m.ratio is None else f"{m.ratio:.1f}×",
                    "" if m.peak_mb is None else f"{m.peak_mb:,.0f}",
                    target(m),
                    m.note,
                )
            )
    widths = [max(len(line[n]) for line in lines) for n in range(len(head))]
    rendered = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    rendered.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for run in runs:
        sums = ", ".join(f"{k}={v}" for k, v in run.checksums.items())
        rendered.append(f"checksum {run.size}: {sums}")
    return "\n".join(rendered)
