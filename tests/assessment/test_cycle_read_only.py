"""An archived cycle is read-only everywhere: computation (command, task, button), round
closing, replacing the year by import, deleting it, and its objects in the admin."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from alerts.models import Warning
from alerts.services import close_round
from alerts.tasks import close_round_task
from assessment.models import Cycle, Round
from assessment.services import CycleReadOnly, ensure_cycle_writable
from indicators.models import Indicator
from scoring.models import CountyResult
from scoring.results.services import compute_results
from scoring.tasks import compute_results_task
from scoring.workbook.importer import import_workbook
from tests.factories import CycleFactory, RoundFactory
from tests.pages import build_cycle
from tests.workbooks import sample_cycle, save_workbook, workbook_bytes

MESSAGE = (
    "The 2024 cycle is archived and therefore read-only. The lead department can set its "
    "status back to active in the administration to change it."
)


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source strings, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def archived(county, other_county, unit, other_unit):
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], units=(unit, other_unit))
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.ARCHIVED)
    cycle.refresh_from_db()
    return cycle


def test_ensure_cycle_writable_refuses_an_archived_cycle_and_says_why(archived):
    with pytest.raises(CycleReadOnly) as caught:
        ensure_cycle_writable(archived)
    assert str(caught.value) == MESSAGE


@pytest.mark.parametrize("status", [Cycle.Status.DRAFT, Cycle.Status.ACTIVE])
def test_ensure_cycle_writable_accepts_a_draft_or_active_cycle(db, status):
    assert ensure_cycle_writable(CycleFactory(year=2030, status=status)) is None


def test_compute_results_of_an_archived_cycle_is_refused(archived):
    computed_at = archived.results_computed_at
    with pytest.raises(CycleReadOnly):
        compute_results(cycle=archived)
    archived.refresh_from_db()
    assert archived.results_computed_at == computed_at


def test_compute_results_command_archived_prints_why_and_fails(archived):
    with pytest.raises(CommandError) as caught:
        call_command("compute_results", "2024", stdout=io.StringIO())
    assert str(caught.value) == MESSAGE


def test_compute_results_task_archived_returns_read_only(archived):
    outcome = compute_results_task.delay(cycle_id=archived.pk).get()
    assert outcome == {"status": "read_only", "problems": [MESSAGE]}


def test_compute_button_archived_shows_why_and_computes_nothing(client, lead, archived):
    client.force_login(lead)
    computed_at = archived.results_computed_at
    response = client.post(reverse("scoring:compute_results", args=[2024]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [MESSAGE]
    archived.refresh_from_db()
    assert archived.results_computed_at == computed_at


def test_results_page_archived_disables_the_compute_button(client, lead, archived):
    client.force_login(lead)
    page = client.get(reverse("scoring:results", args=[2024])).content.decode()
    assert '<button type="submit" class="btn btn-primary" disabled' in page
    assert "archived and therefore read-only" in page


def test_close_round_of_an_archived_cycle_is_refused(archived):
    rnd = RoundFactory(cycle=archived, code="april")
    with pytest.raises(CycleReadOnly):
        close_round(round=rnd)
    rnd.refresh_from_db()
    assert (rnd.status, Warning.objects.count()) == (Round.Status.OPEN, 0)


def test_close_round_command_and_task_archived_refused(archived):
    rnd = RoundFactory(cycle=archived, code="april")
    with pytest.raises(CommandError) as caught:
        call_command("close_round", "2024", "april", stdout=io.StringIO())
    assert str(caught.value) == MESSAGE
    assert close_round_task.delay(round_id=rnd.pk).get() == {
        "status": "read_only",
        "problems": [MESSAGE],
    }


@pytest.mark.django_db
def test_import_replace_of_an_archived_year_is_refused(tmp_path):
    import_workbook(workbook_bytes(sample_cycle()))
    Cycle.objects.filter(year=2024).update(status=Cycle.Status.ARCHIVED)
    cycle_id = Cycle.objects.get(year=2024).pk
    path = save_workbook(tmp_path / "cycle.xlsx", sample_cycle())

    with pytest.raises(CommandError) as caught:
        call_command("import_workbook", str(path), "--replace", stdout=io.StringIO())

    assert str(caught.value) == MESSAGE
    assert Cycle.objects.get(year=2024).pk == cycle_id


@pytest.mark.django_db
def test_import_page_replace_of_an_archived_year_lists_why(client, lead):
    import_workbook(workbook_bytes(sample_cycle()))
    Cycle.objects.filter(year=2024).update(status=Cycle.Status.ARCHIVED)
    client.force_login(lead)
    upload = SimpleUploadedFile("cycle.xlsx", workbook_bytes(sample_cycle()).getvalue())

    response = client.post(reverse("scoring:workbook"), {"file": upload, "replace": "on"})

    assert (response.status_code, response.context["problems"]) == (200, [MESSAGE])


def test_admin_objects_of_an_archived_cycle_are_read_only(client, lead, archived):
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)
    indicator = Indicator.objects.get(cycle=archived, code="A01")
    result = CountyResult.objects.filter(cycle=archived).first()

    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    assert client.post(url, {"name": "改名"}).status_code == 403
    url = reverse("admin:scoring_countyresult_change", args=[result.pk])
    assert client.post(url, {"grade_override": "fair", "override_reason": "x"}).status_code == 403
    url = reverse("admin:assessment_cycle_delete", args=[archived.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Cycle.objects.filter(pk=archived.pk).exists()
    # The cycle itself stays editable: that is where the lead department un-archives it.
    url = reverse("admin:assessment_cycle_change", args=[archived.pk])
    assert client.get(url).context["has_change_permission"] is True
    rounds = archived.rounds.count()
    response = client.post(
        url,
        {
            "status": "active", "total_points": "1000",
            "rounds-TOTAL_FORMS": str(rounds), "rounds-INITIAL_FORMS": str(rounds),
            "rounds-MIN_NUM_FORMS": "0", "rounds-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip
    assert response.status_code == 302
    archived.refresh_from_db()
    assert (archived.status, archived.total_points) == ("active", Decimal("100.00"))


def test_archived_cycle_cannot_be_deleted(archived):
    with pytest.raises(CycleReadOnly), transaction.atomic():
        archived.delete()
    assert Cycle.objects.filter(pk=archived.pk).exists()
    assert CountyResult.objects.filter(cycle=archived).count() == 2


def test_admin_unarchiving_with_wrong_weights_shows_the_error(client, lead, archived):
    Indicator.objects.filter(cycle=archived, code="A02").update(weight=Decimal("35"))
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)
    rounds = archived.rounds.count()
    response = client.post(
        reverse("admin:assessment_cycle_change", args=[archived.pk]),
        {
            "status": "active",
            "rounds-TOTAL_FORMS": str(rounds), "rounds-INITIAL_FORMS": str(rounds),
            "rounds-MIN_NUM_FORMS": "0", "rounds-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "status": ["The weights sum to 95.00, not the total points 100.00."]
    }
