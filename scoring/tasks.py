import logging
from datetime import date, datetime, time

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from assessment.jobs.leases import LeasedTask, on_given_up
from assessment.jobs.models import TaskLease
from assessment.models import Cycle, Round
from assessment.services import CycleReadOnly
from scoring.models import ResultsRefusal
from scoring.results.services import (
    ResultsRefused,
    compute_results,
    record_given_up,
    record_refusal,
)

logger = logging.getLogger(__name__)


@shared_task(
    name="scoring.compute_results",
    base=LeasedTask,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def compute_results_task(*, cycle_id: int) -> dict:
    """Compute the annual results of a cycle (the code ``manage.py compute_results`` runs)."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        logger.info("compute_results: cycle %s is gone", cycle_id)
        return {"status": "gone"}
    try:
        result = compute_results(cycle=cycle)
    except CycleReadOnly as exc:
        logger.warning("compute_results %s refused: the cycle is archived", cycle.year)
        return {"status": "read_only", "problems": [str(exc)]}
    except ResultsRefused as exc:
        logger.warning("compute_results %s refused: %s problems", cycle.year, len(exc.problems))
        record_refusal(cycle, exc.problems)  # for the results page
        return {
            "status": "refused",
            "problem_count": len(exc.problems),
            "problems": [str(p) for p in exc.problems[: ResultsRefusal.KEPT]],
        }
    logger.info("compute_results %s: %s counties", cycle.year, len(result.total))
    return {"status": "done", "counties": len(result.total)}


@on_given_up("scoring.compute_results")
def computation_given_up(lease: TaskLease) -> Cycle | None:
    """A computation lost with its worker on every attempt: the results page says so, in
    place of "computing", to every lead user (and the give-up is audited on the cycle)."""
    cycle = Cycle.objects.filter(pk=lease.kwargs.get("cycle_id")).first()
    if cycle is None:
        return None
    record_given_up(
        cycle=cycle, attempts=lease.attempt, worker=lease.worker, started_at=lease.started_at
    )
    return cycle


def due_cycle_ids(today: date) -> list[int]:
    """Cycles (not archived) whose annual round closes on or before ``today`` and whose
    results were not computed since that day began: the annual ranking the schedule owes."""
    due = []
    rounds = (
        Round.objects.filter(kind=Round.Kind.ANNUAL, closes_on__isnull=False, closes_on__lte=today)
        .exclude(cycle__status=Cycle.Status.ARCHIVED)  # read-only: never recomputed
        .select_related("cycle")
    )
    for rnd in rounds:
        since = timezone.make_aware(datetime.combine(rnd.closes_on, time.min))
        computed = rnd.cycle.results_computed_at
        if computed is None or computed < since:
            due.append(rnd.cycle_id)
    return sorted(set(due))


@shared_task(name="scoring.compute_due_results")
def compute_due_results_task() -> dict:
    """Run by beat every night: compute the annual results of every cycle whose annual round
    has reached its closing date (the date the cycle sets) and has none since then. A refused
    computation (inputs missing) is tried again the next night."""
    ids = due_cycle_ids(timezone.localdate())
    for cycle_id in ids:
        compute_results_task.delay(cycle_id=cycle_id)
    return {"queued": ids}
