"""Large workbooks run as background jobs (issue 10): the import of a large upload, the
export of a large year, the job page and its result file."""

import io

import openpyxl
from django.urls import reverse
from django.utils.html import escape

from assessment.jobs.services import claim_job, run_job
from assessment.models import Cycle, FileJob
from assessment.tasks import run_file_job_task
from scoring.models import AnnualInput
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.pages import build_cycle
from tests.scoring.test_views_workbook import upload, workbook_bytes

URL = reverse("scoring:workbook")


def _job_url(job):
    return reverse("assessment:file_job", kwargs={"job": job.pk})


def test_workbook_upload_over_threshold_runs_as_job_and_shows_summary(
    client, lead, settings, django_capture_on_commit_callbacks
):
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, {"file": upload(workbook_bytes())})
    job = FileJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, _job_url(job))
    assert len(callbacks) == 0  # sent at once, the job's row written (eager here)
    job.refresh_from_db()
    assert (job.kind, job.status, job.year, job.created_by) == (
        "import_workbook",
        "done",
        2024,
        lead,
    )
    assert (job.problems, job.source.name) == ([], "")  # the upload is deleted once run
    assert (Cycle.objects.get().year, AnnualInput.objects.count()) == (2024, 4)
    page = client.get(_job_url(job))
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        "Imported the 2024 workbook: 2 counties, 1 units, 2 indicators, 2 rule items, "
        "4 annual data rows, 0 progress rows, 0 exemptions, 0 adjustments, 0 vetoes."
    ) in body
    assert "job-refresh.js" not in body


def test_workbook_upload_over_threshold_broken_shows_every_problem(
    client, lead, settings, django_capture_on_commit_callbacks
):
    settings.WORKBOOK_ASYNC_BYTES = 100
    data = workbook_bytes(weight_a02=30, method_a02="按比例")
    try:
        import_workbook(upload(data), replace=False, actor=lead)
    except WorkbookInvalid as exc:
        expected = exc.problems
    assert len(expected) >= 2
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"file": upload(data)})
    job = FileJob.objects.get()
    assert (job.status, job.problems, job.problem_total) == ("failed", expected, len(expected))
    body = client.get(_job_url(job)).content.decode()
    for problem in expected:
        assert f"<li>{escape(problem)}</li>" in body
    assert Cycle.objects.count() == 0


def test_workbook_upload_under_threshold_stays_synchronous(client, lead):
    client.force_login(lead)
    response = client.post(URL, {"file": upload(workbook_bytes())})
    assert (response.status_code, response["Location"]) == (302, URL)
    assert FileJob.objects.count() == 0


def test_workbook_job_queued_page_refreshes_itself(client, lead, settings):
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    job = FileJob.objects.create(kind="import_workbook", source_name="cycle.xlsx")  # not run yet
    assert job.status == "queued"
    body = client.get(_job_url(job)).content.decode()
    assert 'data-refresh-seconds="3"' in body
    assert "assessment/job-refresh.js" in body
    assert "<script>" not in body


def test_claim_job_prevents_a_second_run(db):
    cycle = build_cycle([], [], compute=False)
    job = FileJob.objects.create(kind="export_workbook", year=cycle.year)
    assert claim_job(job_id=job.pk).status == "running"
    assert claim_job(job_id=job.pk) is None
    assert run_job(job_id=job.pk) is None
    assert run_file_job_task.delay(job_id=job.pk).get() == {"status": "not_claimed"}
    job.refresh_from_db()
    assert (job.status, job.result.name) == ("running", "")


def test_workbook_export_of_large_cycle_runs_as_job_and_imports_back(
    client, lead, county, other_county, settings, django_capture_on_commit_callbacks
):
    settings.WORKBOOK_ASYNC_CELLS = 3  # 2 counties × 2 rule items = 4 cells
    build_cycle([county, other_county], [(90, 80), (70, 60)], compute=False)
    client.force_login(lead)
    export = reverse("scoring:workbook_export", kwargs={"year": 2024})
    page = client.get(export)  # a GET says what will happen and starts nothing
    assert (page.status_code, FileJob.objects.count()) == (200, 0)
    assert 'id="export-start"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(export)
    job = FileJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, _job_url(job))
    job.refresh_from_db()
    assert (job.kind, job.status, job.year) == ("export_workbook", "done", 2024)
    result_url = reverse("assessment:file_job_result", kwargs={"job": job.pk})
    assert f'href="{result_url}"' in client.get(_job_url(job)).content.decode()
    download = client.get(result_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    data = b"".join(download.streaming_content)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:2] == ["参数", "县区"]
    summary = import_workbook(io.BytesIO(data), replace=True, actor=lead)
    assert (summary.year, summary.counties, summary.items, summary.annual_rows) == (2024, 2, 2, 4)


def test_workbook_export_of_small_cycle_downloads_directly(client, lead, county):
    build_cycle([county], [(90, 80)], compute=False)
    client.force_login(lead)
    response = client.get(reverse("scoring:workbook_export", kwargs={"year": 2024}))
    assert (response.status_code, FileJob.objects.count()) == (200, 0)
    b"".join(response.streaming_content)


