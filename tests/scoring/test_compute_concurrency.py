"""Two computations of the same year at once: serialized per cycle, both succeed, one
consistent result, two audit entries (PostgreSQL: SQLite has no row locks)."""

import threading
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection, connections

from scoring.models import CountyResult, IndicatorResult, ItemScore
from scoring.results.services import compute_results
from tests.factories import CountyFactory
from tests.pages import build_manual_cycle

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks and serializes whole-database writes",
)


def _race(cycle, runs: int) -> list:
    """Start ``runs`` computations of ``cycle`` at the same moment; their outcomes."""
    start = threading.Barrier(runs)
    outcomes: list = []

    def run() -> None:
        try:
            start.wait()
            outcomes.append(len(compute_results(cycle=cycle).total))
        except Exception as exc:  # reported by the assertion below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_compute_results_twice_at_once_both_succeed_with_one_result():
    counties = [CountyFactory(code=f"{100 + n}") for n in range(1, 31)]
    cycle = build_manual_cycle(counties, 40, year=2024)

    outcomes = _race(cycle, 2)

    assert outcomes == [30, 30]
    assert list(
        CountyResult.objects.order_by("rank").values_list("county__code", "total", "rank")[:2]
    ) == [("101", Decimal("360.00"), 1), ("102", Decimal("356.00"), 2)]
    assert CountyResult.objects.count() == 30
    assert (ItemScore.objects.count(), IndicatorResult.objects.count()) == (1200, 1200)
    # build_manual_cycle computed once, then the two runs: one entry each.
    events = [
        e.changes_dict["event"][1]
        for e in LogEntry.objects.get_for_object(cycle).order_by("id")
        if "event" in e.changes_dict
    ]
    assert events == ["compute_results"] * 3
