"""The lead department's rounds page, round settings, close and reopen buttons, the round
summary and its workbook download."""

from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from alerts.models import Warning
from alerts.services import close_round
from assessment.models import Round
from tests.alerts.world import build_april
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    ProgressFactory,
    RoundFactory,
)


@pytest.fixture
def april(db):
    return build_april()


def kw(rnd, **extra):
    return {"year": rnd.cycle.year, "round": rnd.code, **extra}


def test_round_settings_are_saved_and_audited(client, lead, april):
    client.force_login(lead)
    response = client.post(
        reverse("alerts:round_edit", kwargs=kw(april)),
        {
            "name": "4月预考核", "opens_on": "2025-04-01", "closes_on": "2025-04-28",
            "expected_progress": "30", "tolerance": "8", "diagnosis_threshold": "2",
        },
    )  # fmt: skip
    april.refresh_from_db()
    assert response.status_code == 302
    assert (str(april.closes_on), april.expected_progress, april.tolerance) == (
        "2025-04-28", D("30.00"), D("8.00"),
    )  # fmt: skip
    entry = LogEntry.objects.get_for_object(april).latest("timestamp")
    assert (entry.actor, entry.changes_dict["closes_on"]) == (lead, ["None", "2025-04-28"])


def test_round_closing_before_opening_is_reshown_with_the_error(client, lead, april):
    client.force_login(lead)
    response = client.post(
        reverse("alerts:round_edit", kwargs=kw(april)),
        {
            "name": "4月预考核", "opens_on": "2025-04-30", "closes_on": "2025-04-01",
            "expected_progress": "33.33", "tolerance": "10", "diagnosis_threshold": "3",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "closes_on": ["The round cannot close before it opens."]
    }


def test_lead_adds_a_round(client, lead, april):
    client.force_login(lead)
    client.post(
        reverse("alerts:round_add", kwargs={"year": april.cycle.year}),
        {
            "code": "june", "name": "6月预考核", "opens_on": "2025-06-01",
            "closes_on": "2025-06-30", "expected_progress": "50", "tolerance": "10",
            "diagnosis_threshold": "3",
        },
    )  # fmt: skip
    june = Round.objects.get(cycle=april.cycle, code="june")
    assert (june.kind, june.status, june.expected_progress) == ("pre", "pending", D("50.00"))


def test_adding_a_round_with_a_taken_code_is_refused(client, lead, april):
    client.force_login(lead)
    response = client.post(
        reverse("alerts:round_add", kwargs={"year": april.cycle.year}),
        {"code": "april", "name": "x", "opens_on": "2025-06-01", "closes_on": "2025-06-30",
         "expected_progress": "50", "tolerance": "10", "diagnosis_threshold": "3"},
    )  # fmt: skip
    assert response.context["form"].errors == {
        "code": ["The cycle already has a round with this code."]
    }


def test_close_button_closes_and_shows_the_summary(client, lead, april):
    client.force_login(lead)
    response = client.post(reverse("alerts:round_close", kwargs=kw(april)))
    april.refresh_from_db()
    assert response["Location"] == reverse("alerts:round_summary", kwargs=kw(april))
    assert (april.status, Warning.objects.filter(round=april).count()) == ("closed", 9)
    entry = LogEntry.objects.get_for_object(april).latest("timestamp")
    assert (entry.actor, entry.changes_dict["event"][1]) == (lead, "close_round")


def test_reopen_needs_a_reason_and_is_audited_with_it(client, lead, april):
    close_round(round=april, notify=False)
    client.force_login(lead)
    url = reverse("alerts:round_reopen", kwargs=kw(april))
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "市统计局更正了报送数据"})
    april.refresh_from_db()
    entry = LogEntry.objects.get_for_object(april).latest("timestamp")
    assert april.status == "open"
    assert entry.additional_data == {"reason": "市统计局更正了报送数据"}


def test_summary_marks_warnings_sorts_and_lists_flagged(client, lead, april):
    close_round(round=april, notify=False)
    client.force_login(lead)
    response = client.get(
        reverse("alerts:round_summary", kwargs=kw(april)), {"sort": "I1", "dir": "desc"}
    )
    rows = response.context["rows"]
    assert [r.county.code for r in rows] == ["101", "102", "103", "104", "105"]
    assert [r.warning_count for r in rows] == [0, 1, 3, 3, 2]
    assert [r.county.code for r in response.context["flagged_rows"]] == ["103", "104"]
    i1 = dict((ind.code, d) for ind, d in response.context["distribution"])["I1"]
    assert (i1["reported"], i1["min"], i1["max"], i1["median"], i1["behind"], i1["warned"]) == (
        5, D("20"), D("90"), D("70"), 1, 3,
    )  # fmt: skip


def test_summary_filters_counties_with_warnings_and_sorts_by_warnings(client, lead, april):
    close_round(round=april, notify=False)
    client.force_login(lead)
    response = client.get(
        reverse("alerts:round_summary", kwargs=kw(april)),
        {"only": "warned", "sort": "warnings", "dir": "desc"},
    )
    assert [r.county.code for r in response.context["rows"]] == ["103", "104", "105", "102"]


