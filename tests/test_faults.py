"""Faults with real workers (PostgreSQL and Redis, as CI runs): a worker killed mid-job for
each kind of job — the computation and the closing are run again by the lease sweep, a file
job fails with the button to start it again — and a worker killed right after the mail server
took an email, which is never sent twice while the other counties' emails still go out.

Each test holds a row lock so that the job waits mid-run (its lease taken) until the worker
is killed with SIGKILL; workers use a queue of their own."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from celery import Celery
from django.db import connection

from alerts.models import Warning
from alerts.services import close_round
from assessment.jobs.models import TaskLease
from assessment.jobs.services import restart_job
from assessment.models import Cycle, FileJob, Round
from tests.alerts.test_worker import BROKER, _database_url, _emails
from tests.alerts.world import EXPECTED_REASONS, build_april
from tests.pages import build_cycle

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
WAIT = 60
STALE = 4  # seconds without a heartbeat before the sweep calls a worker lost


@pytest.fixture
def workers(tmp_path):
    """Start workers on a queue of their own; a client app sends to it. Stops them all."""
    if connection.vendor != "postgresql":
        pytest.skip("workers killed mid-job need PostgreSQL (as CI runs)")
    queue = f"appraisal-faults-{uuid.uuid4().hex}"
    mail = tmp_path / "mail"
    mail.mkdir()
    started = []

    def start(**extra) -> subprocess.Popen:
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _database_url(), "DB_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER,
            "CELERY_TASK_DEFAULT_QUEUE": queue, "EMAIL_FILE_PATH": str(mail),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "LEASE_HEARTBEAT_SECONDS": "1", "LEASE_STALE_SECONDS": str(STALE),
            "PYTHONWARNINGS": "ignore", **extra,
        }  # fmt: skip
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
             "--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip",
             "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started.append(proc)
        return proc

    client = Celery("appraisal-faults", broker=BROKER, backend=BROKER, set_as_current=False)
    client.conf.task_default_queue = queue
    try:
        yield start, client, queue, mail
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        client.close()


class RowLock:
    """A row locked FOR UPDATE by another connection, until released."""

    def __init__(self, table: str, pk: int):
        db = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
            host=db["HOST"] or "localhost", port=db["PORT"] or 5432,
        )  # fmt: skip
        self.conn.cursor().execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [pk])

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def kill_mid_job(start, client, queue, task: str, lock: RowLock, **kwargs) -> None:
    """Run ``task`` on a worker, kill the worker (SIGKILL) once the job holds its lease and
    waits on the lock, then release the lock and let its lease go stale."""
    worker = start()
    client.send_task(task, kwargs=kwargs, queue=queue)
    wait_for(lambda: TaskLease.objects.filter(task_name=task).exists(), f"{task} to start")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    lock.release()
    time.sleep(STALE + 1)


def sweep(client, queue) -> dict:
    return client.send_task("assessment.recover_lost_tasks", queue=queue).get(timeout=WAIT)


def test_a_computation_killed_mid_job_is_run_again(workers, county, other_county):
    start, client, queue, _mail = workers
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], compute=False)
    kill_mid_job(start, client, queue, "scoring.compute_results",
                 RowLock("assessment_cycle", cycle.pk), cycle_id=cycle.pk)  # fmt: skip
    assert Cycle.objects.get().results_computed_at is None
    start()
    assert sweep(client, queue) == {"resent": 1, "failed": 0, "given_up": 0}
    wait_for(lambda: Cycle.objects.get().results_computed_at is not None, "the re-run")
    wait_for(lambda: not TaskLease.objects.exists(), "the lease to go")


def test_a_closing_killed_mid_job_is_run_again_and_each_county_emailed_once(workers):
    start, client, queue, mail = workers
    rnd = build_april()
    kill_mid_job(start, client, queue, "alerts.close_round",
                 RowLock("assessment_round", rnd.pk), round_id=rnd.pk)  # fmt: skip
    assert (Round.objects.get().status, Warning.objects.count()) == ("open", 0)
    start()
    assert sweep(client, queue)["resent"] == 1
    wait_for(lambda: Round.objects.get().status == "closed", "the re-run")
    wait_for(lambda: not Warning.objects.filter(notified_at=None).exists(), "the emails")
    current = Warning.objects.filter(replaced_at=None).select_related("county", "indicator")
    assert {(w.county.code, w.indicator.code): w.reasons for w in current} == EXPECTED_REASONS
    assert len(_emails(mail)) == 4


def test_a_file_job_killed_mid_job_fails_and_starts_again(workers, lead, county):
    start, client, queue, _mail = workers
    build_cycle([county], [(90, 80)])
    job = FileJob.objects.create(kind="export_workbook", year=2024, created_by=lead, language="en")
    kill_mid_job(start, client, queue, "assessment.run_file_job",
                 RowLock("assessment_filejob", job.pk), job_id=job.pk)  # fmt: skip
    start()
    assert sweep(client, queue) == {"resent": 0, "failed": 1, "given_up": 0}
    job.refresh_from_db()
    assert (job.status, job.lost, job.problems) == (
        "failed", True, ["The worker running this job stopped. Start it again."]
    )  # fmt: skip
    restart_job(job=job)  # the page's button (run here, eagerly)
    job.refresh_from_db()
    assert (job.status, job.lost, job.result.name.endswith(".xlsx")) == ("done", False, True)


def test_a_worker_killed_after_the_mail_server_took_an_email_never_sends_it_twice(
    workers, tmp_path
):
    start, client, queue, mail = workers
    rnd = build_april()
    close_round(round=rnd, notify=False)
    Warning.objects.update(to_notify=True)  # as a closing that notifies leaves them
    marker = tmp_path / "sent-to-103"
    worker = start(
        EMAIL_BACKEND="tests.mailbackend.BlockingFileBackend",
        MAIL_BLOCK_ON="county-103@example.org", MAIL_BLOCK_MARKER=str(marker),
    )  # fmt: skip
    client.send_task("alerts.notify_round", kwargs={"round_id": rnd.pk}, queue=queue)
    wait_for(marker.exists, "the email to county 103")
    worker.send_signal(signal.SIGKILL)  # after the mail server took it, before the reply
    worker.wait(timeout=10)
    time.sleep(STALE + 1)
    start()
    assert sweep(client, queue)["resent"] == 1  # notify_round again: nothing left to claim
    outcome = client.send_task("alerts.send_pending_emails", queue=queue).get(timeout=WAIT)
    wait_for(lambda: not TaskLease.objects.exists(), "the re-sent job to end")
    recipients = sorted(
        next(line for line in e.splitlines() if line.startswith("To: ")) for e in _emails(mail)
    )
    # At most once per warning: 103's email is not sent again; at least once overall: 104 and
    # 105, left when the worker died, went out with the sweep.
    assert recipients == [f"To: county-{c}@example.org" for c in ("102", "103", "104", "105")]
    assert outcome == {"counties": 0, "emails": 0, "case_emails": 0}  # the re-run sent them
    assert not Warning.objects.filter(notified_at=None).exists()
