"""The alerts jobs are reliable: acknowledged late, retried with backoff on transient
database and broker errors, quiet when their object is gone, and idempotent."""

import pytest
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from alerts.tasks import (
    close_round_task,
    notify_case_task,
    notify_round_task,
    remind_rectification_deadlines_task,
    run_round_calendar_task,
)

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
