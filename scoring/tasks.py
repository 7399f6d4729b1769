import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from assessment.models import Cycle
from assessment.services import CycleReadOnly
from scoring.services.results import ResultsRefused, compute_results

logger = logging.getLogger(__name__)


@shared_task(
    name="scoring.compute_results",
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
        return {"status": "refused", "problems": [str(p) for p in exc.problems]}
    logger.info("compute_results %s: %s counties", cycle.year, len(result.total))
    return {"status": "done", "counties": len(result.total)}
