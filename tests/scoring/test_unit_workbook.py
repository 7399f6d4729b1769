"""A unit's workbook of a round: the template is pre-filled, the upload applies the same
checks as the grid, all or nothing, each problem with its sheet and cell."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator
from scoring.entry import services as entry
from scoring.models import AnnualInput, EntryState, Progress
from tests.factories import RuleItemFactory
from tests.pages import build_cycle, open_rounds


@pytest.fixture
def world(unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    annual, april = open_rounds(cycle)
    a01 = Indicator.objects.get(code="A01")
    RuleItemFactory(indicator=a01, code="A01-2", name="增长", method="linear", share=Decimal(0))
    return {"cycle": cycle, "annual": annual, "april": april, "a01": a01}


def _download(client, round_code):
    url = reverse("scoring:unit_workbook_download", kwargs={"year": 2024, "round": round_code})
    response = client.get(url)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(client, round_code, book):
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": round_code})
    return client.post(url, {"file": SimpleUploadedFile("填报.xlsx", buffer.getvalue())})


def test_unit_workbook_annual_round_trip(client, unit_user, world, county):
    item = world["a01"].items.get(code="A01-1")
    cell = (county.id, f"a{item.id}")
    entry.save_grid(
        round=world["annual"], indicator=world["a01"], values={cell: Decimal(88)}, loaded={},
        actor=unit_user,
    )  # fmt: skip
    client.force_login(unit_user)
    book = _download(client, "annual")
    ws = book["年度数据"]
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows[0][:4] == ["县区代码", "项目代码", "实际值", "目标值"]
    assert [r[:4] for r in rows[1:]] == [
        ["101", "A01-1", 88, None],
        ["102", "A01-1", None, None],
        ["101", "A01-2", None, None],
        ["102", "A01-2", None, None],
    ]
    ws["C3"], ws["C4"], ws["D4"], ws["C5"], ws["D5"] = 75, -1.5, 2, 3, 2.5
    assert _upload(client, "annual", book).status_code == 302
    stored = sorted(
        AnnualInput.objects.values_list("county__code", "item__code", "actual", "target")
    )
    assert stored == [
        ("101", "A01-1", Decimal(88), None),
        ("101", "A01-2", Decimal("-1.5"), Decimal(2)),
        ("102", "A01-1", Decimal(75), None),
        ("102", "A01-2", Decimal(3), Decimal("2.5")),
    ]
    assert EntryState.objects.get().status == "draft"


def test_unit_workbook_problems_listed_with_cells_and_nothing_saved(client, unit_user, world):
    client.force_login(unit_user)
    book = _download(client, "annual")
    ws = book["年度数据"]
    ws["C2"] = 120  # a direct score above 100
    ws["C3"] = "多"  # not a number
    ws.append(["999", "A01-1", 50])  # unknown county
    ws.append(["101", "A02-1", 50])  # another unit's item
    response = _upload(client, "annual", book)
    assert response.status_code == 400
    assert response.context["problems"] == [
        "年度数据!C2: a direct score must be within [0, 100] (120)",
        '年度数据!C3: "多" is not a number',
        '年度数据 row 6: unknown county code "999"',
        '年度数据 row 7: unknown item code "A02-1"',
    ]
    assert AnnualInput.objects.count() == 0


def test_unit_workbook_progress_round_trip_and_locked_entry(client, unit_user, lead, world):
    client.force_login(unit_user)
    book = _download(client, "april")
    ws = book["预考核数据"]
    assert [list(r)[:4] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ["4月", "101", "A01", None],
        ["4月", "102", "A01", None],
    ]
    ws["D2"], ws["D3"] = 30, 40
    assert _upload(client, "april", book).status_code == 302
    assert sorted(Progress.objects.values_list("county__code", "value")) == [
        ("101", Decimal(30)),
        ("102", Decimal(40)),
    ]
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.approve_entry(state=state, actor=lead)
    ws["D2"] = 35
    response = _upload(client, "april", book)
    assert response.status_code == 400
    assert response.context["problems"][0].startswith("A01 地区生产总值增速: Approved by lead on")
    assert Progress.objects.get(county__code="101").value == Decimal(30)


def test_unit_workbook_not_a_workbook(client, unit_user, world):
    client.force_login(unit_user)
    url = reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": "april"})
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04garbage")})
    assert response.context["problems"] == ["not an Excel workbook (.xlsx), or it cannot be read"]


def test_unit_workbook_of_a_national_round_is_written_and_read_back_by_jobs(
    client, unit_user, other_unit, world, county, settings, django_capture_on_commit_callbacks
):
    from assessment.models import FileJob

    settings.WORKBOOK_ASYNC_ROWS = 3  # 2 counties × 2 rule items of the unit
    client.force_login(unit_user)
    url = reverse("scoring:unit_workbook_download", kwargs={"year": 2024, "round": "annual"})
    page = client.get(url)
    assert (page.status_code, FileJob.objects.count()) == (200, 0)
    assert 'id="export-start"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url)
    job = FileJob.objects.get()
    assert started["Location"] == reverse("assessment:file_job", kwargs={"job": job.pk})
    job.refresh_from_db()
    assert (job.kind, job.status, job.unit, job.round_code) == (
        "export_unit_workbook", "done", unit_user.unit, "annual",
    )  # fmt: skip
    result = reverse("assessment:file_job_result", kwargs={"job": job.pk})
    body = client.get(started["Location"]).content.decode()
    assert result in body
    assert reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": "annual"}) in body
    download = client.get(result)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    ws = book["年度数据"]
    assert [r[:2] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        ("101", "A01-1"), ("102", "A01-1"), ("101", "A01-2"), ("102", "A01-2"),
    ]  # fmt: skip

    # Back filled in: the upload runs as a job too, with the same checks.
    ws["C2"], ws["C3"] = 91, 72
    buffer = io.BytesIO()
    book.save(buffer)
    upload_url = reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": "annual"})
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            upload_url, {"file": SimpleUploadedFile("填报.xlsx", buffer.getvalue())}
        )
    upload_job = FileJob.objects.get(kind="import_unit_workbook")
    assert posted["Location"] == reverse("assessment:file_job", kwargs={"job": upload_job.pk})
    upload_job.refresh_from_db()
    assert (upload_job.status, upload_job.summary, upload_job.source.name) == (
        "done", {"changed": 2}, "",
    )  # fmt: skip
    assert sorted(
        AnnualInput.objects.filter(actual__isnull=False).values_list("county__code", "actual")
    ) == [("101", Decimal(91)), ("102", Decimal(72))]
    assert "2 cells changed" in client.get(posted["Location"]).content.decode()

    # Another unit's user does not find these jobs.
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="unit-other", role="unit", unit=other_unit))
    assert client.get(started["Location"]).status_code == 404
    assert client.get(result).status_code == 404


def test_unit_workbook_upload_job_lists_every_problem_and_saves_nothing(
    client, unit_user, world, settings, django_capture_on_commit_callbacks
):
    from assessment.models import FileJob

    settings.WORKBOOK_ASYNC_ROWS = 3
    client.force_login(unit_user)
    book = openpyxl.Workbook()
    book.active.title = "年度数据"
    book.active.append(["县区代码", "项目代码", "实际值", "目标值"])
    book.active.append(["999", "A01-1", 5, None])
    book.active.append(["101", "A01-1", "abc", None])
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("scoring:unit_workbook", kwargs={"year": 2024, "round": "annual"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": SimpleUploadedFile("填报.xlsx", buffer.getvalue())})
    job = FileJob.objects.get()
    assert (job.status, job.problem_total) == ("failed", len(job.problems))
    assert job.problem_total >= 2
    assert AnnualInput.objects.filter(actual__isnull=False).count() == 0
    body = client.get(reverse("assessment:file_job", kwargs={"job": job.pk})).content.decode()
    assert 'id="import-problems"' in body
