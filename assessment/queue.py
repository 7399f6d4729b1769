"""Queuing Celery jobs so that an unreachable broker never half-does anything (services).

Two ways, for two kinds of work:

- :func:`enqueue` for a button that starts a job (a computation, a file job): the job is
  sent now and :class:`QueueUnavailable` says, in the user's language, that it could not be;
  the caller then leaves nothing behind (no job row shown as queued) and shows the message.
- :func:`enqueue_on_commit` for what must follow a committed change (a closing's emails, a
  case's notification): the change already records what is owed in its own rows (the
  outbox: a warning's ``to_notify``, a sent case's empty ``notified_at``), written in the
  same transaction. The job is only the fast path; if the broker cannot be reached the
  failure is logged and a periodic sweep (``alerts.send_pending_emails``) does the work when
  the broker is back.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# What sending to an unreachable broker raises (kombu wraps the socket errors); OSError for
# a failure that escapes the wrapping (a DNS error, a reset connection).
BROKER_ERRORS = (BrokerError, OSError)


class QueueUnavailable(Exception):
    """The job could not be queued; ``str()`` is the message to show."""

    def __init__(self):
        super().__init__(
            _(
                "The task queue cannot be reached at the moment, so nothing was started. "
                "Please try again in a few minutes."
            )
        )


def enqueue(task, **kwargs) -> None:
    """Send ``task`` with ``kwargs`` now; :class:`QueueUnavailable` when the broker cannot be
    reached (after no retry: a user is waiting). Side effects: one message to the broker."""
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("cannot queue %s %s: %s", task.name, kwargs, exc)
        raise QueueUnavailable from exc


def enqueue_on_commit(task, **kwargs) -> None:
    """Send ``task`` once the current transaction commits; an unreachable broker is logged
    and left to the periodic sweep of the outbox the caller wrote (see the module)."""

    def send() -> None:
        try:
            task.apply_async(kwargs=kwargs, retry=False)
        except BROKER_ERRORS as exc:
            logger.warning("cannot queue %s %s, left to the sweep: %s", task.name, kwargs, exc)

    transaction.on_commit(send)
