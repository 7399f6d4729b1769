"""Private files in a configured storage backend (``STORAGES["private"]``: object storage for
web instances on several machines, ``S3_ENDPOINT_URL``): nothing assumes a file on this
machine's disk. Django's in-memory storage stands in for the bucket."""

from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty

from assessment.jobs.models import FileJob
from assessment.uploads import private_storage
from indicators.models import Indicator
from scoring.models import AnnualInput, Evidence
from tests.pages import build_cycle, open_rounds
from tests.scoring.test_views_workbook import upload, workbook_bytes

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    private_storage._wrapped = empty
    private_storage._setup()
    assert isinstance(private_storage._wrapped, InMemoryStorage)


def test_evidence_is_saved_to_and_served_from_the_configured_storage(
    client, settings, county_user, unit, other_unit, county, other_county, private_media
):
    _in_memory(settings)
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    open_rounds(cycle)
    client.force_login(county_user)
    response = client.post(
        reverse("scoring:evidence", kwargs={"year": 2024, "round": "april"}),
        {
            "indicator": Indicator.objects.get(code="A01").pk,
            "file": SimpleUploadedFile("进度.pdf", PDF),
            "note": "4月",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert private_storage.exists(evidence.file.name)
    assert not private_media.exists()  # nothing written to the local directory
    download = client.get(reverse("scoring:evidence_download", kwargs={"evidence": evidence.pk}))
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PDF)


def test_a_workbook_job_reads_its_upload_from_the_configured_storage(
    client, settings, lead, private_media, django_capture_on_commit_callbacks
):
    _in_memory(settings)
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scoring:workbook"), {"file": upload(workbook_bytes())})
    job = FileJob.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.year, AnnualInput.objects.count()) == ("done", 2024, 4)
    assert not private_media.exists()
