"""Large workbooks run as background jobs (issue 10): the import of a large upload, the
export of a large year, the job page and its result file."""

import io

import openpyxl
from django.urls import reverse
from django.utils.html import escape

from assessment.models import Cycle
from scoring.models import AnnualInput, FileJob
from scoring.services.jobs import claim_job, run_job
from scoring.tasks import run_file_job_task
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.pages import build_cycle
from tests.scoring.test_views_workbook import upload, workbook_bytes

URL = reverse("scoring:workbook")


def _job_url(job):
    return reverse("scoring:workbook_job", kwargs={"job": job.pk})


def test_workbook_upload_over_threshold_runs_as_job_and_shows_summary(
    client, lead, settings, django_capture_on_commit_callbacks
):
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, {"file": upload(workbook_bytes())})
    job = FileJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, _job_url(job))
    assert len(callbacks) == 1
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
    client.post(URL, {"file": upload(workbook_bytes())})  # on_commit never runs in the test
    job = FileJob.objects.get()
    assert job.status == "queued"
    body = client.get(_job_url(job)).content.decode()
    assert 'data-refresh-seconds="3"' in body
    assert "scoring/job-refresh.js" in body
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
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(export)
    job = FileJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, _job_url(job))
    job.refresh_from_db()
    assert (job.kind, job.status, job.year) == ("export_workbook", "done", 2024)
    result_url = reverse("scoring:workbook_job_result", kwargs={"job": job.pk})
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
    response = client.get(reverse("scoring:workbook_job_result", kwargs={"job": job.pk}))
    assert response.status_code == 404


def test_workbook_job_is_seen_by_every_lead_user_and_no_other_role(
    client, lead, unit_user, county_user
):
    from tests.factories import UserFactory

    job = FileJob.objects.create(kind="export_workbook", year=2024, created_by=lead)
    other_lead = UserFactory(username="lead2", role="lead")
    for user, expected in ((other_lead, 200), (unit_user, 403), (county_user, 403)):
        client.force_login(user)
        assert client.get(_job_url(job)).status_code == expected
