"""Activating a cycle needs its indicator weights to sum to its total points, wherever the
status changes: the service and the admin."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessment.models import Cycle
from assessment.services import set_cycle_status
from tests.factories import CycleFactory, IndicatorFactory


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source strings, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def draft(db):
    cycle = CycleFactory(year=2027, status=Cycle.Status.DRAFT)
    IndicatorFactory(cycle=cycle, code="I1", weight=Decimal("60"))
    IndicatorFactory(cycle=cycle, code="I2", weight=Decimal("35"))
    return cycle


def test_set_cycle_status_weights_short_of_the_total_refused_naming_the_sum(draft, lead):
    with pytest.raises(ValidationError) as caught:
        set_cycle_status(cycle=draft, status=Cycle.Status.ACTIVE, actor=lead)
    assert caught.value.message_dict == {
        "status": ["The weights sum to 95.00, not the total points 100.00."]
    }
    draft.refresh_from_db()
    assert draft.status == Cycle.Status.DRAFT


def test_set_cycle_status_refusal_in_chinese(draft, lead):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        set_cycle_status(cycle=draft, status=Cycle.Status.ACTIVE, actor=lead)
    assert caught.value.messages == ["权重合计 95.00，应为 100.00。"]


def test_set_cycle_status_weights_summing_to_the_total_activates_and_audits(draft, lead):
    IndicatorFactory(cycle=draft, code="I3", weight=Decimal("5"))

    set_cycle_status(cycle=draft, status=Cycle.Status.ACTIVE, actor=lead)

    draft.refresh_from_db()
    entry = LogEntry.objects.get_for_object(draft).order_by("-id").first()
    assert (draft.status, entry.actor, entry.changes_dict["status"]) == (
        "active",
        lead,
        ["draft", "active"],
    )


def test_set_cycle_status_archiving_needs_no_weight_check(draft, lead):
    set_cycle_status(cycle=draft, status=Cycle.Status.ARCHIVED, actor=lead)
    draft.refresh_from_db()
    assert draft.status == Cycle.Status.ARCHIVED


def test_admin_cycle_activation_with_wrong_weights_shows_the_error_at_the_status(
    client, draft, lead
):
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)
    data = {
        "year": "2027", "status": "active", "total_points": "100", "excellent_ratio": "0.30",
        "excellent_line": "", "good_line": "0.80", "fair_line": "0.60", "bonus_cap": "",
        "rounds-TOTAL_FORMS": "0", "rounds-INITIAL_FORMS": "0",
        "rounds-MIN_NUM_FORMS": "0", "rounds-MAX_NUM_FORMS": "1000",
    }  # fmt: skip

    response = client.post(reverse("admin:assessment_cycle_change", args=[draft.pk]), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "status": ["The weights sum to 95.00, not the total points 100.00."]
    }
    draft.refresh_from_db()
    assert draft.status == Cycle.Status.DRAFT

    IndicatorFactory(cycle=draft, code="I3", weight=Decimal("5"))
    response = client.post(reverse("admin:assessment_cycle_change", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    entry = LogEntry.objects.get_for_object(draft).order_by("-id").first()
    assert (draft.status, entry.actor) == ("active", lead)
