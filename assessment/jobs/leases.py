"""Leases: a running Celery task's heartbeat, so that a job whose worker died is noticed
within minutes and re-run or failed, never shown in progress for hours.

A task declared with ``base=LeasedTask`` writes a :class:`~assessment.jobs.models.TaskLease`
when a worker starts it, refreshes its ``heartbeat_at`` from a thread every
``LEASE_HEARTBEAT_SECONDS`` while it runs, and deletes it when it ends (however it ends, as
long as the process lives). A worker killed mid-task (``kill -9``, the machine lost, the
out-of-memory killer) leaves the lease behind with a heartbeat that stops.

The sweep :func:`recover_lost` (beat, every minute) takes each lease whose heartbeat is older
than ``LEASE_STALE_SECONDS``: a task registered with :func:`on_lost` gets its handler (a file
job is marked failed with a message and a button to start it again); any other task is
idempotent (a computation, a closing, the emails' claims) and is sent again, at most
``LEASE_MAX_ATTEMPTS`` times in all. Lost on its last attempt, it is given up: never sent
again, it is audited (one event), logged as an error and handed to the handler its app
registered with :func:`on_given_up`, which records the failure where the task's users look
(a computation: on the results page, in place of "computing").

Eager runs (tests, no broker) take no lease: the caller's process is the worker.
"""

import logging
import socket
import threading
from collections.abc import Callable

from celery import Task, current_app
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.db.models import Model
from django.utils import timezone

from assessment.audit import record_event
from assessment.jobs.models import TaskLease
from assessment.queue import BROKER_ERRORS

logger = logging.getLogger(__name__)

_LOST: dict[str, Callable[[dict], None]] = {}
_GIVEN_UP: dict[str, Callable[[TaskLease], Model | None]] = {}

# Where beat's heartbeat job writes the time it ran (read by /health/, config/health.py).
BEAT_HEARTBEAT_KEY = "beat-heartbeat"


def record_beat() -> str:
    """Write beat's heartbeat: the job beat sends every ``BEAT_HEARTBEAT_SECONDS`` runs this.
    Side effects: one cache key (shared through Redis when ``REDIS_URL`` is set)."""
    now = timezone.now().isoformat()
    cache.set(BEAT_HEARTBEAT_KEY, now, timeout=None)
    return now


def on_lost(task_name: str):
    """Register what to do when a worker running ``task_name`` is lost: a function of the
    task's keyword arguments (instead of sending the task again)."""

    def register(handler: Callable[[dict], None]) -> Callable[[dict], None]:
        _LOST[task_name] = handler
        return handler

    return register


def on_given_up(task_name: str):
    """Register what to do when the sweep gives up ``task_name``: lost with its worker on its
    last attempt (``LEASE_MAX_ATTEMPTS``), it is never sent again. The handler is a function
    of the lease (the task's ``kwargs``; ``attempt``, the number of times it was lost;
    ``worker``, the last one) that records the failure where the task's users will see it,
    and returns the object the task was about, which the give-up's audit event is written
    about (None: about the lease). It runs in the transaction of that event: if it raises,
    nothing is kept and the lease waits for the next sweep. Apps register from their
    ``AppConfig.ready`` (a higher app's task, named by the string the frame stores)."""

    def register(handler: Callable[[TaskLease], Model | None]) -> Callable:
        _GIVEN_UP[task_name] = handler
        return handler

    return register


