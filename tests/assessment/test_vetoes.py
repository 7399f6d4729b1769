"""The veto list and the vetoes recorded against it: an item and evidence are required, the
engine applies the veto, the yearly review flags items without a basis."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from assessment.governance.vetoes import flagged_items, record_review, record_veto, withdraw_veto
from assessment.models import Cycle, Veto, VetoItem, VetoReview
from scoring.models import CountyResult
from scoring.results.services import compute_results

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def item(db):
    return VetoItem.objects.create(
        name="发生重大安全生产责任事故", basis="《安全生产责任制规定》第十二条", first_year=2023
    )


def test_record_veto_makes_the_county_poor(computed, county, item, lead):
    assert CountyResult.objects.get(county=county).grade == "good"
    record_veto(cycle=computed, county=county, item=item, evidence="3月12日事故通报", actor=lead)
    compute_results(cycle=computed)
    result = CountyResult.objects.get(county=county)
    assert (result.vetoed, result.grade, result.total) == (True, "poor", Decimal("86.00"))


def test_record_veto_is_audited_with_its_actor(computed, county, item, lead):
    veto = record_veto(cycle=computed, county=county, item=item, evidence="事故通报", actor=lead)
    entry = LogEntry.objects.get_for_object(veto).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, lead)
    assert (veto.reason, veto.recorded_by) == ("发生重大安全生产责任事故", lead)


def test_record_veto_needs_evidence(computed, county, item):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_veto(cycle=computed, county=county, item=item, evidence="  ")
    assert exc.value.messages == ["A veto needs its evidence."]
    assert Veto.objects.count() == 0


def test_record_veto_refuses_an_item_of_other_years(computed, county):
    old = VetoItem.objects.create(name="旧事项", basis="旧文件", first_year=2018, last_year=2020)
    with pytest.raises(ValidationError):
        record_veto(cycle=computed, county=county, item=old, evidence="x")
    assert Veto.objects.count() == 0


def test_record_veto_refuses_an_archived_year(computed, county, item):
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    computed.refresh_from_db()
    with pytest.raises(ValidationError):
        record_veto(cycle=computed, county=county, item=item, evidence="x")


def test_withdraw_veto_is_audited(computed, county, item, lead):
    veto = record_veto(cycle=computed, county=county, item=item, evidence="x")
    pk = veto.pk
    withdraw_veto(veto=veto, actor=lead)
    assert Veto.objects.filter(pk=pk).count() == 0
    entry = LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).get()
    assert entry.actor == lead


def test_veto_item_years(db):
    item = VetoItem.objects.create(name="a", first_year=2024, last_year=2025)
    assert [item.applies_to(y) for y in (2023, 2024, 2025, 2026)] == [False, True, True, False]
    assert list(VetoItem.for_year(2026)) == []


def test_review_flags_items_without_a_basis(item, lead):
    bare = VetoItem.objects.create(name="信访维稳", basis="", first_year=2024)
    VetoItem.objects.create(name="过期事项", basis="", first_year=2018, last_year=2020)
    assert flagged_items(2024) == [bare]
    review = record_review(year=2024, note="请补充依据", actor=lead)
    assert review.flagged == [{"id": bare.pk, "name": "信访维稳"}]
    assert VetoReview.objects.get(year=2024).reviewed_by == lead


def test_cycle_vetoes_page_records_a_veto_with_an_attachment(client, lead, computed, county, item):
    client.force_login(lead)
    url = reverse("assessment:cycle_vetoes", kwargs={"year": 2024})
    response = client.post(
        url,
        {"county": county.pk, "item": item.pk, "evidence": "事故调查报告",
         "attachment": SimpleUploadedFile("调查报告.pdf", PDF)},
    )  # fmt: skip
    assert response.status_code == 302
    veto = Veto.objects.get()
    assert (veto.county, veto.item, veto.attachment_name) == (county, item, "调查报告.pdf")
    download = client.get(
        reverse("assessment:veto_attachment", kwargs={"year": 2024, "veto": veto.pk})
    )
    assert b"".join(download.streaming_content) == PDF


def test_cycle_vetoes_page_refuses_a_veto_without_an_item(client, lead, computed, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:cycle_vetoes", kwargs={"year": 2024}),
        {"county": county.pk, "evidence": "证据"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["item"]
    assert response.context["form"].data["evidence"] == "证据"
    assert Veto.objects.count() == 0


def test_cycle_vetoes_page_refuses_a_disguised_attachment(client, lead, computed, county, item):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:cycle_vetoes", kwargs={"year": 2024}),
        {"county": county.pk, "item": item.pk, "evidence": "x",
         "attachment": SimpleUploadedFile("报告.pdf", b"MZ" + b"\x00" * 100)},
    )  # fmt: skip
    assert list(response.context["form"].errors) == ["attachment"]
    assert Veto.objects.count() == 0


def test_veto_items_page_flags_for_the_lead_and_reads_for_a_county(
    client, lead, county_user, computed, item
):
    VetoItem.objects.create(name="信访维稳", basis="", first_year=2024)
    client.force_login(lead)
    body = client.get(reverse("assessment:veto_items")).content.decode()
    assert 'id="flagged-items"><li>信访维稳</li></ul>' in body
    client.force_login(county_user)
    response = client.get(reverse("assessment:veto_items"))
    assert 'id="veto-review"' not in response.content.decode()
    assert client.post(reverse("assessment:veto_items"), {"name": "x"}).status_code == 403


def test_veto_items_page_adds_an_item(client, lead):
    client.force_login(lead)
    client.post(
        reverse("assessment:veto_items"),
        {"name": "意识形态工作责任制落实不力", "basis": "市委文件", "first_year": 2025},
    )
    assert list(VetoItem.objects.values_list("name", "last_year")) == [
        ("意识形态工作责任制落实不力", None)
    ]


def test_veto_item_edit_gives_an_item_its_basis(client, lead):
    bare = VetoItem.objects.create(name="信访维稳", basis="", first_year=2024)
    client.force_login(lead)
    response = client.post(
        reverse("assessment:veto_item_edit", kwargs={"veto_item": bare.pk}),
        {"name": "信访维稳", "basis": "《信访工作条例》第三十条", "first_year": 2024,
         "last_year": 2023},
    )  # fmt: skip
    assert response.context["form"].errors == {
        "last_year": ["The last year comes before the first."]
    }
    client.post(
        reverse("assessment:veto_item_edit", kwargs={"veto_item": bare.pk}),
        {"name": "信访维稳", "basis": "《信访工作条例》第三十条", "first_year": 2024},
    )
    assert flagged_items(2024) == []
    entry = LogEntry.objects.get_for_object(bare).order_by("-id").first()
    assert (entry.actor, entry.changes_dict["basis"]) == (lead, ["", "《信访工作条例》第三十条"])


def _withdraw_url(veto):
    return reverse("assessment:veto_withdraw", kwargs={"year": 2024, "veto": veto.pk})


def test_withdrawing_a_veto_shows_what_it_will_change_then_withdraws_on_confirming(
    client, lead, computed, county, item
):
    veto = record_veto(
        cycle=computed, county=county, item=item, evidence="事故通报", actor=lead,
        attachment=SimpleUploadedFile("通报.pdf", PDF),
    )  # fmt: skip
    client.force_login(lead)
    listing = client.get(reverse("assessment:cycle_vetoes", kwargs={"year": 2024}))
    assert f'href="{_withdraw_url(veto)}">Withdraw</a>' in listing.content.decode()
    response = client.get(_withdraw_url(veto))
    today = f"{timezone.localdate():%Y-%m-%d}"
    computed_on = f"{timezone.localtime(computed.results_computed_at):%Y-%m-%d}"
    assert response.context["changes"] == [
        f"The veto of 东城区 under “发生重大安全生产责任事故”, recorded on {today}, is deleted "
        "with its evidence.",
        "Its attachment 通报.pdf is deleted.",
        "东城区 is no longer graded poor by a veto once the results are computed again.",
        f"The results computed on {computed_on} stay as they are until they are computed again.",
        "The withdrawal is recorded in the audit log; it cannot be undone.",
    ]
    assert '<button type="submit" class="btn btn-danger">Confirm: withdraw the veto</button>' in (
        response.content.decode()
    )
    assert Veto.objects.filter(pk=veto.pk).exists()
    done = client.post(_withdraw_url(veto), follow=True)
    assert done.redirect_chain == [("/cycles/2024/vetoes/", 302)]
    assert [str(m) for m in done.context["messages"]] == [
        "The veto of 东城区 was withdrawn; recompute the results to apply it."
    ]
    assert Veto.objects.count() == 0


def test_withdrawing_one_of_two_vetoes_says_the_county_stays_poor(
    client, lead, computed, county, item
):
    first = record_veto(cycle=computed, county=county, item=item, evidence="一", actor=lead)
    record_veto(cycle=computed, county=county, item=item, evidence="二", actor=lead)
    client.force_login(lead)
    changes = client.get(_withdraw_url(first)).context["changes"]
    assert changes[1] == "东城区 keeps 1 other veto this year: it stays graded poor."


def test_withdrawing_a_veto_of_an_archived_year_says_why_and_offers_no_button(
    client, lead, computed, county, item
):
    veto = record_veto(cycle=computed, county=county, item=item, evidence="x", actor=lead)
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    client.force_login(lead)
    response = client.get(_withdraw_url(veto))
    body = response.content.decode()
    assert response.context["refusal"] == (
        "The 2024 cycle is archived and therefore read-only. The lead department can set its "
        "status back to active in the administration to change it."
    )
    assert "Confirm: withdraw the veto" not in body
    done = client.post(_withdraw_url(veto), follow=True)
    assert [str(m) for m in done.context["messages"]] == [response.context["refusal"]]
    assert Veto.objects.filter(pk=veto.pk).exists()
