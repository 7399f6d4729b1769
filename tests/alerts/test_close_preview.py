"""The closing preview (GET of the close button) and the units' reminders: what closing
would do, without writing; the indicators not delivered get no warnings and their units are
reminded once."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import UnitReminder, Warning
from alerts.preview import preview_close
from alerts.reminders import remind_due, remind_units
from alerts.services import close_round
from assessment.models import Round, User
from scoring.models import Delivery, EntryState
from tests.alerts.world import build_april
from tests.factories import IndicatorFactory, UnitFactory, UserFactory


@pytest.fixture
def april(db):
    rnd = build_april()
    # I4 (市统计局): its data not delivered — a draft; I5 (same unit): not started.
    unit = UnitFactory(code="TJJ", name="市统计局")
    UserFactory(username="tjj", role=User.Role.UNIT, unit=unit, email="tjj@example.org")
    i4 = IndicatorFactory(cycle=rnd.cycle, code="I4", order=4, unit=unit)
    IndicatorFactory(cycle=rnd.cycle, code="I5", order=5, unit=unit)
    Delivery.objects.filter(round=rnd, indicator__code__in=["I4", "I5"]).delete()
    EntryState.objects.create(cycle=rnd.cycle, round=rnd, indicator=i4, status="draft")
    return rnd


def test_preview_close_counts_what_closing_would_do_and_writes_nothing(april):
    preview = preview_close(round=april)
    assert (preview.warnings, preview.created, preview.replaced) == (9, 9, 0)
    assert [n for _label, n in preview.by_reason] == [6, 3, 2]
    assert [(x.county.code, x.warnings, x.new, x.flagged, x.emailed) for x in preview.counties] == [
        ("102", 1, 1, False, True),
        ("103", 3, 3, True, True),
        ("104", 3, 3, True, True),
        ("105", 2, 2, False, True),
    ]
    assert [x.county.code for x in preview.flagged] == ["103", "104"]
    assert [
        (u.indicator.code, u.state.status if u.state else None) for u in preview.undelivered
    ] == [
        ("I4", "draft"),
        ("I5", None),
    ]
    assert (preview.county_emails, preview.unit_emails, preview.emailed_unit_names) == (
        4, 1, "市统计局",
    )  # fmt: skip
    april.refresh_from_db()
    assert (april.status, Warning.objects.count(), UnitReminder.objects.count()) == ("open", 0, 0)


def test_preview_names_who_gets_no_email_for_want_of_an_address(client, lead, april):
    """A county and a unit an email is due to, whose accounts have no address: the page says
    so, since nobody else will tell them."""
    User.objects.filter(county__code="103").update(email="")
    User.objects.filter(username="tjj").update(email="")
    preview = preview_close(round=april)
    assert (preview.county_emails, preview.unit_emails) == (3, 0)
    assert [x.county.code for x in preview.counties if x.unreachable] == ["103"]
    county_103 = next(x.county.name for x in preview.counties if x.county.code == "103")
    assert preview.unreachable_names == f"{county_103}、市统计局"
    chinese = Client()
    chinese.force_login(lead)
    text = chinese.get(
        reverse("alerts:round_close", kwargs={"year": 2025, "round": "april"})
    ).content.decode()
    assert f"收不到邮件：{county_103}、市统计局。" in text


def test_preview_with_every_address_names_nobody(april):
    assert preview_close(round=april).unreachable_names == ""


def test_preview_after_closing_issues_nothing_new(april):
    close_round(round=april, notify=False)
    preview = preview_close(round=april)
    assert (preview.warnings, preview.created, preview.replaced) == (9, 0, 0)
    # Not notified yet (notify=False): the kept warnings are emailed with the next closing.
    assert preview.county_emails == 4


def test_close_page_shows_the_preview_then_confirming_closes(client, lead, april):
    client.force_login(lead)
    url = reverse("alerts:round_close", kwargs={"year": 2025, "round": "april"})
    chinese = Client()  # the pages' own language
    chinese.force_login(lead)
    page = chinese.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "单位未报送" in text and "I5" in text and "市统计局" in text
    assert Warning.objects.count() == 0
    response = client.post(url)
    assert response["Location"] == reverse(
        "alerts:round_summary", kwargs={"year": 2025, "round": "april"}
    )
    assert Warning.objects.filter(replaced_at=None).count() == 9
    assert not Warning.objects.filter(indicator__code__in=["I4", "I5"]).exists()


def test_closing_reminds_the_unit_once_of_what_it_did_not_deliver(
    april, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        close_round(round=april)
    to_unit = [m for m in mail.outbox if m.to == ["tjj@example.org"]]
    assert [m.subject for m in to_unit] == ["【未报送】2025年4月预考核：2项指标"]
    assert "I4" in to_unit[0].body and "I5" in to_unit[0].body and "草稿" in to_unit[0].body
    assert sorted(UnitReminder.objects.values_list("indicator__code", "kind")) == [
        ("I4", "late"),
        ("I5", "late"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        close_round(round=april)
    assert len([m for m in mail.outbox if m.to == ["tjj@example.org"]]) == 1
    assert remind_units(round=april, kind="late") == 0


def test_delivered_later_closing_again_issues_its_warnings_and_keeps_the_others(april):
    close_round(round=april, notify=False)
    before = set(Warning.objects.filter(replaced_at=None).values_list("pk", flat=True))
    i5 = april.cycle.indicators.get(code="I5")
    Delivery.objects.create(
        cycle=april.cycle, round=april, indicator=i5, source="import",
        delivered_at=april.cycle.created_at,
    )  # fmt: skip
    summary = close_round(round=april, notify=False)
    assert (summary.warnings, summary.created, summary.replaced) == (9 + 5, 5, 0)
    assert summary.undelivered == ("I4",)
    now = set(Warning.objects.filter(replaced_at=None).values_list("pk", flat=True))
    assert before < now
    # I5 has no progress: each of the five counties is not reported.
    assert sorted(
        Warning.objects.filter(indicator=i5).values_list("county__code", "not_reported")
    ) == [("101", True), ("102", True), ("103", True), ("104", True), ("105", True)]


def test_units_are_reminded_before_the_closing_date_of_what_they_have_not_submitted(
    april, settings
):
    settings.UNIT_REMINDER_DAYS = 3
    Round.objects.filter(pk=april.pk).update(
        status=Round.Status.OPEN, closes_on=dt.date(2025, 4, 30)
    )
    assert remind_due(today=dt.date(2025, 4, 26)) == 0  # 4 days before: not yet
    assert remind_due(today=dt.date(2025, 4, 27)) == 1
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["tjj@example.org"], "【催报】2025年4月预考核：2项数据待提交",
    )  # fmt: skip
    assert "2025-04-30" in message.body
    assert remind_due(today=dt.date(2025, 4, 28)) == 0  # once per round and entry
    # A submitted entry waits for the lead department: its unit is not reminded.
    EntryState.objects.filter(round=april).update(status="submitted")
    UnitReminder.objects.all().delete()
    assert remind_due(today=dt.date(2025, 4, 28)) == 1
    assert "I4" not in mail.outbox[1].body and "I5" in mail.outbox[1].body


def test_daily_job_sends_the_late_reminders_a_closing_could_not_queue(april, settings):
    settings.UNIT_REMINDER_DAYS = 3
    close_round(round=april, notify=False)
    today = timezone.localdate(april.closed_at)
    assert remind_due(today=today + dt.timedelta(days=4)) == 0  # closed too long ago
    assert remind_due(today=today + dt.timedelta(days=1)) == 1
    assert [m.subject for m in mail.outbox] == ["【未报送】2025年4月预考核：2项指标"]
    assert remind_due(today=today + dt.timedelta(days=2)) == 0
