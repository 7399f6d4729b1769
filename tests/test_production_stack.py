"""The production stack, exercised: two gunicorn instances, two Celery workers and beat,
against PostgreSQL and Redis on this machine (DEBUG off, static files collected). A lead user
signs in on one instance and is signed in on the other (sessions in the database); a
computation started from the page and a round closing sent to the queue run on the workers
and their results show on the pages; /health/ reports every service healthy once beat has
ticked; a worker killed mid-computation is noticed by the lease sweep and the other worker
finishes the job; everything is stopped at the end.

Skipped unless the test database is PostgreSQL (CI runs it: .ci/run)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests
from celery import Celery
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from alerts.models import Warning
from assessment.jobs.models import TaskLease
from assessment.models import Cycle, Round, User
from tests.alerts.test_worker import BROKER, _database_url
from tests.alerts.world import build_april
from tests.pages import build_cycle

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
WAIT = 60
PASSWORD = "smoke-test-1234"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


@pytest.fixture
def stack(tmp_path):
    """gunicorn ×2, worker ×2 (w1, w2) and beat, sharing the test database, a Redis database
    for the cache, the broker on a queue of their own, and one MEDIA_ROOT."""
    if connection.vendor != "postgresql":
        pytest.skip("the production stack runs on PostgreSQL (as CI does)")
    queue = f"appraisal-stack-{uuid.uuid4().hex}"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
        "SECRET_KEY": "smoke-" + uuid.uuid4().hex, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0", "BEHIND_TLS_PROXY": "0",
        "DATABASE_URL": _database_url(), "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "REDIS_URL": os.environ.get("REDIS_URL") or BROKER, "CACHE_KEY_PREFIX": queue,
        "MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BEAT_HEARTBEAT_SECONDS": "2", "LEASE_SWEEP_SECONDS": "2", "OUTBOX_SWEEP_SECONDS": "2",
        "LEASE_HEARTBEAT_SECONDS": "1", "LEASE_STALE_SECONDS": "4", "PYTHONWARNINGS": "ignore",
    }  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    procs: dict[str, subprocess.Popen] = {}
    ports = [free_port(), free_port()]
    logs = tmp_path / "logs"
    logs.mkdir()

    def run(name: str, *args: str) -> None:
        with (logs / f"{name}.log").open("w") as out:  # the child keeps its own copy
            procs[name] = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    for n, port in enumerate(ports, 1):
        run(f"web{n}", sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60")  # fmt: skip
    for name in ("w1", "w2"):
        run(name, sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
            "-n", f"{name}-{queue}@%h", "--pool=solo", "--without-mingle",
            "--without-gossip", "--loglevel=INFO")  # fmt: skip
    run("beat", sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
        "-s", str(tmp_path / "beat-schedule"))  # fmt: skip
    client = Celery("appraisal-stack", broker=BROKER, backend=BROKER, set_as_current=False)
    client.conf.task_default_queue = queue
    try:
        yield [f"http://127.0.0.1:{p}" for p in ports], procs, client, queue
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        client.close()
        for log in sorted(logs.iterdir()):  # shown when the test fails
            print(f"==== {log.name}\n{log.read_text()[-3000:]}")


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_the_production_stack_serves_computes_closes_and_survives_a_killed_worker(
    stack, county, other_county
):
    (web1, web2), procs, client, queue = stack
    lead = User.objects.create(username="chief", role=User.Role.LEAD, is_staff=True)
    User.objects.filter(pk=lead.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, uuid.uuid4().hex[:12])
    )
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], compute=False)
    rnd = build_april(year=2025)
    wait_for(lambda: requests.get(f"{web1}/accounts/login/").ok, "web1")
    wait_for(lambda: requests.get(f"{web2}/accounts/login/").ok, "web2")

    # Signed in on one instance, signed in on the other: the sessions are shared.
    browser = requests.Session()
    token = csrf(browser, f"{web1}/accounts/login/")
    signed_in = browser.post(
        f"{web1}/accounts/login/",
        data={"username": "chief", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{web1}/accounts/login/"},
    )
    assert signed_in.url == f"{web1}/"
    assert browser.get(f"{web2}/", allow_redirects=False).status_code == 200

    # Every service healthy once beat has ticked and a worker ran its heartbeat.
    wait_for(lambda: requests.get(f"{web1}/health/").status_code == 200, "health", 30)
    checks = requests.get(f"{web2}/health/").json()
    assert sorted(name.split("(")[0] for name in checks) == [
        "Beat", "Broker", "Cache", "Database", "Ping"
    ]  # fmt: skip

    # The computation, from the page, runs on a worker; its results show on the other one.
    results = f"{web2}/cycles/2024/results/"
    token = csrf(browser, results)
    browser.post(f"{web2}/cycles/2024/results/compute/", data={"csrfmiddlewaretoken": token},
                 headers={"Referer": results})  # fmt: skip
    wait_for(lambda: Cycle.objects.get(pk=cycle.pk).results_computed_at, "the computation")
    assert "86.00" in browser.get(f"{web1}/cycles/2024/results/").text

    # The round closing through the queue, its warnings on the round's page.
    outcome = client.send_task("alerts.close_round", kwargs={"round_id": rnd.pk}).get(WAIT)
    assert outcome == {"status": "done", "warnings": 9, "flagged": 2}
    summary = browser.get(f"{web1}/cycles/2025/rounds/april/")
    assert summary.status_code == 200 and Round.objects.get(pk=rnd.pk).status == "closed"
    wait_for(lambda: not Warning.objects.filter(notified_at=None).exists(), "the emails")

    # A worker killed mid-computation: the lease sweep (beat) re-sends it to the other one.
    first = Cycle.objects.get(pk=cycle.pk).results_computed_at
    lock = RowLock(cycle.pk)
    client.send_task("scoring.compute_results", kwargs={"cycle_id": cycle.pk})
    wait_for(lambda: TaskLease.objects.filter(task_name="scoring.compute_results").exists(),
             "the computation to start")  # fmt: skip
    running = TaskLease.objects.get(task_name="scoring.compute_results").worker
    victim = "w1" if f"w1-{queue}@" in running else "w2"
    procs[victim].send_signal(signal.SIGKILL)
    procs[victim].wait(timeout=10)
    lock.release()
    wait_for(lambda: Cycle.objects.get(pk=cycle.pk).results_computed_at != first,
             "the re-run on the other worker")  # fmt: skip
    wait_for(lambda: not TaskLease.objects.exists(), "the lease to go")


class RowLock:
    def __init__(self, pk: int):
        db = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
            host=db["HOST"] or "localhost", port=db["PORT"] or 5432,
        )  # fmt: skip
        self.conn.cursor().execute("SELECT 1 FROM assessment_cycle WHERE id = %s FOR UPDATE", [pk])

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()
