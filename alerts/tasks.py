import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from alerts.services import close_round
from assessment.models import Round

logger = logging.getLogger(__name__)


@shared_task(
    name="alerts.close_round",
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def close_round_task(*, round_id: int) -> dict:
    """Close a pre-assessment round and issue its warnings (as ``manage.py close_round``)."""
    rnd = Round.objects.filter(pk=round_id).select_related("cycle").first()
    if rnd is None:
        logger.info("close_round: round %s is gone", round_id)
        return {"status": "gone"}
    summary = close_round(round=rnd)
    logger.info(
        "close_round %s %s: %s warnings (%s new, %s replaced), %s flagged",
        rnd.cycle.year, rnd.code, summary.warnings, summary.created, summary.replaced,
        summary.flagged,
    )  # fmt: skip
    return {"status": "done", "warnings": summary.warnings, "flagged": summary.flagged}
