"""Rectification and follow-up review: plan, completion with evidence, review (close or send
back), history, overdue, the deadline reminder."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alerts.models import Rectification, Warning
from alerts.rectifications import RectificationRefused, remind_deadlines, review
from alerts.tasks import remind_rectification_deadlines_task
from assessment.models import User
from tests.factories import RectificationFactory, UserFactory, WarningFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def rect(county, county_user):
    county_user.email = "county-101@example.org"
    county_user.save()
    warning = WarningFactory(county=county, status=Warning.Status.ANSWERED)
    return RectificationFactory(warning=warning, deadline=dt.date(2099, 6, 30))


def url(name, rect):
    return reverse(f"alerts:{name}", kwargs={"rectification": rect.pk})


def complete(client, rect, name="整改报告.pdf", content=PDF):
    return client.post(
        url("rectification_complete", rect),
        {"completion": "已完成专项整治", "evidence": SimpleUploadedFile(name, content)},
    )


def test_county_reports_completion_with_evidence(client, rect, county_user, lead):
    client.force_login(county_user)
    response = complete(client, rect)
    rect.refresh_from_db()
    assert response.status_code == 302
    assert (rect.status, rect.completion, rect.evidence_name) == (
        "submitted", "已完成专项整治", "整改报告.pdf",
    )  # fmt: skip
    client.force_login(lead)
    download = client.get(url("rectification_evidence", rect))
    assert b"".join(download.streaming_content) == PDF  # read through: the file is closed


def test_completion_with_a_file_that_is_not_a_document_is_refused(client, rect, county_user):
    client.force_login(county_user)
    response = complete(client, rect, name="report.pdf", content=b"MZ\x90\x00 not a pdf")
    rect.refresh_from_db()
    assert response.status_code == 200
    assert "is not a PDF, an office document or an image" in str(
        response.context["completion_form"].errors["evidence"]
    )
    assert (rect.status, rect.evidence_name) == ("planned", "")


def test_lead_reviews_and_closes(client, rect, county_user, lead):
    client.force_login(county_user)
    complete(client, rect)
    client.force_login(lead)
    client.post(url("rectification_review", rect), {"decision": "close", "comment": "已核实"})
    rect.refresh_from_db()
    rect.warning.refresh_from_db()
    assert (rect.status, rect.review_comment, rect.warning.status) == ("closed", "已核实", "closed")
    steps = [(s.action, s.actor.username) for s in rect.steps.order_by("pk")]
    assert steps == [("completed", "county-101"), ("closed", "lead")]
    updates = LogEntry.objects.get_for_object(rect).filter(action=LogEntry.Action.UPDATE)
    assert sorted(e.actor.username for e in updates) == ["county-101", "lead"]


def test_lead_sends_back_with_a_comment_and_county_reports_again(client, rect, county_user, lead):
    client.force_login(county_user)
    complete(client, rect)
    client.force_login(lead)
    empty = client.post(url("rectification_review", rect), {"decision": "return", "comment": ""})
    assert empty.status_code == 200
    client.post(url("rectification_review", rect), {"decision": "return", "comment": "缺少佐证"})
    rect.refresh_from_db()
    assert (rect.status, rect.review_comment) == ("returned", "缺少佐证")
    client.force_login(county_user)
    complete(client, rect)
    rect.refresh_from_db()
    assert rect.status == "submitted"
    assert [s.action for s in rect.steps.order_by("pk")] == ["completed", "returned", "completed"]


def test_review_of_a_plan_not_reported_done_is_refused(rect, lead):
    with pytest.raises(RectificationRefused):
        review(rectification=rect, actor=lead, close=True, comment="")


def test_overdue_rectification_is_highlighted(client, county, county_user):
    RectificationFactory(warning=WarningFactory(county=county), deadline=dt.date(2020, 1, 1))
    client.force_login(county_user)
    response = client.get(reverse("alerts:rectifications"), {"status": "overdue"})
    body = response.content.decode()
    assert len(response.context["page"].object_list) == 1
    assert 'class="table-danger"' in body and "Overdue" in body


def test_reminder_is_sent_once_days_before_the_deadline(rect, settings):
    settings.RECTIFICATION_REMINDER_DAYS = 3
    assert remind_deadlines(today=dt.date(2099, 6, 26)) == 0  # four days before
    assert remind_deadlines(today=dt.date(2099, 6, 27)) == 1
    assert remind_deadlines(today=dt.date(2099, 6, 28)) == 0
    assert [m.to for m in mail.outbox] == [["county-101@example.org"]]
    assert "2099-06-30" in mail.outbox[0].subject
    assert [s.action for s in rect.steps.all()] == ["reminded"]


def test_reminder_skips_closed_rectifications(rect):
    Rectification.objects.filter(pk=rect.pk).update(status=Rectification.Status.CLOSED)
    assert remind_deadlines(today=dt.date(2099, 6, 29)) == 0


def test_reminder_job_is_on_the_beat_schedule(settings, db):
    entry = settings.CELERY_BEAT_SCHEDULE["alerts-rectification-reminders"]
    assert entry["task"] == remind_rectification_deadlines_task.name
    assert remind_rectification_deadlines_task.delay().get() == {"reminded": 0}


def test_unit_reads_the_rectification_of_a_warning_on_its_indicator(client, rect):
    unit_user = UserFactory(username="u", role=User.Role.UNIT, unit=rect.warning.indicator.unit)
    client.force_login(unit_user)
    assert client.get(url("rectification", rect)).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_rectification_list_query_count_is_constant(
    client, lead, county, count, django_assert_num_queries
):
    for _ in range(count):
        RectificationFactory(warning=WarningFactory(county=county))
    client.force_login(lead)
    with django_assert_num_queries(5):
        response = client.get(reverse("alerts:rectifications"))
    assert len(response.context["page"].object_list) == count


def test_admin_shows_rectifications_read_only(client, rect, lead):
    lead.is_staff = lead.is_superuser = True  # as the demo's lead account
    lead.save()
    client.force_login(lead)
    change = reverse("admin:alerts_rectification_change", args=[rect.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(reverse("admin:alerts_rectification_add")).status_code == 403
