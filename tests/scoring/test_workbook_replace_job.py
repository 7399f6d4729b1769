"""A large upload that replaces a year (issues 16 and 17): its job previews the replace first
(every check, what it will change, the records that would be lost; nothing written), its job
page shows the preview a small upload gets, and the person who uploaded it confirms there —
discarding the records that would be lost or not — which imports the same stored file as a
job of its own, once."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessment.jobs.services import fail_lost_job
from assessment.models import County, Cycle, FileJob, Veto
from assessment.uploads import private_storage
from indicators.models import Indicator
from scoring.models import AnnualInput
from scoring.workbook.importer import WorkbookInvalid, import_workbook
from tests.broker import broker_down
from tests.factories import UserFactory
from tests.scoring.test_import_workbook import events
from tests.scoring.test_views_workbook import upload, workbook_bytes

pytestmark = pytest.mark.django_db

URL = reverse("scoring:workbook")
LOST = (
    "the veto of county 101 (安全事故), with its evidence, is not in the workbook and would be "
    "removed"
)
REFUSED = (
    "Nothing was replaced: replacing 2024 would delete the records listed under “Records that "
    "would be lost”. To replace it anyway, tick the box that deletes them too and confirm again."
)


def _discard_box(body: str) -> str:
    """The discard checkbox of the confirmation form ("" when there is none)."""
    found = re.search(r'<input[^>]*name="discard"[^>]*>', body)
    return found.group(0) if found else ""


def _job_url(job):
    return reverse("assessment:file_job", kwargs={"job": job.pk})


def _confirm_url(job):
    return reverse("scoring:workbook_replace_confirm", kwargs={"job": job.pk})


@pytest.fixture
def year(lead):
    """The year 2024 imported, then changed by hand: A02 renamed, one annual row deleted."""
    import_workbook(upload(workbook_bytes()), actor=lead)
    AnnualInput.objects.filter(county__code="101", item__code="A01-1").delete()
    Indicator.objects.filter(code="A02").update(name="旧名称")
    return Cycle.objects.get(year=2024)


@pytest.fixture
def previewed(client, lead, year, settings):
    """The workbook of 2024 uploaded again, large, with "replace": its job's preview."""
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    response = client.post(URL, {"file": upload(workbook_bytes()), "replace": "on"})
    job = FileJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, _job_url(job))
    job.refresh_from_db()
    return job


def _unchanged(year) -> bool:
    """Nothing of the year was replaced (see the fixture ``year``)."""
    return (
        Indicator.objects.get(cycle=year, code="A02").name == "旧名称"
        and AnnualInput.objects.filter(cycle=year).count() == 3
        and events("import_workbook_replace") == []
    )


def test_large_replace_upload_shows_the_preview_on_its_job_page_and_writes_nothing(
    client, previewed, year
):
    assert (previewed.kind, previewed.status, previewed.year, previewed.replace) == (
        "preview_workbook_replace",
        "awaiting",
        2024,
        True,
    )
    assert private_storage.exists(previewed.source.name)  # kept for the confirmation
    assert _unchanged(year)
    page = client.get(_job_url(previewed))
    body = page.content.decode()
    assert page.status_code == 200
    assert "job-refresh.js" not in body  # it waits for a person, not a worker
    assert 'id="replace-indicators"' in body and 'id="replace-lost"' in body
    assert "Changed (name, category, weight, unit, direction or rule items): A02" in body
    assert "Annual data: 3 rows now, 4 in the workbook." in body
    assert "None: every record of the year is kept or in the workbook." in body
    assert f'action="{_confirm_url(previewed)}"' in body
    assert _discard_box(body) == ""  # nothing would be lost: nothing to tick