def test_summary_downloads_the_warnings_workbook(client, lead, april):
    close_round(round=april, notify=False)
    client.force_login(lead)
    response = client.get(reverse("alerts:round_warnings_xlsx", kwargs=kw(april)))
    book = openpyxl.load_workbook(BytesIO(response.content))
    rows = list(book["预警"].iter_rows(values_only=True))
    assert rows[0] == ("县区代码", "指标代码", "原因", "进度")
    assert rows[1:4] == [("102", "I2", "后三名", 40), ("103", "I1", "后三名", 70),
                         ("103", "I2", "后三名", 30)]  # fmt: skip
    assert list(book["会诊"].iter_rows(values_only=True)) == [
        ("县区代码", "预警指标数"), ("103", 3), ("104", 3),
    ]  # fmt: skip


def test_warnings_workbook_of_a_national_round_is_written_by_a_job(
    client, lead, april, settings, django_capture_on_commit_callbacks
):
    from assessment.models import FileJob

    close_round(round=april, notify=False)
    settings.WORKBOOK_ASYNC_ROWS = 3  # the round has 9 warnings
    client.force_login(lead)
    url = reverse("alerts:round_warnings_xlsx", kwargs=kw(april))
    page = client.get(url)
    assert (page.status_code, FileJob.objects.count()) == (200, 0)
    assert april.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = FileJob.objects.get()
    assert response["Location"] == reverse("assessment:file_job", kwargs={"job": job.pk})
    job.refresh_from_db()
    assert (job.kind, job.status, job.round_code) == ("export_warnings", "done", "april")
    assert job.result.name.endswith(f"warnings-{april.cycle.year}-april.xlsx")
    body = client.get(response["Location"]).content.decode()
    assert reverse("alerts:round_summary", kwargs=kw(april)) in body  # the way back
    download = client.get(reverse("assessment:file_job_result", kwargs={"job": job.pk}))
    book = openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content)))
    rows = list(book["预警"].iter_rows(values_only=True))
    assert len(rows) == 1 + 9 and rows[1] == ("102", "I2", "后三名", 40)


def test_warnings_workbook_job_of_a_removed_round_fails_with_the_reason(lead, april):
    from assessment.jobs.services import run_job
    from assessment.models import FileJob

    job = FileJob.objects.create(
        kind="export_warnings", year=april.cycle.year, round_code="march", language="en"
    )
    run_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.problems) == (
        "failed",
        [f"The round march of {april.cycle.year} no longer exists."],
    )


@pytest.mark.parametrize("size", [1, 3])
def test_summary_query_count_is_constant(client, lead, size, django_assert_num_queries):
    cycle = CycleFactory(year=2026)
    counties = [CountyFactory(code=f"1{n:02d}") for n in range(size)]
    cycle.counties.set(counties)
    rnd = RoundFactory(cycle=cycle)
    for n in range(size):
        ind = IndicatorFactory(cycle=cycle, order=n)
        for county in counties:
            ProgressFactory(round=rnd, indicator=ind, county=county, value=D(10 * n))
    close_round(round=rnd, notify=False)
    client.force_login(lead)
    # 13 + 3 for the indicators not delivered (deliveries, entries, indicators).
    with django_assert_num_queries(16):
        response = client.get(reverse("alerts:round_summary", kwargs=kw(rnd)))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 3])
def test_close_preview_query_count_is_constant(client, lead, size, django_assert_num_queries):
    cycle = CycleFactory(year=2026)
    counties = [CountyFactory(code=f"1{n:02d}") for n in range(size)]
    cycle.counties.set(counties)
    rnd = RoundFactory(cycle=cycle)
    for n in range(size):
        ind = IndicatorFactory(cycle=cycle, order=n)
        for county in counties:
            ProgressFactory(round=rnd, indicator=ind, county=county, value=D(10 * n))
    client.force_login(lead)
    with django_assert_num_queries(16):
        response = client.get(reverse("alerts:round_close", kwargs=kw(rnd)))
    assert len(response.context["preview"].undelivered) == size


def test_rounds_page_counts_warnings_and_flags_of_each_round(client, lead, april):
    close_round(round=april, notify=False)
    client.force_login(lead)
    response = client.get(reverse("alerts:rounds", kwargs={"year": april.cycle.year}))
    rows = [(r.code, r.warning_count, r.flag_count) for r in response.context["rounds"]]
    assert rows == [("april", 9, 2)]


def test_open_button_opens_a_pending_round_and_audits(client, lead, april):
    Round.objects.filter(pk=april.pk).update(status=Round.Status.PENDING)
    client.force_login(lead)
    client.post(reverse("alerts:round_open", kwargs=kw(april)))
    april.refresh_from_db()
    entry = LogEntry.objects.get_for_object(april).latest("timestamp")
    assert (april.status, entry.actor, entry.changes_dict["event"][1]) == (
        "open", lead, "open_round",
    )  # fmt: skip
