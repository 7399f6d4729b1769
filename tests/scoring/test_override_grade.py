"""Grade overrides: who and when, a required reason, one audit entry, through the admin too."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from scoring.models import CountyResult, Grade
from scoring.results.services import compute_results, override_grade


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source strings, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def result(computed, county):
    # 101 scores 86.00 of 100: good.
    return CountyResult.objects.get(cycle=computed, county=county)


def _entries(result):
    return list(LogEntry.objects.get_for_object(result).order_by("id"))


def test_override_grade_records_who_when_and_why(result, lead):
    before = len(_entries(result))
    override_grade(result=result, grade=Grade.EXCELLENT, reason="省级表彰", actor=lead)

    result.refresh_from_db()
    assert (result.grade, result.override_reason, result.override_by) == (
        "excellent",
        "省级表彰",
        lead,
    )
    assert result.override_at is not None
    entries = _entries(result)
    assert len(entries) == before + 1
    assert (entries[-1].actor, entries[-1].changes_dict["grade_override"]) == (
        lead,
        ["", "excellent"],
    )
    assert entries[-1].additional_data == {"reason": "省级表彰"}


def test_override_grade_without_reason_is_refused(result, lead):
    with pytest.raises(ValidationError) as caught:
        override_grade(result=result, grade=Grade.FAIR, reason="  ", actor=lead)
    assert caught.value.messages == ["A grade override needs a written reason."]
    result.refresh_from_db()
    assert (result.grade_override, result.override_by) == ("", None)


def test_override_grade_cleared_clears_who_and_when(result, lead):
    override_grade(result=result, grade=Grade.FAIR, reason="复核", actor=lead)
    override_grade(result=result, grade="", reason="撤销调整", actor=lead)

    result.refresh_from_db()
    assert (result.grade, result.grade_override, result.override_reason) == ("good", "", "")
    assert (result.override_by, result.override_at) == (None, None)
    assert _entries(result)[-1].additional_data == {"reason": "撤销调整"}


def test_override_grade_kept_by_a_recomputation(result, computed, lead):
    override_grade(result=result, grade=Grade.FAIR, reason="复核", actor=lead)
    compute_results(cycle=computed)
    result.refresh_from_db()
    assert (result.grade, result.override_by) == ("fair", lead)


def test_admin_grade_override_records_who_and_when(client, result, lead):
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)

    response = client.post(
        reverse("admin:scoring_countyresult_change", args=[result.pk]),
        {"grade_override": "excellent", "override_reason": "省级表彰"},
    )

    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.grade, result.override_by) == ("excellent", lead)
    assert result.override_at is not None
    assert _entries(result)[-1].actor == lead


def test_admin_grade_override_cleared_without_reason_shows_the_error(client, result, lead):
    override_grade(result=result, grade=Grade.FAIR, reason="复核", actor=lead)
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)

    response = client.post(
        reverse("admin:scoring_countyresult_change", args=[result.pk]),
        {"grade_override": "", "override_reason": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "override_reason": ["A grade override needs a written reason."]
    }
    result.refresh_from_db()
    assert result.grade_override == "fair"