def test_workbook_job_result_of_unfinished_job_is_404(client, lead):
    job = FileJob.objects.create(kind="export_workbook", year=2024)
    client.force_login(lead)
    response = client.get(reverse("assessment:file_job_result", kwargs={"job": job.pk}))
    assert response.status_code == 404


def test_workbook_job_is_seen_by_every_lead_user_and_no_other_role(
    client, lead, unit_user, county_user
):
    from tests.factories import UserFactory

    job = FileJob.objects.create(kind="export_workbook", year=2024, created_by=lead)
    other_lead = UserFactory(username="lead2", role="lead")
    # A unit sees only its own round workbook's jobs: the lead department's is not found.
    for user, expected in ((other_lead, 200), (unit_user, 404), (county_user, 403)):
        client.force_login(user)
        assert client.get(_job_url(job)).status_code == expected


def test_results_workbook_of_a_large_year_is_written_by_a_job(
    client, lead, county, other_county, settings, django_capture_on_commit_callbacks
):
    settings.WORKBOOK_ASYNC_CELLS = 3  # 2 counties × 2 indicators = 4 cells
    build_cycle([county, other_county], [(90, 80), (70, 60)])
    client.force_login(lead)
    export = reverse("reports:results_xlsx", kwargs={"year": 2024})
    page = client.get(export)
    assert (page.status_code, FileJob.objects.count()) == (200, 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(export)
    job = FileJob.objects.get()
    assert (response.status_code, response["Location"], len(callbacks)) == (302, _job_url(job), 0)
    job.refresh_from_db()
    assert (job.kind, job.status, job.year, job.created_by) == (
        "export_results",
        "done",
        2024,
        lead,
    )
    body = client.get(_job_url(job)).content.decode()
    assert reverse("scoring:results", kwargs={"year": 2024}) in body  # the way back
    download = client.get(reverse("assessment:file_job_result", kwargs={"job": job.pk}))
    data = b"".join(download.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["结果"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["101", "102"]
    assert download["Content-Disposition"].startswith("attachment;")
    # The next visit offers the file written before, and one being written is followed.
    again = client.get(export).content.decode()
    assert 'id="export-earlier"' in again and 'id="export-running"' not in again
    assert reverse("assessment:file_job_result", kwargs={"job": job.pk}) in again
    queued = FileJob.objects.create(kind="export_results", year=2024)  # queued, not run yet
    again = client.get(export).content.decode()
    assert 'id="export-running"' in again and _job_url(queued) in again


def test_results_workbook_job_of_an_uncomputed_year_fails_with_the_reason(
    client, lead, county, settings, django_capture_on_commit_callbacks
):
    build_cycle([county], [(90, 80)], compute=False)
    job = FileJob.objects.create(kind="export_results", year=2024, language="en", created_by=lead)
    run_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.problems, job.result.name) == (
        "failed",
        ["The 2024 results have not been computed yet."],
        "",
    )


def test_results_workbook_of_a_small_year_downloads_directly(client, lead, county):
    build_cycle([county], [(90, 80)])
    client.force_login(lead)
    response = client.get(reverse("reports:results_xlsx", kwargs={"year": 2024}))
    assert (response.status_code, FileJob.objects.count()) == (200, 0)
    assert response["Content-Disposition"].startswith("attachment;")
    b"".join(response.streaming_content)


def test_clean_jobs_stops_lost_jobs_and_deletes_old_ones(db, lead, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from assessment.jobs.services import clean_jobs
    from assessment.tasks import clean_file_jobs_task

    now = timezone.now()
    lost = FileJob.objects.create(kind="import_workbook", status="running", language="en")
    lost.source.save("lost.xlsx", ContentFile(b"PK"), save=True)
    FileJob.objects.filter(pk=lost.pk).update(created_at=now - timedelta(hours=7))
    fresh = FileJob.objects.create(kind="export_workbook", year=2024, status="running")
    old = FileJob.objects.create(kind="export_workbook", year=2024, status="done")
    old.result.save("old.xlsx", ContentFile(b"PK"), save=False)
    old.finished_at = now - timedelta(days=8)
    old.save()
    old_storage, old_name = old.result.storage, old.result.name
    recent = FileJob.objects.create(kind="export_workbook", year=2024, status="done")
    recent.finished_at = now - timedelta(days=1)
    recent.save()

    assert clean_jobs(now=now) == {"stopped": 1, "deleted": 1}
    lost.refresh_from_db()
    assert (lost.status, lost.source.name, lost.problems) == (
        "failed",
        "",
        ["The job stopped: the worker running it was lost. Start it again."],
    )
    assert not old_storage.exists(old_name)
    assert set(FileJob.objects.values_list("pk", flat=True)) == {lost.pk, fresh.pk, recent.pk}
    assert FileJob.objects.get(pk=fresh.pk).status == "running"
    assert clean_file_jobs_task.delay().get() == {"stopped": 0, "deleted": 0}
