"""The frame's background jobs: the file jobs (``assessment.jobs``)."""

from celery import shared_task

from assessment.jobs.leases import LeasedTask, on_lost, record_beat, recover_lost


@shared_task(name="assessment.run_file_job", base=LeasedTask)
def run_file_job_task(*, job_id: int) -> dict:
    """Run one file job (assessment.jobs.services); a job another worker already claimed is
    left alone."""
    from assessment.jobs.services import run_job

    job = run_job(job_id=job_id)
    if job is None:
        return {"status": "not_claimed"}
    return {"status": job.status}


@shared_task(name="assessment.clean_file_jobs")
def clean_file_jobs_task() -> dict:
    """Daily: fail the file jobs a lost worker left unfinished, delete old jobs' files."""
    from assessment.jobs.services import clean_jobs

    return clean_jobs()


@on_lost("assessment.run_file_job")
def _file_job_lost(kwargs: dict) -> None:
    from assessment.jobs.services import fail_lost_job

    fail_lost_job(job_id=kwargs["job_id"])


@shared_task(name="assessment.recover_lost_tasks")
def recover_lost_tasks_task() -> dict:
    """Every minute: the tasks whose worker is gone (their lease's heartbeat stopped) are sent
    again, or their file job failed with a button to start it again."""
    return recover_lost()


@shared_task(name="assessment.beat_heartbeat")
def beat_heartbeat_task() -> str:
    """Sent by beat every BEAT_HEARTBEAT_SECONDS: the time it ran, which /health/ reads."""
    return record_beat()
