"""Diagnosis cases: opened for a flagged county, experts and findings recorded,
recommendations sent and read, answered with a rectification."""

import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse

from alerts.diagnosis import (
    CaseRefused,
    notify_case,
    open_case,
    send_recommendations,
    update_case,
)
from alerts.models import DiagnosisCase, Rectification, Warning
from alerts.services import close_round
from assessment.models import Assessor, County, User
from indicators.models import Indicator
from tests.alerts.world import build_april
from tests.factories import UnitFactory, UserFactory


@pytest.fixture
def april(db):
    rnd = build_april()
    close_round(round=rnd, notify=False)
    return rnd


@pytest.fixture
def expert(db):
    """A unit's assessor of the roster, with the account through which they open the case."""
    user = UserFactory(
        username="unit-TJJ", role=User.Role.UNIT, unit=UnitFactory(code="TJJ"), first_name="王五"
    )
    Assessor.objects.create(name="王五", kind="part_time", unit=user.unit, user=user)
    return user


def open_url(rnd, county):
    return reverse(
        "alerts:case_open", kwargs={"year": rnd.cycle.year, "round": rnd.code, "county": county}
    )


def test_lead_opens_a_case_for_a_flagged_county(client, lead, april):
    client.force_login(lead)
    response = client.post(open_url(april, "103"))
    case = DiagnosisCase.objects.get()
    assert response["Location"] == reverse("alerts:case", kwargs={"case": case.pk})
    assert (case.county.code, case.status, case.opened_by) == ("103", "open", lead)
    # Opening again leads to the same case.
    assert client.post(open_url(april, "103"))["Location"] == response["Location"]


def test_a_county_that_is_not_flagged_gets_no_case(april, lead):
    with pytest.raises(CaseRefused):
        open_case(round=april, county=County.objects.get(code="105"), actor=lead)


def test_case_diagnosis_is_recorded_sent_read_and_answered(client, lead, april, expert):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    county_user = User.objects.get(username="county-103")
    client.force_login(county_user)
    before = client.get(reverse("alerts:case", kwargs={"case": case.pk}))
    assert before.context["show_texts"] is False

    client.force_login(lead)
    client.post(
        reverse("alerts:case_update", kwargs={"case": case.pk}),
        {"experts": [expert.pk], "findings": "项目储备不足", "causes": "前期工作滞后",
         "recommendations": "建立重点项目周调度机制"},
    )  # fmt: skip
    client.post(reverse("alerts:case_send", kwargs={"case": case.pk}))
    case.refresh_from_db()
    assert (case.status, list(case.experts.all())) == ("sent", [expert])

    client.force_login(expert)
    assert client.get(reverse("alerts:case", kwargs={"case": case.pk})).status_code == 200
    client.force_login(county_user)
    page = client.get(reverse("alerts:case", kwargs={"case": case.pk}))
    assert "建立重点项目周调度机制" in page.content.decode()
    case.refresh_from_db()
    assert case.read_at is not None
    client.post(
        reverse("alerts:case_plan", kwargs={"case": case.pk}),
        {"measures": "周调度", "owner": "赵六", "deadline": "2099-09-30"},
    )
    rect = Rectification.objects.get()
    assert (rect.case, rect.warning, rect.county.code) == (case, None, "103")
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(case).order_by("pk")]
    assert changes[1]["findings"] == ["", "项目储备不足"]


def test_case_of_another_county_is_404(client, april, lead):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    client.force_login(User.objects.get(username="county-104"))
    assert client.get(reverse("alerts:case", kwargs={"case": case.pk})).status_code == 404


def test_sending_without_recommendations_is_refused(client, lead, april):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    client.force_login(lead)
    client.post(reverse("alerts:case_send", kwargs={"case": case.pk}))
    case.refresh_from_db()
    assert case.status == "open"


@pytest.mark.parametrize("expert_count", [1, 3])
def test_case_page_query_count_is_constant(
    client, lead, april, expert_count, django_assert_num_queries
):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    for n in range(expert_count):
        unit = UnitFactory(code=f"U{n}")
        case.experts.add(UserFactory(username=f"e{n}", role=User.Role.UNIT, unit=unit))
    client.force_login(lead)
    # 11: the warnings the reader may open are one query (the links of the list).
    with django_assert_num_queries(11):
        response = client.get(reverse("alerts:case", kwargs={"case": case.pk}))
    assert len(response.context["experts"]) == expert_count


def test_case_page_links_only_the_warnings_its_reader_may_open(client, lead, april, expert):
    """An expert reads every warning of the case; a link only to those on its unit's
    indicators (the others answer 404 to it, tests/test_crawl.py)."""
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    case.experts.add(expert)
    warnings = list(
        Warning.objects.filter(round=april, county=case.county, replaced_at=None).order_by(
            "indicator__order"
        )
    )
    Indicator.objects.filter(pk=warnings[0].indicator_id).update(unit=expert.unit)
    url = reverse("alerts:case", kwargs={"case": case.pk})
    pages = {}
    for user in (expert, lead):
        client.force_login(user)
        body = client.get(url).content.decode()
        pages[user.username] = (
            re.findall(r'href="/warnings/(\d+)/"', body),
            [w.indicator.code in body for w in warnings],
        )
    assert len(warnings) > 1
    assert pages == {
        "unit-TJJ": ([str(warnings[0].pk)], [True] * len(warnings)),
        "lead": ([str(w.pk) for w in warnings], [True] * len(warnings)),
    }


def test_county_inbox_links_to_its_case(client, lead, april):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    client.force_login(User.objects.get(username="county-103"))
    response = client.get(reverse("alerts:inbox"))
    assert response.context["cases"] == [case]
    client.force_login(User.objects.get(username="county-104"))
    assert client.get(reverse("alerts:inbox")).context["cases"] == []


def test_expert_reads_the_rectification_answering_the_case(client, lead, april, expert):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    case.experts.add(expert)
    rect = Rectification.objects.create(
        cycle=case.cycle, county=case.county, case=case, measures="周调度", owner="赵六",
        deadline="2099-09-30",
    )  # fmt: skip
    client.force_login(expert)
    url = reverse("alerts:rectification", kwargs={"rectification": rect.pk})
    assert client.get(url).status_code == 200
    case.experts.clear()
    assert client.get(url).status_code == 404


def test_sending_recommendations_emails_the_county_once(
    lead, april, django_capture_on_commit_callbacks
):
    case = open_case(round=april, county=County.objects.get(code="103"), actor=lead)
    update_case(case=case, actor=lead, experts=[], recommendations="建立周调度机制")
    with django_capture_on_commit_callbacks(execute=True):
        send_recommendations(case=case, actor=lead)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["county-103@example.org"], "[会诊] 2025年4月预考核专家会诊整改建议")
    ]
    assert "建立周调度机制" in mail.outbox[0].body
    assert notify_case(case_id=case.pk) == 0
    assert len(mail.outbox) == 1
