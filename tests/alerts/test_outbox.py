"""The outbox: what must follow a committed change (a closing's emails, a case's
notification) is written in the change's transaction and swept by a frequent job, so that a
closing with the broker down commits with its emails pending and they go out later, each
warning at most once."""

import pytest
from django.core import mail
from django.urls import reverse

from alerts.delivery import notify_round
from alerts.diagnosis import open_case, send_recommendations, update_case
from alerts.models import DiagnosisCase, Warning
from alerts.services import close_round
from alerts.tasks import send_pending_emails_task
from assessment.models import County, Round
from scoring.results.views import REQUESTED_KEY
from tests.alerts.world import build_april
from tests.broker import broker_down


@pytest.fixture
def april(db):
    return build_april()


def test_close_button_with_the_broker_down_commits_and_emails_later(
    client, lead, april, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    url = reverse("alerts:round_close", kwargs={"year": 2025, "round": "april"})
    with broker_down(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url)
    april.refresh_from_db()
    assert (response.status_code, len(callbacks), april.status) == (302, 1, Round.Status.CLOSED)
    assert Warning.objects.filter(round=april, to_notify=True).count() == 9
    assert mail.outbox == []

    assert send_pending_emails_task.delay().get() == {"counties": 4, "emails": 4, "case_emails": 0}
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"county-{c}@example.org" for c in ("102", "103", "104", "105")
    ]
    assert Warning.objects.filter(round=april, to_notify=True).count() == 0
    assert send_pending_emails_task.delay().get() == {"counties": 0, "emails": 0, "case_emails": 0}
    assert len(mail.outbox) == 4


def test_a_closing_without_notify_leaves_nothing_to_sweep(april):
    close_round(round=april, notify=False)
    assert send_pending_emails_task.delay().get() == {"counties": 0, "emails": 0, "case_emails": 0}
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim_for_the_sweep(april, settings):
    close_round(round=april, notify=False)
    Warning.objects.filter(round=april).update(to_notify=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(ConnectionRefusedError):
        notify_round(round=april, pending_only=True)
    assert Warning.objects.filter(round=april, to_notify=True, notified_at=None).count() == 9
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending_emails_task.delay().get()["emails"] == 4


def test_sending_a_case_with_the_broker_down_notifies_on_the_sweep(
    april, lead, django_capture_on_commit_callbacks
):
    close_round(round=april, notify=False)
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    update_case(case=case, actor=lead, experts=[], recommendations="建立周调度机制")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        send_recommendations(case=case, actor=lead)
    case.refresh_from_db()
    assert (case.status, case.notified_at, mail.outbox) == (DiagnosisCase.Status.SENT, None, [])
    assert send_pending_emails_task.delay().get() == {"counties": 0, "emails": 0, "case_emails": 1}
    assert [m.to for m in mail.outbox] == [["county-103@example.org"]]


def test_compute_button_with_the_broker_down_says_so_and_starts_nothing(client, lead, april):
    client.force_login(lead)
    with broker_down():
        response = client.post(
            reverse("scoring:compute_results", kwargs={"year": 2025}), follow=True
        )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The task queue cannot be reached at the moment, so nothing was started. Please try "
        "again in a few minutes."
    ]
    assert "2025" not in client.session.get(REQUESTED_KEY, {})
    april.cycle.refresh_from_db()
    assert april.cycle.results_computed_at is None


def test_the_sweep_runs_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending-emails"]
    assert (entry["task"], entry["schedule"]) == (send_pending_emails_task.name, 60)
