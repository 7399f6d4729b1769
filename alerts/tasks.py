"""The alerts jobs: closing a round, the daily round calendar, the county notifications, the
rectification deadline reminders and the units' reminders.

Every job is idempotent (a second run finds nothing left to do), acknowledged late (settings:
``CELERY_TASK_ACKS_LATE``) so that a worker lost mid-job leaves it for another, retried with
an exponential backoff on transient database and broker errors, and logs what it did. A job
lost with its worker on its last attempt is given up by the lease sweep, which audits it on
the round or the case it was about (the handlers at the end of this module) and logs it.
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from alerts.delivery import notify_round, send_pending
from alerts.diagnosis import notify_case, send_pending_cases
from alerts.models import DiagnosisCase
from alerts.rectifications import remind_deadlines
from alerts.reminders import remind_due, remind_units
from alerts.rounds import run_calendar
from alerts.services import close_round
from assessment.jobs.leases import LeasedTask, on_given_up
from assessment.jobs.models import TaskLease
from assessment.models import Round
from assessment.services import CycleReadOnly

logger = logging.getLogger(__name__)

# Transient failures: the database went away or timed out, the broker could not be reached.
TRANSIENT = (OperationalError, InterfaceError, BrokerError)
RELIABLE = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="alerts.close_round", base=LeasedTask, **RELIABLE)
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


@shared_task(name="alerts.notify_round", base=LeasedTask, **RELIABLE)
def notify_round_task(*, round_id: int) -> dict:
    """Email each county's users its new warnings of the round (each warning once)."""
    rnd = Round.objects.filter(pk=round_id).select_related("cycle").first()
    if rnd is None:
        logger.info("notify_round: round %s is gone", round_id)
        return {"status": "gone"}
    summary = notify_round(round=rnd)
    logger.info(
        "notify_round %s %s: %s counties notified, %s emails",
        rnd.cycle.year, rnd.code, summary.counties, summary.emails,
    )  # fmt: skip
    return {"status": "done", "counties": summary.counties, "emails": summary.emails}


@shared_task(name="alerts.notify_case", base=LeasedTask, **RELIABLE)
def notify_case_task(*, case_id: int) -> dict:
    """Email a county that the recommendations of its diagnosis case were sent (once)."""
    emails = notify_case(case_id=case_id)
    logger.info("notify_case %s: %s emails", case_id, emails)
    return {"emails": emails}


@shared_task(name="alerts.run_round_calendar", **RELIABLE)
def run_round_calendar_task() -> dict:
    """The daily job: open and close the rounds whose dates have come."""
    run = run_calendar()
    logger.info("round calendar: opened %s, closed %s", run.opened or "none", run.closed or "none")
    outcome = {"opened": run.opened, "closed": run.closed}
    if run.failed:
        outcome["failed"] = run.failed
    return outcome


@shared_task(name="alerts.remind_rectification_deadlines", **RELIABLE)
def remind_rectification_deadlines_task() -> dict:
    """The daily job: remind the counties of rectification deadlines coming up (once each)."""
    reminded = remind_deadlines()
    logger.info("rectification reminders: %s sent", reminded)
    return {"reminded": reminded}


@shared_task(name="alerts.send_pending_emails", base=LeasedTask, **RELIABLE)
def send_pending_emails_task() -> dict:
    """The frequent sweep of the outbox: the warnings a closing marked to be emailed and the
    sent cases not notified yet, whose job could not be queued or whose email failed."""
    warnings = send_pending()
    cases = send_pending_cases()
    if warnings.counties or cases:
        logger.info(
            "pending emails: %s counties' warnings (%s emails), %s case emails",
            warnings.counties, warnings.emails, cases,
        )  # fmt: skip
    return {"counties": warnings.counties, "emails": warnings.emails, "case_emails": cases}


@shared_task(name="alerts.remind_units", **RELIABLE)
def remind_units_task(*, round_id: int, kind: str) -> dict:
    """Email the units what they owe in a round (kind due or late), once per entry."""
    rnd = Round.objects.filter(pk=round_id).select_related("cycle").first()
    if rnd is None:
        logger.info("remind_units: round %s is gone", round_id)
        return {"status": "gone"}
    emails = remind_units(round=rnd, kind=kind)
    logger.info("remind_units %s %s %s: %s emails", rnd.cycle.year, rnd.code, kind, emails)
    return {"status": "done", "emails": emails}


@shared_task(name="alerts.remind_units_due", **RELIABLE)
def remind_units_due_task() -> dict:
    """The daily job: remind the units of entries not submitted in rounds closing soon, and of
    data not delivered in rounds just closed."""
    emails = remind_due()
    logger.info("unit reminders: %s emails", emails)
    return {"emails": emails}


# Given up (lost with their worker on every attempt): what the lead department sees then.
# A closing is one transaction, so the round stays as it was — still open on the rounds page,
# with its close button; the calendar closes it on the next night if its date has come and it
# never closed. The emails stay in the outbox (warnings ``to_notify``, cases sent and not
# notified), which send_pending_emails sweeps every minute. The sweep audits the give-up on
# the round or the case the handler returns, and logs it as an error.


@on_given_up("alerts.close_round")
@on_given_up("alerts.notify_round")
def round_job_given_up(lease: TaskLease) -> Round | None:
    return Round.objects.filter(pk=lease.kwargs.get("round_id")).first()


@on_given_up("alerts.notify_case")
def case_job_given_up(lease: TaskLease) -> DiagnosisCase | None:
    return DiagnosisCase.objects.filter(pk=lease.kwargs.get("case_id")).first()
