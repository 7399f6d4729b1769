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
    "page feedback",
    "page explanation",
    "chart profile",
    "page entry grid",
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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_bench_times_the_celery_jobs_through_a_real_worker_with_the_same_checksums(tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a worker beside the test database needs PostgreSQL (as CI runs)")
    run = run_size("S", workdir=tmp_path, pages=False, worker=True, imports=False, exports=False)

    by_name = {m.operation: m for m in run.measurements}
    assert list(by_name) == [
        "compute_results",
        "close_round april",
        "compute_results (worker)",
        "close_round april (worker)",
    ]
    for name in ("compute_results (worker)", "close_round april (worker)"):
        assert by_name[name].seconds > 0 and by_name[name].floor > 0
        assert by_name[name].peak_mb > 0
        assert "same checksums" in by_name[name].note
    assert by_name["compute_results (worker)"].rows == by_name["compute_results"].rows
    assert by_name["close_round april (worker)"].note.startswith(by_name["close_round april"].note)
    assert run.checksums == CHECKSUMS


@pytest.mark.django_db
def test_a_worker_whose_results_differ_fails_the_run(monkeypatch, tmp_path):
    """The checksum comparison is real: results that differ stop the run."""
    from bench import runner

    cycle_run = run_size("S", workdir=tmp_path, pages=False, imports=False, exports=False)
    assert [m.operation for m in cycle_run.measurements] == ["compute_results", "close_round april"]
    assert not list(tmp_path.iterdir())  # no workbook written without the import

    class FakeWorker:
        pid = 0

        def run(self, name, **kwargs):
            return {"status": "done"}, 0.1, None

    class Started:
        def __enter__(self):
            return FakeWorker()

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(runner, "celery_worker", Started)
    from assessment.models import Cycle, Round

    cycle = Cycle.objects.get(year=runner.YEARS["S"][0])
    april = Round.objects.get(cycle=cycle, code="april")
    # The fake worker computes nothing: the results were forgotten, so they differ.
    with pytest.raises(runner.ChecksumMismatch):
        runner.measure_worker("S", cycle, april, cycle_run.checksums)
