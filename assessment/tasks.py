"""The frame's background jobs: the file jobs (``assessment.jobs``)."""

from celery import shared_task


@shared_task(name="assessment.run_file_job")
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
