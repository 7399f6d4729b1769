"""Every email in its recipient's language (``User.language``): a county whose users read
Chinese and English gets one email per language."""

import datetime as dt

import pytest
from django.core import mail

from alerts.delivery import notify_round
from alerts.diagnosis import notify_case, open_case, send_recommendations, update_case
from alerts.models import Warning
from alerts.rectifications import remind_deadlines
from alerts.services import close_round
from assessment.mail import recipients_by_language
from assessment.models import County, User
from tests.alerts.world import build_april
from tests.factories import RectificationFactory, UserFactory, WarningFactory


@pytest.fixture
def april(db):
    rnd = build_april()
    for code in ("103", "105"):
        UserFactory(
            username=f"county-{code}-en", role=User.Role.COUNTY,
            county=County.objects.get(code=code), email=f"county-{code}-en@example.org",
            language=User.Language.EN,
        )  # fmt: skip
    return rnd


def test_user_language_defaults_to_chinese(db):
    assert User(username="new").language == "zh-hans"


def test_recipients_are_grouped_by_language_without_inactive_or_blank():
    users = [
        User(username="a", email="a@x.org", language="en"),
        User(username="b", email="b@x.org"),
        User(username="c", email="", language="en"),
        User(username="d", email="d@x.org", is_active=False),
    ]
    assert recipients_by_language(users) == {"zh-hans": ["b@x.org"], "en": ["a@x.org"]}


def test_warnings_email_goes_to_each_user_in_their_language(april):
    close_round(round=april, notify=False)
    summary = notify_round(round=april)
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert (summary.counties, summary.emails, len(mail.outbox)) == (4, 6, 6)
    assert by_recipient[("county-105@example.org",)].subject == (
        "【预警】2025年4月预考核：2项指标预警"
    )
    english = by_recipient[("county-105-en@example.org",)]
    assert english.subject == "[Warning] 2025 4月预考核: 2 indicators warned"
    assert "Read the warnings and answer them with a rectification plan:" in english.body
    assert Warning.objects.filter(round=april, notified_at__isnull=True).count() == 0


def test_case_email_goes_in_each_users_language(april, lead):
    close_round(round=april, notify=False)
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    update_case(case=case, actor=lead, experts=[], recommendations="建立周调度机制")
    send_recommendations(case=case, actor=lead)  # its email waits for the commit
    assert notify_case(case_id=case.pk) == 2
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("county-103-en@example.org",
         "[Diagnosis] Recommendations of the expert diagnosis, 2025 4月预考核"),
        ("county-103@example.org", "[会诊] 2025年4月预考核专家会诊整改建议"),
    ]  # fmt: skip


def test_reminder_goes_in_each_users_language(april, settings):
    settings.RECTIFICATION_REMINDER_DAYS = 3
    county = County.objects.get(code="105")
    RectificationFactory(warning=WarningFactory(county=county), deadline=dt.date(2099, 6, 30))
    assert remind_deadlines(today=dt.date(2099, 6, 28)) == 1
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects[0] == (
        "county-105-en@example.org",
        "[Reminder] A rectification is due on 2099-06-30",
    )
    assert subjects[1][0] == "county-105@example.org" and "2099-06-30" in subjects[1][1]
    assert "Reminder" not in subjects[1][1]
