"""A broker that cannot be reached, for the tests of what every button and job does then."""

import contextlib
import os

from config.celery import app

# Nothing listens on the discard port: a connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:9/0"


@contextlib.contextmanager
def broker_down():
    """Celery sends to an unreachable Redis (not eagerly) inside the block."""
    conf = app.conf
    saved = conf.task_always_eager, conf.broker_url
    # Celery reads CELERY_BROKER_URL from the environment before its settings (CI sets it).
    saved_env = os.environ.get("CELERY_BROKER_URL")
    _close_pool()
    conf.task_always_eager, conf.broker_url = False, UNREACHABLE
    os.environ["CELERY_BROKER_URL"] = UNREACHABLE
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        _close_pool()


def _close_pool() -> None:
    """Forget the connections made to the broker so far: the next send connects anew."""
    # Not closed: kombu keeps one producer pool per broker URL and would hand it back closed.
    app._pool = None
    app.amqp._producer_pool = None
