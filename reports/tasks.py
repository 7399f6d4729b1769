"""The reports jobs: charts and explanations prepared ahead (:mod:`reports.ahead`)."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from assessment.models import Cycle
from reports.ahead import prepare_ahead

logger = logging.getLogger(__name__)


@shared_task(
    name="reports.prepare_ahead",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def prepare_ahead_task(*, cycle_id: int) -> dict:
    """Draw the charts and prepare the explanations of a cycle whose results changed."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        logger.info("prepare_ahead: cycle %s is gone", cycle_id)
        return {"status": "gone"}
    summary = prepare_ahead(cycle=cycle)
    logger.info(
        "prepare_ahead %s: %s charts drawn, %s explanations prepared",
        cycle.year, summary.charts, summary.explanations,
    )  # fmt: skip
    return {"status": "done", "charts": summary.charts, "explanations": summary.explanations}
