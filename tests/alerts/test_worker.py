"""A real Celery worker against Redis and the test database closes a round through the
queue: exactly the spec's warnings, each county emailed once; a second run changes nothing
and sends nothing."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from alerts.models import Warning
from assessment.models import Round
from tests.alerts.world import EXPECTED_REASONS, build_april

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
WAIT = 60


def _database_url() -> str:
    """The URL of the test database, for the worker (PostgreSQL, or a SQLite file)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.vendor != "sqlite" or "memory" in name:
        pytest.skip("the worker needs a database it can open: run on PostgreSQL (as CI does)")
    return f"sqlite:///{name}"


@pytest.fixture
def worker(tmp_path):
    """A worker on a queue of its own (others share this Redis), and a client app for it."""
    queue = f"appraisal-test-{uuid.uuid4().hex}"
    mail = tmp_path / "mail"
    mail.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "PYTHONWARNINGS": "ignore",
    }
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
            "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    client = Celery("appraisal-test", broker=BROKER, backend=BROKER, set_as_current=False)
    client.conf.task_default_queue = queue
    try:
        yield client, queue, mail
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        client.close()
        print(output)  # shown when the test fails


def _run(client, queue, name, **kwargs):
    return client.send_task(name, kwargs=kwargs, queue=queue).get(timeout=WAIT)


def _current(rnd):
    return {
        (w.county.code, w.indicator.code): (w.pk, w.reasons)
        for w in Warning.objects.filter(round=rnd, replaced_at__isnull=True).select_related(
            "county", "indicator"
        )
    }


SEPARATOR = "\n" + "-" * 79 + "\n"


def _emails(mail: Path) -> list[str]:
    """Every message the file backend wrote. It names a file by the second and the id() of
    its connection, so two sends in one second can share a file: split on its separator."""
    messages = []
    for path in mail.iterdir():
        messages += [m.strip() for m in path.read_text().split(SEPARATOR) if m.strip()]
    return sorted(messages)


def _wait_notified(rnd):
    deadline = time.monotonic() + WAIT
    while Warning.objects.filter(round=rnd, notified_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the notification job did not run"
        time.sleep(0.2)


def test_worker_closes_a_round_through_the_queue_once(worker):
    client, queue, mail = worker
    rnd = build_april()

    outcome = _run(client, queue, "alerts.close_round", round_id=rnd.pk)
    _wait_notified(rnd)

    rnd.refresh_from_db()
    first = _current(rnd)
    assert outcome == {"status": "done", "warnings": 9, "flagged": 2}
    assert rnd.status == Round.Status.CLOSED
    assert {key: reasons for key, (_pk, reasons) in first.items()} == EXPECTED_REASONS
    emails = _emails(mail)
    # Counties 102–105 have warnings; 101 has none. One email each, to its own address.
    assert len(emails) == 4
    recipients = sorted(
        next(line for line in e.splitlines() if line.startswith("To: ")) for e in emails
    )
    assert recipients == [f"To: county-{c}@example.org" for c in ("102", "103", "104", "105")]

    again = _run(client, queue, "alerts.close_round", round_id=rnd.pk)
    # The worker runs one task at a time, in order: the notification the second closing
    # queued has run once this one answers.
    notified = _run(client, queue, "alerts.notify_round", round_id=rnd.pk)

    assert again == outcome
    assert notified == {"status": "done", "counties": 0, "emails": 0}
    assert _current(rnd) == first
    assert Warning.objects.filter(round=rnd).count() == 9
    assert _emails(mail) == emails
