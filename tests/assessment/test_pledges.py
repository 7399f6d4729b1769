"""Responsibility pledges under list management: a county signs only a matter of the year's
list (a unit only its own), the yearly review flags matters without a basis, spot checks are
recorded with their findings, and every change is audited."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessment.governance.pledges import (
    flagged_items,
    record_check,
    record_review,
    record_signing,
    signable_items,
    withdraw_signing,
)
from assessment.models import Cycle, PledgeCheck, PledgeItem, PledgeReview, PledgeSigning


@pytest.fixture
def item(unit):
    return PledgeItem.objects.create(
        name="统计数据质量目标责任书", basis="市委办〔2021〕8号", issuing_unit=unit, first_year=2021
    )


@pytest.fixture
def other_item(other_unit):
    return PledgeItem.objects.create(
        name="财政收支目标责任书", basis="市政办〔2022〕3号", issuing_unit=other_unit,
        first_year=2022,
    )  # fmt: skip


def test_record_signing_by_the_issuing_unit_is_audited(computed, county, item, unit_user):
    signing = record_signing(
        cycle=computed, county=county, item=item, signed_on=date(2024, 2, 20), actor=unit_user
    )
    entry = LogEntry.objects.get_for_object(signing).get()
    assert (entry.action, entry.actor, signing.recorded_by) == (
        LogEntry.Action.CREATE, unit_user, unit_user,
    )  # fmt: skip


def test_record_signing_unit_refused_another_units_matter(computed, county, other_item, unit_user):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_signing(
            cycle=computed, county=county, item=other_item, signed_on=date(2024, 2, 20),
            actor=unit_user,
        )  # fmt: skip
    assert exc.value.messages == [
        "“财政收支目标责任书” is issued by 市财政局: a unit asks counties to sign only the "
        "matters it issues."
    ]
    assert PledgeSigning.objects.count() == 0


def test_record_signing_refuses_a_matter_off_the_years_list(computed, county, unit, lead):
    old = PledgeItem.objects.create(
        name="招商引资责任状", basis="已清理", issuing_unit=unit, first_year=2018, last_year=2020
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_signing(
            cycle=computed, county=county, item=old, signed_on=date(2024, 1, 5), actor=lead
        )
    assert exc.value.messages == [
        "“招商引资责任状” is not on the pledge list of 2024: a county may be asked to sign only a "
        "matter of the list, which the lead department keeps with its basis."
    ]


def test_record_signing_twice_is_refused(computed, county, item, lead):
    record_signing(cycle=computed, county=county, item=item, signed_on=date(2024, 1, 5), actor=lead)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_signing(
            cycle=computed, county=county, item=item, signed_on=date(2024, 1, 6), actor=lead
        )
    assert exc.value.messages == ["东城区 has signed “统计数据质量目标责任书” already in 2024."]
    assert PledgeSigning.objects.count() == 1


def test_record_signing_refuses_an_archived_year(computed, county, item, lead):
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    computed.refresh_from_db()
    with pytest.raises(ValidationError):
        record_signing(
            cycle=computed, county=county, item=item, signed_on=date(2024, 1, 5), actor=lead
        )
    assert PledgeSigning.objects.count() == 0


def test_withdraw_signing_is_audited(computed, county, item, lead):
    signing = record_signing(
        cycle=computed, county=county, item=item, signed_on=date(2024, 1, 5), actor=lead
    )
    pk = signing.pk
    withdraw_signing(signing=signing, actor=lead)
    entry = LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).get()
    assert (PledgeSigning.objects.count(), entry.actor) == (0, lead)


def test_signable_items_of_a_unit_are_its_own_of_the_year(item, other_item, unit_user, lead):
    PledgeItem.objects.create(name="过期", issuing_unit=item.issuing_unit, first_year=2010,
                              last_year=2012)  # fmt: skip
    assert list(signable_items(year=2024, user=unit_user)) == [item]
    assert list(signable_items(year=2024, user=lead)) == [item, other_item]
    assert list(signable_items(year=2021, user=lead)) == [item]


def test_review_flags_matters_without_a_basis(item, unit, lead):
    bare = PledgeItem.objects.create(name="安全生产责任状", basis=" ", issuing_unit=unit,
                                     first_year=2024)  # fmt: skip
    PledgeItem.objects.create(name="已废止", basis="", issuing_unit=unit, first_year=2015,
                              last_year=2016)  # fmt: skip
    assert flagged_items(2024) == [bare]
    review = record_review(year=2024, note="请补充依据或清理", actor=lead)
    assert review.flagged == [{"id": bare.pk, "name": "安全生产责任状"}]
    entry = LogEntry.objects.get_for_object(review).get()
    assert (entry.additional_data, entry.actor) == (
        {"year": 2024, "flagged": ["安全生产责任状"]}, lead,
    )  # fmt: skip
    assert PledgeReview.objects.get(year=2024).note == "请补充依据或清理"


def test_record_check_keeps_its_counties_and_findings(computed, county, other_county, item, lead):
    check = record_check(
        cycle=computed, item=item, checked_on=date(2024, 9, 3), counties=[county, other_county],
        findings="西城区另签清单外责任状1份，已责令撤销。", problems_found=True, actor=lead,
    )  # fmt: skip
    assert sorted(check.counties.values_list("code", flat=True)) == ["101", "102"]
    assert (check.problems_found, check.recorded_by) == (True, lead)
    entry = LogEntry.objects.get_for_object(check).filter(action=LogEntry.Action.CREATE).get()
    assert entry.actor == lead


def test_record_check_needs_counties_and_findings(computed, item, lead):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_check(cycle=computed, item=item, checked_on=date(2024, 9, 3), counties=[],
                     findings="x", problems_found=False, actor=lead)  # fmt: skip
    assert exc.value.messages == ["Name the counties checked."]
    assert PledgeCheck.objects.count() == 0


def test_pledges_page_unit_sees_why_an_unlisted_matter_is_refused(
    client, computed, county, other_item, unit_user
):
    client.force_login(unit_user)
    url = reverse("assessment:cycle_pledges", kwargs={"year": 2024})
    response = client.post(
        url, {"county": county.pk, "item": other_item.pk, "signed_on": "2024-02-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["item"] == [
        "This matter is not on the pledge list of the year (or not issued by your unit): a "
        "county may be asked to sign only a matter of the list."
    ]
    assert "No matter of the pledge list applies to this year for you" in response.content.decode()
    assert PledgeSigning.objects.count() == 0


def test_pledges_page_unit_records_its_own_matter(client, computed, county, item, unit_user):
    client.force_login(unit_user)
    url = reverse("assessment:cycle_pledges", kwargs={"year": 2024})
    response = client.post(
        url, {"county": county.pk, "item": item.pk, "signed_on": "2024-02-01", "note": "县委书记签"}
    )
    assert response.status_code == 302
    signing = PledgeSigning.objects.get()
    assert (signing.county, signing.item, signing.signed_on, signing.note) == (
        county, item, date(2024, 2, 1), "县委书记签",
    )  # fmt: skip


def test_pledges_page_each_role_sees_its_own_signings(
    client, computed, county, other_county, item, other_item, lead, unit_user, county_user,
    other_county_user,
):  # fmt: skip
    for c, i in ((county, item), (other_county, other_item), (other_county, item)):
        record_signing(cycle=computed, county=c, item=i, signed_on=date(2024, 3, 1), actor=lead)
    url = reverse("assessment:cycle_pledges", kwargs={"year": 2024})
    seen = {}
    for user in (lead, unit_user, county_user, other_county_user):
        client.force_login(user)
        rows = client.get(url).context["signings"]
        seen[user.username] = [(s.county.code, s.item.name) for s in rows]
    assert seen == {
        "lead": [("101", "统计数据质量目标责任书"), ("102", "统计数据质量目标责任书"),
                 ("102", "财政收支目标责任书")],
        "unit-TJJ": [("101", "统计数据质量目标责任书"), ("102", "统计数据质量目标责任书")],
        "county-101": [("101", "统计数据质量目标责任书")],
        "county-102": [("102", "统计数据质量目标责任书"), ("102", "财政收支目标责任书")],
    }  # fmt: skip


def test_pledges_page_county_cannot_post(client, computed, county, item, county_user):
    client.force_login(county_user)
    response = client.post(
        reverse("assessment:cycle_pledges", kwargs={"year": 2024}),
        {"county": county.pk, "item": item.pk, "signed_on": "2024-02-01"},
    )
    assert (response.status_code, PledgeSigning.objects.count()) == (403, 0)


def test_pledge_items_page_lead_adds_a_matter_and_unit_cannot(client, computed, unit, lead,
                                                              unit_user):  # fmt: skip
    data = {"name": "河长制责任书", "basis": "", "issuing_unit": unit.pk, "first_year": 2024}
    client.force_login(unit_user)
    assert client.post(reverse("assessment:pledge_items"), data).status_code == 403
    client.force_login(lead)
    assert client.post(reverse("assessment:pledge_items"), data).status_code == 302
    response = client.get(reverse("assessment:pledge_items"))
    assert [i.name for i in response.context["flagged"]] == ["河长制责任书"]
    assert LogEntry.objects.get_for_object(PledgeItem.objects.get()).get().actor == lead


def test_pledge_checks_page_records_a_check(client, computed, county, item, lead):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:pledge_checks", kwargs={"year": 2024}),
        {"item": "", "checked_on": "2024-10-08", "counties": [county.pk],
         "findings": "未发现反弹回潮", "problems_found": ""},
    )  # fmt: skip
    assert response.status_code == 302
    check = PledgeCheck.objects.get()
    assert (check.item, check.findings, check.problems_found) == (None, "未发现反弹回潮", False)


def test_pledge_checks_page_refuses_without_counties_and_keeps_input(client, computed, lead):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:pledge_checks", kwargs={"year": 2024}),
        {"checked_on": "2024-10-08", "findings": "未发现反弹回潮"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["counties"]
    assert response.context["form"].data["findings"] == "未发现反弹回潮"


def test_withdrawing_a_signing_shows_what_it_will_change_then_withdraws_on_confirming(
    client, computed, county, other_county, item, lead
):
    signing = record_signing(
        cycle=computed, county=county, item=item, signed_on=date(2024, 3, 1), actor=lead
    )
    record_check(
        cycle=computed, item=item, checked_on=date(2024, 9, 3), counties=[county, other_county],
        findings="未发现问题", problems_found=False, actor=lead,
    )  # fmt: skip
    url = reverse("assessment:pledge_withdraw", kwargs={"year": 2024, "signing": signing.pk})
    client.force_login(lead)
    listing = client.get(reverse("assessment:cycle_pledges", kwargs={"year": 2024}))
    assert f'href="{url}">Withdraw</a>' in listing.content.decode()
    response = client.get(url)
    assert response.context["changes"] == [
        "The signing of “统计数据质量目标责任书” by 东城区 on 2024-03-01 is deleted: the county "
        "no longer shows as having signed it in 2024.",
        "The county may be asked to sign “统计数据质量目标责任书” again this year.",
        "1 spot check of this matter in 东城区 stays recorded.",
        "The withdrawal is recorded in the audit log; it cannot be undone.",
    ]
    assert "Confirm: withdraw the signing" in response.content.decode()
    assert PledgeSigning.objects.count() == 1
    done = client.post(url, follow=True)
    assert done.redirect_chain == [("/cycles/2024/pledges/", 302)]
    assert [str(m) for m in done.context["messages"]] == [
        "Withdrawn: 东城区 no longer signed “统计数据质量目标责任书”."
    ]
    assert (PledgeSigning.objects.count(), PledgeCheck.objects.count()) == (0, 1)


def test_withdrawing_a_signing_of_an_archived_year_offers_no_button(
    client, computed, county, item, lead
):
    signing = record_signing(
        cycle=computed, county=county, item=item, signed_on=date(2024, 3, 1), actor=lead
    )
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    url = reverse("assessment:pledge_withdraw", kwargs={"year": 2024, "signing": signing.pk})
    client.force_login(lead)
    response = client.get(url)
    assert 'id="confirm-refused"' in response.content.decode()
    assert "Confirm: withdraw the signing" not in response.content.decode()
    client.post(url)
    assert PledgeSigning.objects.count() == 1