def test_large_replace_confirmed_imports_the_same_file_as_a_job(client, lead, previewed, year):
    kept = previewed.source.name
    response = client.post(_confirm_url(previewed), follow=True)
    imported = FileJob.objects.exclude(pk=previewed.pk).get()
    assert response.redirect_chain == [(_job_url(imported), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Confirmed: replacing 2024 has started."
    ]
    assert (imported.kind, imported.status, imported.replace, imported.discard) == (
        "import_workbook",
        "done",
        True,
        False,
    )
    assert (imported.confirms, imported.created_by, imported.source.name) == (previewed, lead, "")
    assert not private_storage.exists(kept)  # imported, then deleted as every job's upload
    assert Indicator.objects.get(cycle=year, code="A02").name == "一般公共预算收入"
    assert AnnualInput.objects.filter(cycle=year).count() == 4
    [event] = events("import_workbook_replace")
    assert (event.actor, event.additional_data["file"], event.additional_data["annual_rows"]) == (
        lead,
        "2024.xlsx",
        4,
    )
    assert event.additional_data["discarded"] == []
    previewed.refresh_from_db()
    assert (previewed.status, previewed.source.name) == ("done", "")
    body = client.get(_job_url(previewed)).content.decode()
    assert 'id="job-confirmed"' in body and f'href="{_job_url(imported)}"' in body
    assert "Imported the 2024 workbook" in response.content.decode()


def test_large_replace_losing_records_is_refused_without_discard_then_imported_with_it(
    client, lead, year, settings
):
    Veto.objects.create(cycle=year, county=County.objects.get(code="101"), reason="安全事故",
                        evidence="通报文件")  # fmt: skip
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    client.post(URL, {"file": upload(workbook_bytes()), "replace": "on"})
    job = FileJob.objects.get()
    assert (job.status, job.summary["preview"]["lost"]) == ("awaiting", [LOST])
    body = client.get(_job_url(job)).content.decode()
    assert f"<li>{escape(LOST)}</li>" in body
    assert _discard_box(body) and "checked" not in _discard_box(body)

    refused = client.post(_confirm_url(job), follow=True)
    assert refused.redirect_chain == [(_job_url(job), 302)]
    assert [str(m) for m in refused.context["messages"]] == [REFUSED]
    assert f"<li>{escape(LOST)}</li>" in refused.content.decode()
    job.refresh_from_db()
    assert (job.status, FileJob.objects.count(), Veto.objects.count()) == ("awaiting", 1, 1)
    assert private_storage.exists(job.source.name) and _unchanged(year)

    client.post(_confirm_url(job), {"discard": "on"})
    imported = FileJob.objects.exclude(pk=job.pk).get()
    assert (imported.status, imported.discard, imported.problems) == ("done", True, [])
    assert (Veto.objects.count(), AnnualInput.objects.filter(cycle=year).count()) == (0, 4)
    [event] = events("import_workbook_replace")
    assert event.additional_data["discarded"] == [LOST]  # what was deleted, audited


def test_large_replace_upload_asking_discard_has_the_box_ticked(client, lead, year, settings):
    settings.WORKBOOK_ASYNC_BYTES = 100
    Veto.objects.create(cycle=year, county=County.objects.get(code="101"), reason="安全事故",
                        evidence="通报文件")  # fmt: skip
    client.force_login(lead)
    client.post(URL, {"file": upload(workbook_bytes()), "replace": "on", "discard": "on"})
    job = FileJob.objects.get()
    assert (job.status, job.discard) == ("awaiting", True)
    body = client.get(_job_url(job)).content.decode()
    assert "checked" in _discard_box(body)
    assert Veto.objects.count() == 1  # asked for, but only the confirmation replaces


def test_large_replace_confirmed_twice_imports_once(client, previewed, year):
    client.post(_confirm_url(previewed), follow=True)
    imported = FileJob.objects.exclude(pk=previewed.pk).get()
    AnnualInput.objects.filter(cycle=year, county__code="102").delete()  # changed since
    again = client.post(_confirm_url(previewed), follow=True)
    assert again.redirect_chain == [(_job_url(previewed), 302)]
    assert [str(m) for m in again.context["messages"]] == [
        "This job was confirmed already: its work goes on in the job it started."
    ]
    assert list(FileJob.objects.exclude(pk=previewed.pk)) == [imported]
    assert AnnualInput.objects.filter(cycle=year).count() == 2  # not imported again
    assert len(events("import_workbook_replace")) == 1


def test_large_replace_is_confirmed_only_by_the_person_who_uploaded_it(
    client, previewed, year, unit_user
):
    other_lead = UserFactory(username="lead2", role="lead")
    client.force_login(other_lead)
    body = client.get(_job_url(previewed)).content.decode()
    assert 'id="replace-indicators"' in body  # the department reads it
    assert 'id="replace-confirm-starter"' in body and _confirm_url(previewed) not in body
    assert client.post(_confirm_url(previewed), {"discard": "on"}).status_code == 403
    client.force_login(unit_user)
    assert client.post(_confirm_url(previewed)).status_code == 403
    previewed.refresh_from_db()
    assert (previewed.status, FileJob.objects.count()) == ("awaiting", 1)
    assert _unchanged(year)


def test_large_replace_with_problems_fails_listing_them_as_an_import(client, lead, year, settings):
    data = workbook_bytes(weight_a02=30, method_a02="按比例")
    with pytest.raises(WorkbookInvalid) as refused:
        import_workbook(upload(data), replace=True, actor=lead)
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    client.post(URL, {"file": upload(data), "replace": "on"})
    job = FileJob.objects.get()
    assert (job.status, job.problems, job.source.name) == ("failed", refused.value.problems, "")
    body = client.get(_job_url(job)).content.decode()
    for problem in refused.value.problems:
        assert f"<li>{escape(problem)}</li>" in body
    assert 'id="replace-confirm"' not in body
    assert client.post(_confirm_url(job)).status_code == 302  # refused: nothing to confirm
    assert FileJob.objects.count() == 1 and _unchanged(year)


def test_large_replace_of_a_new_year_imports_at_once(client, lead, settings):
    settings.WORKBOOK_ASYNC_BYTES = 100
    client.force_login(lead)
    client.post(URL, {"file": upload(workbook_bytes()), "replace": "on"})
    job = FileJob.objects.get()
    assert (job.kind, job.status, job.year, job.source.name) == (
        "preview_workbook_replace",
        "done",
        2024,
        "",
    )
    assert AnnualInput.objects.count() == 4
    assert "Imported the 2024 workbook" in client.get(_job_url(job)).content.decode()


def test_large_replace_confirmed_with_the_broker_down_keeps_the_preview(client, previewed, year):
    with broker_down():
        response = client.post(_confirm_url(previewed), follow=True)
    assert response.redirect_chain == [(_job_url(previewed), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The task queue cannot be reached at the moment, so nothing was started. Please try "
        "again in a few minutes."
    ]
    previewed.refresh_from_db()
    assert (previewed.status, FileJob.objects.count()) == ("awaiting", 1)
    assert private_storage.exists(previewed.source.name) and _unchanged(year)
    client.post(_confirm_url(previewed))  # the broker is back: the same preview confirms
    assert Indicator.objects.get(cycle=year, code="A02").name == "一般公共预算收入"


def test_large_replace_preview_lost_with_its_worker_starts_again_and_awaits(
    client, lead, year, settings
):
    job = FileJob.objects.create(
        kind="preview_workbook_replace", status=FileJob.Status.RUNNING, replace=True,
        source_name="2024.xlsx", created_by=lead, language="en",
    )  # fmt: skip
    job.source.save("2024.xlsx", upload(workbook_bytes()), save=True)
    assert fail_lost_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.lost) == ("failed", True)
    client.force_login(lead)
    client.post(reverse("assessment:file_job_restart", kwargs={"job": job.pk}))
    job.refresh_from_db()
    assert (job.status, job.summary["preview"]["changed"]) == ("awaiting", ["A02"])
    assert private_storage.exists(job.source.name) and _unchanged(year)


def _drop_url(job):
    return reverse("assessment:file_job_drop", kwargs={"job": job.pk})


def test_large_replace_dropped_imports_nothing_and_deletes_the_upload(
    client, lead, previewed, year, django_capture_on_commit_callbacks
):
    kept = previewed.source.name
    body = client.get(_job_url(previewed)).content.decode()
    assert f'action="{_drop_url(previewed)}"' in body
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        dropped = client.post(_drop_url(previewed), follow=True)
    assert dropped.redirect_chain == [(_job_url(previewed), 302)]
    assert [str(m) for m in dropped.context["messages"]] == ["Dropped: 2024.xlsx was not imported."]
    previewed.refresh_from_db()
    assert (previewed.status, previewed.source.name) == ("done", "")
    assert not private_storage.exists(kept)
    assert (FileJob.objects.count(), events("import_workbook_replace")) == (1, [])
    assert Indicator.objects.get(cycle=year, code="A02").name == "旧名称"  # nothing replaced
    assert "Dropped: nothing was done with the file" in dropped.content.decode()
    assert 'id="replace-confirm"' not in dropped.content.decode()
    again = client.post(_drop_url(previewed), follow=True)
    assert [str(m) for m in again.context["messages"]] == [
        "This job is not waiting for a confirmation."
    ]
    refused = client.post(_confirm_url(previewed), follow=True)  # nor confirmed afterwards
    assert FileJob.objects.count() == 1 and refused.status_code == 200


def test_large_replace_is_dropped_only_by_the_person_who_uploaded_it(client, previewed):
    client.force_login(UserFactory(username="lead2", role="lead"))
    assert client.post(_drop_url(previewed)).status_code == 403
    previewed.refresh_from_db()
    assert previewed.status == "awaiting"
