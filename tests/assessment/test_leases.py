"""Jobs never stuck: a task whose worker is gone (its lease's heartbeat stopped) is sent again
when it is idempotent (a computation, a closing, the emails) or, for a file job, failed with
a button to start it again; lost on its last attempt, it is given up — audited and handed to
its app's handler (a computation: shown on the results page, tests/scoring/test_views_results
.py); a button whose job cannot be queued says so and leaves no job.
The same faults with real workers killed mid-job: tests/test_faults.py."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from assessment.jobs import leases
from assessment.jobs.leases import on_given_up, recover_lost
from assessment.jobs.models import TaskLease
from assessment.models import Cycle, FileJob
from assessment.tasks import recover_lost_tasks_task
from scoring.models import ResultsRefusal
from tests.broker import broker_down
from tests.pages import build_cycle
from tests.scoring.test_views_workbook import upload, workbook_bytes

pytestmark = pytest.mark.django_db
QUEUE_DOWN = (
    "The task queue cannot be reached at the moment, so nothing was started. Please try again "
    "in a few minutes."
)


def lease(task_name: str, kwargs: dict, *, age: int, attempt: int = 1) -> TaskLease:
    beat = timezone.now() - dt.timedelta(seconds=age)
    return TaskLease.objects.create(
        task_id=f"t-{task_name}-{age}-{attempt}", task_name=task_name, kwargs=kwargs,
        attempt=attempt, worker="gone", started_at=beat, heartbeat_at=beat,
    )  # fmt: skip


def test_a_lost_computation_is_run_again(county, settings):
    cycle = build_cycle([county], [(90, 80)], compute=False)
    lease("scoring.compute_results", {"cycle_id": cycle.pk}, age=settings.LEASE_STALE_SECONDS + 1)
    assert recover_lost_tasks_task.delay().get() == {"resent": 1, "failed": 0, "given_up": 0}
    cycle.refresh_from_db()
    assert cycle.results_computed_at is not None
    assert TaskLease.objects.count() == 0


def test_a_live_lease_is_left_alone(county, settings):
    cycle = build_cycle([county], [(90, 80)], compute=False)
    lease("scoring.compute_results", {"cycle_id": cycle.pk}, age=settings.LEASE_STALE_SECONDS - 5)
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 0}
    assert (TaskLease.objects.count(), Cycle.objects.get().results_computed_at) == (1, None)


def test_a_task_lost_on_its_last_attempt_is_given_up(county, settings):
    cycle = build_cycle([county], [(90, 80)], compute=False)
    lost = lease(
        "scoring.compute_results", {"cycle_id": cycle.pk}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    assert (TaskLease.objects.count(), Cycle.objects.get().results_computed_at) == (0, None)
    # scoring's handler: the results page's record, which ends its "computing".
    refusal = ResultsRefusal.objects.get(cycle=cycle)
    attempts = settings.LEASE_MAX_ATTEMPTS
    assert (refusal.interruptions, refusal.worker, refusal.problem_count) == (attempts, "gone", 0)
    assert given_up_events(cycle) == [
        {
            "task": "scoring.compute_results", "kwargs": {"cycle_id": cycle.pk},
            "task_id": lost.task_id, "attempts": attempts, "worker": "gone",
        }
    ]  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 0}  # once


def _as_a_worker_runs(task, task_id: str, **kwargs):
    """Call ``task`` as a worker's process does: a request with its id, not eager."""
    task.push_request(id=task_id, is_eager=False, called_directly=False, headers={})
    try:
        return task(**kwargs)
    finally:
        task.pop_request()


def test_a_task_redelivered_while_its_lease_stands_is_left_to_the_sweep(county, settings):
    """A worker process killed mid-run (the out-of-memory killer) gets its message back from
    Celery with the same id: the run does nothing (no second lease, no computation) and the
    sweep counts it as one more attempt, so a task that kills its worker every time is given
    up instead of redelivered for ever."""
    from scoring.tasks import compute_results_task

    cycle = build_cycle([county], [(90, 80)], compute=False)
    stale = lease(
        "scoring.compute_results", {"cycle_id": cycle.pk}, age=settings.LEASE_STALE_SECONDS + 1
    )
    assert _as_a_worker_runs(compute_results_task, stale.task_id, cycle_id=cycle.pk) is None
    assert list(TaskLease.objects.values_list("task_id", "attempt")) == [(stale.task_id, 1)]
    assert Cycle.objects.get().results_computed_at is None
    assert recover_lost() == {"resent": 1, "failed": 0, "given_up": 0}
    assert Cycle.objects.get().results_computed_at is not None  # the resent one, eager here


def test_a_task_run_by_a_worker_holds_a_lease_while_it_runs_and_drops_it_after(
    county, settings, monkeypatch
):
    from scoring.tasks import compute_results_task

    cycle = build_cycle([county], [(90, 80)], compute=False)
    seen = []
    start = leases._Heartbeat.start

    def watch(beating):
        seen.append(list(TaskLease.objects.values_list("task_id", "task_name", "attempt")))
        start(beating)

    monkeypatch.setattr(leases._Heartbeat, "start", watch)
    _as_a_worker_runs(compute_results_task, "t-live", cycle_id=cycle.pk)
    assert seen == [[("t-live", "scoring.compute_results", 1)]]
    assert TaskLease.objects.count() == 0
    assert Cycle.objects.get().results_computed_at is not None


