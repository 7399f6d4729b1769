"""A broker that cannot be reached, for the tests of what every button and job does then."""

import contextlib

from config.celery import app

# Nothing listens on the discard port: a connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:9/0"


@contextlib.contextmanager
def broker_down():
    """Celery sends to an unreachable Redis (not eagerly) inside the block."""
    conf = app.conf
    saved = conf.task_always_eager, conf.broker_url
    _close_pool()
    conf.task_always_eager, conf.broker_url = False, UNREACHABLE
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _close_pool()


def _close_pool() -> None:
    """Forget the connections made to the broker so far: the next send connects anew."""
    # Not closed: kombu keeps one producer pool per broker URL and would hand it back closed.
    app._pool = None
    app.amqp._producer_pool = None
