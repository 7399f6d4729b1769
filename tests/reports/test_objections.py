from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Objection, Publication
from reports.objections import (
    DecisionPreview,
    ObjectionRefused,
    answer,
    decide,
    lodge,
    may_object,
    preview_decision,
)
from scoring.models import AnnualInput, CountyResult, IndicatorResult, IndicatorStat


@pytest.fixture
def objection(published, county, county_user):
    return lodge(
        cycle=published,
        county=county,
        indicator=published.indicators.get(code="A02"),
        reasons="收入口径漏计一笔",
        actor=county_user,
    )


def test_lodge_within_the_period(objection):
    assert (objection.status, objection.lodged_by.username) == ("lodged", "county-101")


def test_lodge_after_the_period_is_refused(published, county, county_user):
    Publication.objects.filter(cycle=published).update(
        published_at=published.publication.published_at - timedelta(days=8)
    )
    assert may_object(published) is False
    with pytest.raises(ObjectionRefused):
        lodge(
            cycle=published, county=county, indicator=published.indicators.get(code="A01"),
            reasons="x", actor=county_user,
        )  # fmt: skip


def test_lodge_before_publication_is_refused(computed, county, county_user):
    with pytest.raises(ObjectionRefused):
        lodge(
            cycle=computed, county=county, indicator=computed.indicators.get(code="A01"),
            reasons="x", actor=county_user,
        )  # fmt: skip


def test_lodge_twice_on_one_indicator_is_refused(objection, county_user):
    with pytest.raises(ObjectionRefused):
        lodge(
            cycle=objection.cycle, county=objection.county, indicator=objection.indicator,
            reasons="again", actor=county_user,
        )  # fmt: skip


def test_upheld_objection_corrects_the_input_and_recomputes(objection, other_unit, lead):
    answered = answer(objection=objection, text="情况属实", actor=other_unit.users.first() or lead)
    item = objection.indicator.items.get(code="A02-1")
    # 101 had A02 = 80 % of target (32.00 points); corrected to 50 → 20.00, total 74.00 < 102's.
    decided = decide(
        objection=answered, upheld=True, reason="经核实，按修正后数据计分", actor=lead,
        item=item, actual=Decimal("50"),
    )  # fmt: skip
    cycle = objection.cycle
    totals = dict(CountyResult.objects.filter(cycle=cycle).values_list("county__code", "total"))
    ranks = dict(CountyResult.objects.filter(cycle=cycle).values_list("county__code", "rank"))
    assert totals == {"101": Decimal("74.00"), "102": Decimal("66.00")}
    assert ranks == {"101": 1, "102": 2}
    stat = IndicatorStat.objects.get(cycle=cycle, indicator=objection.indicator)
    assert (stat.highest, stat.lowest) == (Decimal("24.00"), Decimal("20.00"))
    assert AnnualInput.objects.get(county__code="101", item=item).actual == Decimal("50")
    assert decided.correction == {
        "item": "A02-1",
        "actual": ["80", "50"],
        "target": ["100", "100"],
    }
    publication = Publication.objects.get(cycle=cycle)
    assert (publication.published, publication.corrected_at is not None) == (True, True)
    events = [
        e.additional_data.get("event") or e.changes.get("event", [None, None])[1]
        for e in LogEntry.objects.get_for_object(decided).order_by("id")
    ]
    assert events == [
        "objection_lodged", "objection_answered", "objection_correction", "objection_decided",
    ]  # fmt: skip


def test_upheld_objection_with_an_uncomputable_input_changes_nothing(objection, lead):
    item = objection.indicator.items.get(code="A02-1")
    with pytest.raises(ObjectionRefused):
        decide(
            objection=objection, upheld=True, reason="r", actor=lead, item=item,
            actual=Decimal("-5"),
        )  # fmt: skip
    assert AnnualInput.objects.get(county__code="101", item=item).actual == Decimal("80")
    assert Objection.objects.get(pk=objection.pk).status == "lodged"


def test_rejected_objection_changes_no_score(objection, lead):
    decide(objection=objection, upheld=False, reason="数据无误", actor=lead)
    assert CountyResult.objects.get(county__code="101").total == Decimal("86.00")
    with pytest.raises(ObjectionRefused):
        decide(objection=objection, upheld=True, reason="again", actor=lead)


