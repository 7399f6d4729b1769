"""The benchmark's smoke run: the runner at size S on the test database (not timed)."""

import pytest

from bench.runner import run_size, table

OPERATIONS = [
    "import_workbook",
    "compute_results",
    "close_round april",
    "export_results",
    "export_cycle",
    "page results",
    "page statistics",
]
# The checksums of the synthetic S cycle. A change means the results (or the generator)
# changed: every total, rank, grade and figure behind them must stay identical to the cent.
CHECKSUMS = {
    "results": "2946417d2d67ba87",
    "indicators": "8dd4c17a78029b23",
    "items": "63cc3a7b0d46754a",
    "stats": "420f3ab83de76964",
    "warnings": "1d0283219b471a53",
}


@pytest.mark.django_db
def test_bench_smoke_run_at_s_times_every_operation_with_stable_checksums(tmp_path):
    run = run_size("S", workdir=tmp_path)

    assert [m.operation for m in run.measurements] == OPERATIONS
    assert all(m.seconds > 0 and m.floor > 0 and m.rows > 0 for m in run.measurements)
    assert run.checksums == CHECKSUMS
    printed = table([run])
    assert all(f"| {operation} " in printed for operation in OPERATIONS)
    assert "checksum S: results=" + CHECKSUMS["results"] in printed
