"""The alerts jobs are reliable: acknowledged late, retried with backoff on transient
database and broker errors, quiet when their object is gone, idempotent, and audited on their
round or case when the lease sweep gives them up."""

import pytest
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from alerts.models import DiagnosisCase
from alerts.tasks import (
    close_round_task,
    notify_case_task,
    notify_round_task,
    remind_rectification_deadlines_task,
    run_round_calendar_task,
)
from assessment.jobs.leases import recover_lost
from assessment.models import Round
from tests.assessment.test_leases import given_up_events, lease
from tests.factories import RoundFactory

TASKS = [
    close_round_task,
    notify_round_task,
    notify_case_task,
    run_round_calendar_task,
    remind_rectification_deadlines_task,
]


@pytest.mark.parametrize("task", TASKS, ids=lambda t: t.name)
def test_task_is_acked_late_and_retried_with_backoff_on_transient_errors(task):
    assert task.acks_late is True
    assert set(task.autoretry_for) == {OperationalError, InterfaceError, BrokerError}
    assert (task.retry_backoff, task.retry_backoff_max, task.max_retries) == (True, 600, 5)


@pytest.mark.parametrize("task", [close_round_task, notify_round_task], ids=lambda t: t.name)
def test_task_for_a_round_that_is_gone_returns_quietly(db, task):
    assert task.delay(round_id=999999).get() == {"status": "gone"}


@pytest.mark.parametrize("task", [close_round_task, notify_round_task], ids=lambda t: t.name)
def test_a_round_job_given_up_leaves_the_round_as_it_was_and_is_audited_on_it(db, task, settings):
    """Lost with its worker on every attempt: the closing's one transaction left nothing,
    so the rounds page shows the round open, with its close button; the emails stay in the
    outbox. The give-up is audited on the round."""
    rnd = RoundFactory(status=Round.Status.OPEN)
    lost = lease(
        task.name, {"round_id": rnd.pk}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    rnd.refresh_from_db()
    assert (rnd.status, rnd.closed_at) == (Round.Status.OPEN, None)
    assert given_up_events(rnd) == [
        {
            "task": task.name, "kwargs": {"round_id": rnd.pk}, "task_id": lost.task_id,
            "attempts": settings.LEASE_MAX_ATTEMPTS, "worker": "gone",
        }
    ]  # fmt: skip


def test_a_case_notification_given_up_is_audited_on_the_case(county, settings):
    rnd = RoundFactory(status=Round.Status.CLOSED)
    case = DiagnosisCase.objects.create(
        cycle=rnd.cycle, round=rnd, county=county, status=DiagnosisCase.Status.SENT,
        recommendations="加强调度。",
    )  # fmt: skip
    lease(
        notify_case_task.name, {"case_id": case.pk}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    assert [e["kwargs"] for e in given_up_events(case)] == [{"case_id": case.pk}]