def test_a_computation_whose_worker_was_lost_after_it_committed_records_no_failure(
    county, settings
):
    """The last attempt stored its results, then its worker died before ending its lease:
    the results page shows them, with no failure; the give-up is still audited."""
    cycle = build_cycle([county], [(90, 80)])  # computed now, after the lease's start
    lease(
        "scoring.compute_results", {"cycle_id": cycle.pk}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    assert (ResultsRefusal.objects.count(), len(given_up_events(cycle))) == (0, 1)


def given_up_events(instance) -> list[dict]:
    """The data of the give-up audit events written about ``instance``."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_pk=str(instance.pk)
    )
    return [
        e.additional_data
        for e in entries
        if e.changes_dict.get("event", [None, None])[1] == "task_given_up"
    ]


@pytest.fixture
def registry(monkeypatch):
    """The give-up handlers as the apps registered them, restored after the test."""
    monkeypatch.setattr(leases, "_GIVEN_UP", dict(leases._GIVEN_UP))


def test_a_given_up_task_is_handed_to_its_handler_and_audited_on_its_object(
    registry, county, settings
):
    cycle = build_cycle([county], [(90, 80)], compute=False)
    handed = []

    @on_given_up("tests.made_up")
    def handler(lost: TaskLease):
        handed.append((lost.kwargs, lost.attempt, lost.worker))
        return cycle

    lease(
        "tests.made_up", {"n": 1}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    assert handed == [({"n": 1}, settings.LEASE_MAX_ATTEMPTS, "gone")]
    assert [e["task"] for e in given_up_events(cycle)] == ["tests.made_up"]


def test_a_given_up_task_without_a_handler_is_audited_on_its_lease(registry, settings):
    lost = lease(
        "alerts.send_pending_emails", {}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    assert [(e["task"], e["attempts"]) for e in given_up_events(lost)] == [
        ("alerts.send_pending_emails", settings.LEASE_MAX_ATTEMPTS)
    ]
    assert TaskLease.objects.count() == 0


def test_a_failing_give_up_handler_keeps_the_lease_for_the_next_sweep(registry, settings):
    @on_given_up("tests.made_up")
    def broken(lost: TaskLease):
        raise RuntimeError("the handler's database table is gone")

    lost = lease(
        "tests.made_up", {"n": 1}, age=settings.LEASE_STALE_SECONDS + 1,
        attempt=settings.LEASE_MAX_ATTEMPTS,
    )  # fmt: skip
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 0}
    assert (TaskLease.objects.get().pk, given_up_events(lost)) == (lost.pk, [])

    on_given_up("tests.made_up")(lambda lost: None)  # fixed: the next sweep gives it up
    assert recover_lost() == {"resent": 0, "failed": 0, "given_up": 1}
    assert (TaskLease.objects.count(), len(given_up_events(lost))) == (0, 1)


def test_a_lost_file_job_fails_with_a_button_that_starts_it_again(client, lead, settings):
    job = FileJob.objects.create(
        kind="import_workbook", status=FileJob.Status.RUNNING, source_name="cycle.xlsx",
        created_by=lead, language="en",
    )  # fmt: skip
    job.source.save("cycle.xlsx", upload(workbook_bytes()), save=True)
    lease("assessment.run_file_job", {"job_id": job.pk}, age=settings.LEASE_STALE_SECONDS + 1)
    assert recover_lost() == {"resent": 0, "failed": 1, "given_up": 0}
    job.refresh_from_db()
    assert (job.status, job.lost, job.problems) == (
        "failed", True, ["The worker running this job stopped. Start it again."]
    )  # fmt: skip
    client.force_login(lead)
    page = client.get(reverse("assessment:file_job", kwargs={"job": job.pk})).content.decode()
    assert 'id="job-restart"' in page and "The worker running this job stopped." in page

    restart = reverse("assessment:file_job_restart", kwargs={"job": job.pk})
    with broker_down():
        client.post(restart)
    job.refresh_from_db()
    assert (job.status, job.lost) == ("failed", True)  # still offered again
    response = client.post(restart)
    job.refresh_from_db()
    assert (response.status_code, job.status, job.lost, job.year) == (302, "done", False, 2024)
    assert client.post(restart).status_code == 404  # done: nothing to start again


def test_large_upload_with_the_broker_down_says_so_and_keeps_no_job(client, lead, settings):
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    with broker_down():
        response = client.post(
            reverse("scoring:workbook"), {"file": upload(workbook_bytes())}, follow=True
        )
    assert [str(m) for m in response.context["messages"]] == [QUEUE_DOWN]
    assert (FileJob.objects.count(), Cycle.objects.count()) == (0, 0)


def test_large_export_with_the_broker_down_says_so_and_keeps_no_job(
    client, lead, county, other_county, settings
):
    settings.WORKBOOK_ASYNC_CELLS = 3
    build_cycle([county, other_county], [(90, 80), (70, 60)])
    client.force_login(lead)
    export = reverse("reports:results_xlsx", kwargs={"year": 2024})
    with broker_down():
        response = client.post(export, follow=True)
    assert [str(m) for m in response.context["messages"]] == [QUEUE_DOWN]
    assert FileJob.objects.count() == 0
    assert 'id="export-running"' not in response.content.decode()


def test_the_lease_sweep_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["recover-lost-tasks"]
    assert (entry["task"], entry["schedule"]) == (recover_lost_tasks_task.name, 60)
