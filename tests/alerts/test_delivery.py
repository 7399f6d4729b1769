"""Point-to-point delivery: the emails after a closing (each warning once), who sees which
warnings, unread marks."""

import pytest
from auditlog.models import LogEntry
from django.core import mail

from alerts.delivery import (
    county_warnings,
    mark_read,
    notify_round,
    unread_count,
    visible_warnings,
)
from alerts.models import Warning
from alerts.services import close_round
from assessment.models import User
from indicators.models import Indicator
from tests.alerts.world import build_april
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def april(db):
    return build_april()


def test_closing_emails_each_warned_county_once_after_the_commit(
    april, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        close_round(round=april)
    assert len(callbacks) == 1
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == [f"county-{c}@example.org" for c in ("102", "103", "104", "105")]
    # County 105: I1 (bottom three, behind target) and I2 (likewise).
    message = by_recipient["county-105@example.org"]
    assert message.subject == "【预警】2025年4月预考核：2项指标预警"
    assert "I1" in message.body and "后三名、进度滞后" in message.body
    assert "http://localhost:8000/warnings/" in message.body


def test_closing_again_sends_no_second_email(april, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        close_round(round=april)
    with django_capture_on_commit_callbacks(execute=True):
        close_round(round=april)
    assert len(mail.outbox) == 4
    assert notify_round(round=april).emails == 0


def test_notify_claims_warnings_of_counties_without_addresses_too(april):
    close_round(round=april, notify=False)
    User.objects.filter(username="county-104").update(email="")
    summary = notify_round(round=april)
    assert (summary.counties, summary.emails, len(mail.outbox)) == (4, 3, 3)
    assert Warning.objects.filter(round=april, notified_at__isnull=True).count() == 0


def test_county_sees_only_its_own_warnings(april):
    close_round(round=april, notify=False)
    user = User.objects.get(username="county-104")
    codes = sorted((w.county.code, w.indicator.code) for w in visible_warnings(user))
    assert codes == [("104", "I1"), ("104", "I2"), ("104", "I3")]


def test_unit_sees_the_warnings_on_its_indicators(april):
    close_round(round=april, notify=False)
    unit = UnitFactory(code="TJJ")
    Indicator.objects.filter(cycle=april.cycle, code="I2").update(unit=unit)
    user = UserFactory(username="unit-TJJ", role=User.Role.UNIT, unit=unit)
    codes = sorted((w.county.code, w.indicator.code) for w in visible_warnings(user))
    assert codes == [("102", "I2"), ("103", "I2"), ("104", "I2"), ("105", "I2")]


def test_mark_read_counts_down_the_unread_once_and_is_audited(april):
    close_round(round=april, notify=False)
    user = User.objects.get(username="county-103")
    warning = Warning.objects.get(county__code="103", indicator__code="I1")
    assert unread_count(user, april.cycle) == 3
    assert mark_read(warning=warning, user=user) is True
    assert mark_read(warning=warning, user=user) is False
    warning.refresh_from_db()
    read, status = LogEntry.objects.get_for_object(warning).order_by("pk")
    assert (unread_count(user, april.cycle), warning.status) == (2, "read")
    assert (read.actor, read.changes_dict["event"][1], status.actor) == (user, "read", user)
    assert status.changes_dict["status"] == ["issued", "read"]


def test_mark_read_by_the_lead_changes_nothing(april, lead):
    close_round(round=april, notify=False)
    warning = Warning.objects.get(county__code="103", indicator__code="I1")
    assert mark_read(warning=warning, user=lead) is False
    warning.refresh_from_db()
    assert (warning.read_at, warning.status) == (None, "issued")


def test_county_warnings_lists_current_ones_with_rectification_state(april):
    close_round(round=april, notify=False)
    county = User.objects.get(username="county-104").county
    rows = county_warnings(county=county, cycle=april.cycle)
    assert [(w.indicator.code, w.reasons) for w in rows] == [
        ("I1", ["bottom_three"]),
        ("I2", ["not_reported"]),
        ("I3", ["behind_target"]),
    ]