def test_county_lodges_through_the_page_with_evidence(client, county_user, published):
    client.force_login(county_user)
    url = reverse("reports:objection_new", kwargs={"year": 2024})
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    indicator = published.indicators.get(code="A01")
    response = client.post(
        url, {"indicator": indicator.pk, "reasons": "理由", "evidence": evidence}
    )
    objection = Objection.objects.get()
    assert response["Location"] == reverse("reports:objection", kwargs={"objection": objection.pk})
    assert objection.evidence_name == "证明.pdf"
    download = client.get(reverse("reports:objection_evidence", kwargs={"objection": objection.pk}))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_county_form_refuses_a_fake_evidence_file_and_keeps_the_reasons(
    client, county_user, published
):
    client.force_login(county_user)
    url = reverse("reports:objection_new", kwargs={"year": 2024})
    fake = SimpleUploadedFile("证明.pdf", b"not a pdf at all", content_type="application/pdf")
    indicator = published.indicators.get(code="A01")
    response = client.post(
        url, {"indicator": indicator.pk, "reasons": "我的理由", "evidence": fake}
    )
    assert response.status_code == 200
    assert "我的理由" in response.content.decode()
    assert Objection.objects.count() == 0


def test_lead_decides_on_the_page_and_the_county_sees_it(client, lead, county_user, objection):
    client.force_login(lead)
    url = reverse("reports:objection_decide", kwargs={"objection": objection.pk})
    item = objection.indicator.items.get(code="A02-1")
    client.post(
        url, {"upheld": "1", "reason": "予以采纳", "item": item.pk, "actual": "90", "confirm": "1"}
    )
    client.force_login(county_user)
    body = client.get(reverse("reports:objection", kwargs={"objection": objection.pk})).content
    assert "予以采纳" in body.decode()
    assert "actual 80 → 90" in body.decode()
    assert CountyResult.objects.get(county__code="101").total == Decimal("90.00")


def test_decision_form_shows_the_current_figures_and_points(client, lead, objection):
    client.force_login(lead)
    response = client.get(reverse("reports:objection", kwargs={"objection": objection.pk}))
    current = response.context["current"]
    result = IndicatorResult.objects.get(county=objection.county, indicator=objection.indicator)
    assert [(item.code, value.actual) for item, value in current["items"]] == [
        ("A02-1", Decimal("80"))
    ]
    assert current["points"] == result.points
    assert 'id="objection-current"' in response.content.decode()


def test_objection_list_shows_each_role_its_own(client, other_county_user, objection):
    client.force_login(other_county_user)
    response = client.get(reverse("reports:objections", kwargs={"year": 2024}))
    assert response.context["objections"] == []


def test_decision_preview_shows_the_engine_figures_and_changes_nothing(objection):
    item = objection.indicator.items.get(code="A02-1")
    preview = preview_decision(objection=objection, upheld=True, item=item, actual=Decimal("50"))
    assert preview == DecisionPreview(
        upheld=True,
        item=item,
        actual=(Decimal("80"), Decimal("50")),
        target=(Decimal("100"), Decimal("100")),
        points=(Decimal("32.00"), Decimal("20.00")),
        total=(Decimal("86.00"), Decimal("74.00")),
        rank=(1, 1),
    )
    assert AnnualInput.objects.get(county__code="101", item=item).actual == Decimal("80")
    assert Objection.objects.get(pk=objection.pk).status == "lodged"


def test_decision_preview_of_a_rejection_changes_no_figure(objection):
    assert preview_decision(objection=objection, upheld=False) == DecisionPreview(upheld=False)


def test_decision_posted_first_shows_the_preview_without_recording(client, lead, objection):
    client.force_login(lead)
    url = reverse("reports:objection_decide", kwargs={"objection": objection.pk})
    item = objection.indicator.items.get(code="A02-1")
    data = {"upheld": "1", "reason": "予以采纳", "item": item.pk, "actual": "50"}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.templates[0].name == "reports/objection_decide.html"
    assert response.context["preview"].total == (Decimal("86.00"), Decimal("74.00"))
    assert 'id="decision-changes"' in body
    assert 'name="reason" value="予以采纳"' in body
    assert Objection.objects.get(pk=objection.pk).status == "lodged"
    assert CountyResult.objects.get(county__code="101").total == Decimal("86.00")
    client.post(url, {**data, "confirm": "1"})
    assert Objection.objects.get(pk=objection.pk).status == "upheld"
    assert CountyResult.objects.get(county__code="101").total == Decimal("74.00")


def test_decision_change_button_reshows_the_form_as_entered(client, lead, objection):
    client.force_login(lead)
    url = reverse("reports:objection_decide", kwargs={"objection": objection.pk})
    response = client.post(url, {"upheld": "0", "reason": "数据无误", "edit": "1"})
    assert response.templates[0].name == "reports/objection.html"
    assert "数据无误" in response.content.decode()
    assert Objection.objects.get(pk=objection.pk).status == "lodged"
