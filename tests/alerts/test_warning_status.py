"""Warning status changes: who, when, before and after, through one service."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from alerts.models import Warning
from alerts.services import set_warning_status
from tests.factories import CountyFactory, IndicatorFactory, RoundFactory


@pytest.fixture
def warning(db):
    rnd = RoundFactory(cycle__year=2025)
    return Warning.objects.create(
        cycle=rnd.cycle,
        round=rnd,
        county=CountyFactory(code="101"),
        indicator=IndicatorFactory(cycle=rnd.cycle, code="I1"),
        behind_target=True,
        progress=Decimal("10"),
        expected=Decimal("33.33"),
    )


def test_set_warning_status_records_who_before_and_after(warning, lead):
    set_warning_status(warning=warning, status=Warning.Status.READ, actor=lead)

    warning.refresh_from_db()
    entry = LogEntry.objects.get_for_object(warning).get()
    assert (warning.status, entry.actor, entry.action, entry.changes_dict) == (
        "read",
        lead,
        LogEntry.Action.UPDATE,
        {"status": ["issued", "read"]},
    )


def test_set_warning_status_same_status_writes_nothing(warning, lead):
    set_warning_status(warning=warning, status=Warning.Status.ISSUED, actor=lead)
    assert LogEntry.objects.get_for_object(warning).count() == 0


def test_warning_admin_status_change_is_audited(client, warning, lead):
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)

    response = client.post(
        reverse("admin:alerts_warning_change", args=[warning.pk]), {"status": "answered"}
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(warning).get()
    assert (entry.actor, entry.changes_dict) == (lead, {"status": ["issued", "answered"]})
