"""Evidence materials: upload checked by content and size, names sanitized, files outside
the public URL space, served only to the county itself, the indicator's unit and the lead."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Round
from indicators.models import Indicator
from scoring.models import Evidence
from tests.pages import build_cycle, open_rounds

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
URL = reverse("scoring:evidence", kwargs={"year": 2024, "round": "april"})


@pytest.fixture
def world(unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    _annual, april = open_rounds(cycle)
    return {"cycle": cycle, "april": april, "a01": Indicator.objects.get(code="A01")}


def _upload(client, world, name="../进度 证明.pdf", content=PDF):
    return client.post(
        URL,
        {"indicator": world["a01"].pk, "file": SimpleUploadedFile(name, content), "note": "4月"},
    )


def test_evidence_county_uploads_a_pdf_stored_privately_with_a_safe_name(
    client, county_user, world, private_media
):
    client.force_login(county_user)
    assert _upload(client, world).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.kind, evidence.size, evidence.county.code) == (
        "进度 证明.pdf", "pdf", len(PDF), "101",
    )  # fmt: skip
    assert evidence.file.path.startswith(str(private_media))
    assert LogEntry.objects.get_for_object(evidence).get().actor == county_user


def test_evidence_program_named_pdf_is_refused(client, county_user, world):
    client.force_login(county_user)
    response = _upload(client, world, name="a.pdf", content=b"MZ\x90\x00" + b"\x00" * 100)
    assert response.status_code == 400
    assert "is not a PDF, an office document or an image" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_evidence_too_large_is_refused(client, county_user, world, settings):
    settings.UPLOAD_MAX_BYTES = 10
    client.force_login(county_user)
    assert _upload(client, world).status_code == 400
    assert Evidence.objects.count() == 0


def test_evidence_closed_round_refuses_uploads(client, county_user, world):
    Round.objects.filter(pk=world["april"].pk).update(status=Round.Status.CLOSED)
    client.force_login(county_user)
    _upload(client, world)
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [("county_user", 200), ("unit_user", 200), ("lead", 200),
     ("other_county_user", 404), ("other_unit_user", 404)],
)  # fmt: skip
def test_evidence_download_only_the_county_its_unit_and_the_lead(
    client, county_user, world, request, who, status
):
    client.force_login(county_user)
    _upload(client, world)
    client.force_login(request.getfixturevalue(who))
    response = client.get(
        reverse("scoring:evidence_download", kwargs={"evidence": Evidence.objects.get().pk})
    )
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")


def test_evidence_list_unit_sees_its_indicators_files(
    client, county_user, unit_user, other_unit_user, world
):
    client.force_login(county_user)
    _upload(client, world)
    client.force_login(unit_user)
    assert [f.name for f in client.get(URL).context["files"]] == ["进度 证明.pdf"]
    client.force_login(other_unit_user)
    assert list(client.get(URL).context["files"]) == []


def test_evidence_county_removes_its_file(
    client, county_user, world, django_capture_on_commit_callbacks
):
    client.force_login(county_user)
    _upload(client, world)
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    url = reverse("scoring:evidence_delete", kwargs={"evidence": evidence.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert (response.status_code, Evidence.objects.count(), path.exists()) == (302, 0, False)
