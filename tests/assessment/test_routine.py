"""The routine assessment archive: records with private attachments, a timeline per county,
counts beside the totals on the results page, and nothing of it for the counties."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.governance.routine import counts_by_county, record_observation
from assessment.models import RoutineRecord

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _record(cycle, county, polarity, day=date(2024, 5, 6), **kwargs):
    return record_observation(
        cycle=cycle, county=county, observed_on=day, source="field_visit", polarity=polarity,
        text=kwargs.pop("text", "实地调研"), **kwargs,
    )  # fmt: skip


def test_counts_by_county(computed, county, other_county):
    _record(computed, county, "positive")
    _record(computed, county, "positive")
    _record(computed, county, "negative")
    _record(computed, other_county, "negative")
    assert counts_by_county(computed) == {county.pk: (2, 1), other_county.pk: (0, 1)}


def test_record_observation_is_audited(computed, county, lead):
    record = _record(computed, county, "positive", actor=lead)
    assert LogEntry.objects.get_for_object(record).get().actor == lead
    assert record.recorded_by == lead


def test_record_observation_needs_text(computed, county):
    with pytest.raises(ValidationError):
        _record(computed, county, "positive", text=" ")
    assert RoutineRecord.objects.count() == 0


def test_results_page_shows_counts_beside_the_total(client, lead, computed, county):
    _record(computed, county, "positive")
    _record(computed, county, "negative")
    _record(computed, county, "negative")
    client.force_login(lead)
    response = client.get(reverse("scoring:results", kwargs={"year": 2024}))
    assert [(r.county.code, r.routine) for r in response.context["county_results"]] == [
        ("101", (1, 2)),
        ("102", (0, 0)),
    ]


def test_routine_page_adds_a_record_with_an_attachment(client, lead, computed, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:routine_records", kwargs={"year": 2024}),
        {"county": county.pk, "observed_on": "2024-03-15", "source": "democratic_life",
         "polarity": "negative", "text": "民主生活会批评和自我批评不够深入",
         "attachment": SimpleUploadedFile("会议记录.png", PNG)},
    )  # fmt: skip
    assert response.status_code == 302
    record = RoutineRecord.objects.get()
    assert (record.county, record.source, record.polarity, record.attachment_name) == (
        county, "democratic_life", "negative", "会议记录.png",
    )  # fmt: skip
    download = client.get(reverse("assessment:routine_attachment", kwargs={"record": record.pk}))
    assert b"".join(download.streaming_content) == PNG


def test_routine_page_keeps_the_input_on_an_error(client, lead, computed, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:routine_records", kwargs={"year": 2024}),
        {"county": county.pk, "source": "audit", "polarity": "positive", "text": "审计整改到位"},
    )
    assert list(response.context["form"].errors) == ["observed_on"]
    assert "审计整改到位</textarea>" in response.content.decode()


def test_timeline_lists_a_county_across_years_newest_first(client, lead, computed, county):
    first = _record(computed, county, "positive", day=date(2024, 2, 1))
    second = _record(computed, county, "negative", day=date(2024, 9, 1))
    client.force_login(lead)
    response = client.get(reverse("assessment:routine_timeline", kwargs={"county": "101"}))
    assert list(response.context["records"]) == [second, first]


def test_counties_never_see_the_archive(client, county_user, computed, county):
    record = _record(computed, county, "positive")
    client.force_login(county_user)
    assert (
        client.get(reverse("assessment:routine_timeline", kwargs={"county": "101"})).status_code
        == 403
    )
    assert (
        client.get(
            reverse("assessment:routine_attachment", kwargs={"record": record.pk})
        ).status_code
        == 403
    )


def test_record_observation_refuses_an_archived_year(computed, county):
    from assessment.models import Cycle

    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    computed.refresh_from_db()
    with pytest.raises(ValidationError):
        _record(computed, county, "positive")
    assert RoutineRecord.objects.count() == 0
