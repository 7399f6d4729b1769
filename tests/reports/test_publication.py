import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from reports.models import Publication
from reports.publication import PublicationRefused, is_published, publish, withdraw
from scoring.results.services import compute_results
from tests.pages import build_cycle


def _entries(publication):
    return list(
        LogEntry.objects.get_for_object(publication)
        .order_by("id")
        .values_list("additional_data", "actor__username")
    )


def test_publish_sets_the_state_and_audits(lead, computed):
    publication = publish(cycle=computed, actor=lead, objection_days=10)
    publication.refresh_from_db()
    assert (publication.published, publication.published_by, publication.objection_days) == (
        True,
        lead,
        10,
    )
    assert is_published(computed) is True
    assert _entries(publication) == [({"event": "publish_results"}, "lead")]


def test_publish_refuses_uncomputed_results(lead, unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [(90, 80)], units=(unit, other_unit), compute=False)
    with pytest.raises(PublicationRefused, match="2024"):
        publish(cycle=cycle, actor=lead)
    assert Publication.objects.count() == 0


def test_publish_twice_is_refused(lead, published):
    with pytest.raises(PublicationRefused, match="2024"):
        publish(cycle=published, actor=lead)


def test_withdraw_keeps_the_row_and_audits_the_reason(lead, published):
    publication = withdraw(cycle=published, actor=lead, reason="数据复核")
    assert (publication.published, publication.withdrawn_at is not None) == (False, True)
    assert is_published(published) is False
    assert _entries(publication) == [
        ({"event": "publish_results"}, "lead"),
        ({"event": "withdraw_results", "reason": "数据复核"}, "lead"),
    ]


def test_withdraw_unpublished_is_refused(lead, computed):
    with pytest.raises(PublicationRefused, match="2024"):
        withdraw(cycle=computed, actor=lead, reason="x")


def test_recomputing_published_results_marks_them_corrected(lead, published):
    compute_results(cycle=published, actor=lead)
    publication = Publication.objects.get(cycle=published)
    assert (publication.published, publication.corrected_at is not None) == (True, True)
    assert _entries(publication)[-1] == ({"event": "results_corrected"}, "lead")


def test_recomputing_unpublished_results_marks_nothing(lead, computed):
    compute_results(cycle=computed, actor=lead)
    assert Publication.objects.count() == 0


def test_publish_view_publishes_with_the_period(client, lead, computed):
    client.force_login(lead)
    response = client.post(
        reverse("reports:publish", kwargs={"year": 2024}), {"objection_days": "5"}
    )
    assert response["Location"] == reverse("reports:statistics", kwargs={"year": 2024})
    assert Publication.objects.get(cycle=computed).objection_days == 5


def test_publish_view_bad_period_publishes_nothing(client, lead, computed):
    client.force_login(lead)
    response = client.post(
        reverse("reports:publish", kwargs={"year": 2024}), {"objection_days": "-1"}, follow=True
    )
    assert Publication.objects.count() == 0
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_withdraw_view_needs_a_reason(client, lead, published):
    client.force_login(lead)
    client.post(reverse("reports:withdraw", kwargs={"year": 2024}), {"reason": "  "})
    assert is_published(published) is True
    client.post(reverse("reports:withdraw", kwargs={"year": 2024}), {"reason": "复核"})
    assert is_published(published) is False
