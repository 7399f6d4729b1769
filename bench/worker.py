"""The ranking and the round closing as production runs them: Celery tasks run by a real
worker (``celery -A config worker``) against the broker and this database.

The runner starts one worker on a queue of its own (others may share the broker), waits until
it is ready, sends it a task and times from sending to the answer; the worker's resident peak
is read from ``/proc`` (it runs tasks in its main process: ``--pool=solo``).
"""

import contextlib
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
READY_SECONDS = 120
TASK_SECONDS = 3600


def database_url() -> str:
    """This process's database as a URL the worker can open (PostgreSQL only: a worker
    beside an SQLite file or memory database measures nothing of production)."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("the worker timings need PostgreSQL: set DATABASE_URL")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"


@dataclass
class Worker:
    client: Celery
    queue: str
    pid: int
    output: list[str]

    def run(self, name: str, **kwargs) -> tuple[dict, float, float | None]:
        """(the task's answer, seconds from sending to the answer, the worker's peak MB)."""
        with contextlib.suppress(OSError):
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        start = time.perf_counter()
        answer = self.client.send_task(name, kwargs=kwargs, queue=self.queue).get(
            timeout=TASK_SECONDS
        )
        seconds = time.perf_counter() - start
        return answer, seconds, self.peak_mb()

    def peak_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None


@contextlib.contextmanager
def celery_worker() -> Iterator[Worker]:
    """A worker of the project's Celery app on a fresh queue, stopped afterwards."""
    queue = f"appraisal-bench-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url(),
        "CELERY_RESULT_BACKEND": broker_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
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
    output: list[str] = []
    ready = threading.Event()

    def drain() -> None:  # read the worker's output so that its pipe never fills
        for line in proc.stdout:
            output.append(line)
            if " ready." in line:
                ready.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    # Not the current app: shared tasks sent later in the same process (the tests) would go
    # to this client instead of the project's app.
    client = Celery(
        "appraisal-bench", broker=broker_url(), backend=broker_url(), set_as_current=False
    )
    try:
        if not ready.wait(READY_SECONDS):
            raise RuntimeError("the Celery worker did not start:\n" + "".join(output[-40:]))
        yield Worker(client=client, queue=queue, pid=proc.pid, output=output)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
        proc.stdout.close()
        client.close()
