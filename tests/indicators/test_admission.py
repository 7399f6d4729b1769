"""Indicator admission: a unit proposes, the lead department reviews, the approver named in
the settings decides, an approved proposal joins a draft year; the history is kept."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import Category, Indicator, IndicatorProposal, RuleItem
from indicators.services.admission import (
    add_to_cycle,
    decide_proposal,
    is_approver,
    review_proposal,
    submit_proposal,
)
from indicators.services.yearcopy import copy_cycle
from tests.factories import UserFactory


@pytest.fixture
def proposal(unit, unit_user):
    return submit_proposal(
        proposal=IndicatorProposal(
            unit=unit, name="数字经济核心产业增加值占比", rationale="落实数字经济发展规划",
            suggested_weight=Decimal("5"), direction="higher", draft_rules="占比达到目标得满分",
        ),
        actor=unit_user,
    )  # fmt: skip


def test_admission_walks_to_a_draft_year(proposal, lead, unit, computed):
    draft = copy_cycle(source=computed, year=2025)
    review_proposal(proposal=proposal, comment="符合导向，建议准入", actor=lead)
    decide_proposal(proposal=proposal, approve=True, comment="同意", actor=lead)
    category = Category.objects.get(cycle=draft)
    indicator = add_to_cycle(
        proposal=proposal, cycle=draft, code="A03", category=category, actor=lead
    )
    assert (indicator.name, indicator.weight, indicator.unit, indicator.direction) == (
        "数字经济核心产业增加值占比", Decimal("5"), unit, "higher",
    )  # fmt: skip
    item = RuleItem.objects.get(indicator=indicator)
    assert (item.code, item.share, item.method, item.content) == (
        "A03-1", Decimal("100"), "manual", "占比达到目标得满分",
    )  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.status, proposal.indicator) == ("added", indicator)
    assert list(proposal.events.values_list("action", "comment")) == [
        ("submitted", ""), ("reviewed", "符合导向，建议准入"), ("approved", "同意"),
        ("added", "2025 A03"),
    ]  # fmt: skip
    assert LogEntry.objects.get_for_object(proposal).count() == 4


def test_rejection_keeps_its_reasons(proposal, lead):
    review_proposal(proposal=proposal, comment="与现有指标重复", actor=lead)
    with pytest.raises(ValidationError):
        decide_proposal(proposal=proposal, approve=False, comment="", actor=lead)
    decide_proposal(proposal=proposal, approve=False, comment="与A01重复，不予准入", actor=lead)
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert proposal.events.last().comment == "与A01重复，不予准入"


def test_decision_needs_a_review_first(proposal, lead):
    with pytest.raises(ValidationError):
        decide_proposal(proposal=proposal, approve=True, comment="", actor=lead)


def test_approver_named_in_the_settings(settings, lead, proposal):
    boss = UserFactory(username="boss", role="lead")
    settings.ADMISSION_APPROVER = "user:boss"
    assert (is_approver(boss), is_approver(lead)) == (True, False)
    review_proposal(proposal=proposal, comment="ok", actor=lead)
    with pytest.raises(PermissionDenied):
        decide_proposal(proposal=proposal, approve=True, comment="", actor=lead)
    settings.ADMISSION_APPROVER = "group:指标准入审批"
    Group.objects.create(name="指标准入审批").user_set.add(lead)
    assert is_approver(lead) is True


def test_add_to_cycle_refuses_an_active_year(proposal, lead, computed):
    review_proposal(proposal=proposal, comment="ok", actor=lead)
    decide_proposal(proposal=proposal, approve=True, comment="", actor=lead)
    with pytest.raises(ValidationError):
        add_to_cycle(
            proposal=proposal, cycle=computed, code="A09",
            category=Category.objects.get(cycle=computed),
        )  # fmt: skip
    assert Indicator.objects.filter(code="A09").count() == 0


def test_unit_proposes_in_the_browser(client, unit_user, unit):
    client.force_login(unit_user)
    response = client.post(
        reverse("indicators:proposals"),
        {"name": "营商环境评价", "rationale": "优化营商环境", "suggested_weight": "3",
         "direction": "higher", "draft_rules": "按第三方评价得分"},
    )  # fmt: skip
    proposal = IndicatorProposal.objects.get()
    assert response["Location"] == reverse("indicators:proposal", kwargs={"proposal": proposal.pk})
    assert (proposal.unit, proposal.status) == (unit, "submitted")


def test_lead_cannot_propose_and_county_cannot_see(client, lead, county_user):
    client.force_login(lead)
    assert client.post(reverse("indicators:proposals"), {"name": "x"}).status_code == 403
    client.force_login(county_user)
    assert client.get(reverse("indicators:proposals")).status_code == 403


def test_unit_sees_only_its_own_proposals(client, proposal, other_unit_user, unit_user):
    client.force_login(other_unit_user)
    assert list(client.get(reverse("indicators:proposals")).context["proposals"]) == []
    client.force_login(unit_user)
    assert list(client.get(reverse("indicators:proposals")).context["proposals"]) == [proposal]


def test_proposal_page_shows_the_history_to_its_unit(client, proposal, lead, unit_user):
    review_proposal(proposal=proposal, comment="建议准入", actor=lead)
    client.force_login(unit_user)
    body = client.get(
        reverse("indicators:proposal", kwargs={"proposal": proposal.pk})
    ).content.decode()
    assert "建议准入" in body
    assert 'id="proposal-history"' in body


def test_lead_reviews_decides_and_adds_in_the_browser(client, proposal, lead, computed):
    draft = copy_cycle(source=computed, year=2025)
    client.force_login(lead)
    kwargs = {"proposal": proposal.pk}
    client.post(reverse("indicators:proposal_review", kwargs=kwargs), {"comment": "同意报批"})
    client.post(reverse("indicators:proposal_decide", kwargs=kwargs), {"decision": "approve"})
    category = Category.objects.get(cycle=draft)
    client.post(
        reverse("indicators:proposal_add", kwargs=kwargs), {"category": category.pk, "code": "B01"}
    )
    assert Indicator.objects.get(cycle=draft, code="B01").name == "数字经济核心产业增加值占比"