class LeasedTask(Task):
    """A Celery task that holds a lease with a heartbeat while a worker runs it."""

    def __call__(self, *args, **kwargs):
        request = self.request
        if request.called_directly or request.is_eager:
            return super().__call__(*args, **kwargs)
        if TaskLease.objects.filter(task_id=request.id).exists():
            # The same message again while its lease stands: its worker process died mid-run
            # (the out-of-memory killer, a pool child killed) and Celery gave the message back
            # (reject on worker lost). The sweep judges the lease — sent again as one more
            # attempt, failed or given up — so a task that kills its worker every time is
            # given up after LEASE_MAX_ATTEMPTS instead of being redelivered for ever.
            logger.warning(
                "task %s %s redelivered while its lease stands: left to the sweep",
                self.name, request.id,
            )  # fmt: skip
            return None
        headers = request.headers if isinstance(request.headers, dict) else {}
        attempt = int(headers.get("lease_attempt") or getattr(request, "lease_attempt", 1) or 1)
        lease = TaskLease.objects.create(
            task_id=request.id,
            task_name=self.name,
            kwargs=kwargs,
            attempt=attempt,
            worker=f"{socket.gethostname()} {request.hostname or ''}".strip(),
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        beating = _Heartbeat(lease.pk)
        beating.start()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            beating.stop()
            TaskLease.objects.filter(pk=lease.pk).delete()


class _Heartbeat(threading.Thread):
    """Refreshes one lease's heartbeat until stopped (its own database connection)."""

    def __init__(self, lease_id: int):
        super().__init__(name=f"lease-{lease_id}", daemon=True)
        self.lease_id = lease_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.LEASE_HEARTBEAT_SECONDS):
                close_old_connections()
                TaskLease.objects.filter(pk=self.lease_id).update(heartbeat_at=timezone.now())
        except Exception:  # a heartbeat lost is a lease the sweep will judge; never crash
            logger.exception("lease %s: heartbeat failed", self.lease_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=settings.LEASE_HEARTBEAT_SECONDS + 5)


def recover_lost(*, now=None) -> dict:
    """Handle every lease whose heartbeat is older than ``LEASE_STALE_SECONDS``: its
    registered handler, or the task sent again while attempts remain, else given up
    (:func:`on_given_up`).

    Side effects: deletes each stale lease (one conditional delete: two sweeps never both
    handle it), runs handlers, sends tasks, audits each give-up. Returns the counts."""
    now = now or timezone.now()
    stale = TaskLease.objects.filter(
        heartbeat_at__lt=now - timezone.timedelta(seconds=settings.LEASE_STALE_SECONDS)
    )
    outcome = {"resent": 0, "failed": 0, "given_up": 0}
    for lease in list(stale):
        handler = _LOST.get(lease.task_name)
        if handler is None and lease.attempt >= settings.LEASE_MAX_ATTEMPTS:
            if _give_up(lease):
                outcome["given_up"] += 1
            continue
        if not _take(lease):
            continue  # another sweep took it, or its heartbeat came back
        if handler is not None:
            handler(lease.kwargs)
            outcome["failed"] += 1
        else:
            try:
                current_app.tasks[lease.task_name].apply_async(
                    kwargs=lease.kwargs, headers={"lease_attempt": lease.attempt + 1}, retry=False
                )
            except BROKER_ERRORS:
                lease.save(force_insert=True)  # kept for the next sweep
                raise
            outcome["resent"] += 1
        logger.warning(
            "task %s %s lost with its worker %s (attempt %s): %s",
            lease.task_name, lease.kwargs, lease.worker, lease.attempt,
            "handled" if handler else "sent again",
        )  # fmt: skip
    return outcome


def _take(lease: TaskLease) -> bool:
    """Delete ``lease`` if it is still the stale one this sweep read (False: another sweep
    took it, or its heartbeat came back)."""
    return bool(TaskLease.objects.filter(pk=lease.pk, heartbeat_at=lease.heartbeat_at).delete()[0])


def _give_up(lease: TaskLease) -> bool:
    """Give up a task lost on its last attempt: take its lease, run the handler registered
    for it and audit the give-up, in one transaction. False when another sweep took it, or
    when the handler failed (logged; the lease stays for the next sweep to try again)."""
    handler = _GIVEN_UP.get(lease.task_name)
    try:
        with transaction.atomic():
            if not _take(lease):
                return False
            about = handler(lease) if handler is not None else None
            record_event(
                about if about is not None else lease,
                summary="task_given_up",
                data={
                    "task": lease.task_name, "kwargs": lease.kwargs, "task_id": lease.task_id,
                    "attempts": lease.attempt, "worker": lease.worker,
                },
            )  # fmt: skip
    except Exception:  # one failing handler must not stop the sweep of the other leases
        logger.exception(
            "task %s %s: recording its give-up failed; the lease is kept for the next sweep",
            lease.task_name, lease.kwargs,
        )  # fmt: skip
        return False
    logger.error(
        "task %s %s lost with its worker %s %s times: given up%s",
        lease.task_name, lease.kwargs, lease.worker, lease.attempt,
        "" if handler else " (no handler registered: only this log and the audit entry)",
    )  # fmt: skip
    return True
