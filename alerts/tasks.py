import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from alerts.services import close_round
from assessment.models import Round
from assessment.services import CycleReadOnly

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
    try:
        summary = close_round(round=rnd)
    except CycleReadOnly as exc:
        logger.warning("close_round %s %s refused: the cycle is archived", rnd.cycle.year, rnd.code)
        return {"status": "read_only", "problems": [str(exc)]}
    logger.info(
        "close_round %s %s: %s warnings (%s new, %s replaced), %s flagged",
        rnd.cycle.year, rnd.code, summary.warnings, summary.created, summary.replaced,
        summary.flagged,
    )  # fmt: skip
    return {"status": "done", "warnings": summary.warnings, "flagged": summary.flagged}
