"""Detailed rules: the form (method parameters, validation, preview), the workflow (submit,
approve, return, reopen) with its audit entries, and the booklet."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessment.models import Cycle
from assessment.review.services import Locked
from indicators.models import Indicator, RuleItem
from indicators.services import (
    RulesError,
    approve_rules,
    reopen_rules,
    return_rules,
    submit_rules,
)
from tests.factories import CategoryFactory, IndicatorFactory, RuleItemFactory
from tests.pages import build_cycle


@pytest.fixture
def cycle(unit, other_unit, county, other_county):
    return build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)


def url(name="rules", indicator="A01"):
    return reverse(f"indicators:{name}", kwargs={"year": 2024, "indicator": indicator})


def _form(items, direction="higher", **extra):
    """POST data of the rules form for ``items`` (dicts of the fields, with "id" if stored)."""
    data = {
        "direction": direction,
        "form-TOTAL_FORMS": str(len(items)),
        "form-INITIAL_FORMS": str(sum(1 for i in items if i.get("id"))),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for n, item in enumerate(items):
        for key, value in item.items():
            data[f"form-{n}-{key}"] = value
    return data


def test_rules_unit_saves_items_with_the_methods_parameters(client, unit_user, cycle):
    client.force_login(unit_user)
    old = RuleItem.objects.get(code="A01-1")
    response = client.post(url(), _form([
        {"id": old.pk, "code": "A01-1", "name": "增速", "share": "60", "method": "linear",
         "base": "80", "per": "5", "cap": "120", "step": "3"},
        {"code": "A01-2", "name": "排名", "share": "40", "method": "tiers",
         "tiers": "8:100,6:80,-1:40"},
    ], save=""))  # fmt: skip
    assert response.status_code == 302
    items = list(
        RuleItem.objects.filter(indicator__code="A01").values_list(
            "code", "method", "params", "share", "order"
        )
    )
    # step is not a parameter of linear: the hidden field is not kept.
    assert items == [
        ("A01-1", "linear", "base=80;per=5;cap=120", Decimal(60), 1),
        ("A01-2", "tiers", "tiers=8:100,6:80,-1:40", Decimal(40), 2),
    ]
    entries = LogEntry.objects.get_for_model(RuleItem).filter(actor=unit_user)
    assert entries.count() == 2


def test_rules_bad_parameters_and_shares_are_shown_and_nothing_is_lost(client, unit_user, cycle):
    client.force_login(unit_user)
    old = RuleItem.objects.get(code="A01-1")
    response = client.post(url(), _form([
        {"id": old.pk, "code": "A01-1", "name": "增速", "share": "70", "method": "ratio",
         "cap": "90"},
    ], save=""))  # fmt: skip
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[0].non_field_errors() == ["cap must be between 100 and 200 (90)"]
    assert formset.forms[0]["cap"].value() == "90"
    assert RuleItem.objects.get(pk=old.pk).method == "manual"


def test_rules_shares_must_sum_to_100(client, unit_user, cycle):
    client.force_login(unit_user)
    old = RuleItem.objects.get(code="A01-1")
    response = client.post(url(), _form([
        {"id": old.pk, "code": "A01-1", "name": "增速", "share": "70", "method": "manual"},
    ], save=""))  # fmt: skip
    assert response.context["formset"].non_form_errors() == [
        "The shares of the items sum to 70, not 100."
    ]


def test_rules_direction_change_rechecks_tiers(client, unit_user, cycle):
    old = RuleItem.objects.get(code="A01-1")
    old.method, old.params = "tiers", "tiers=90:100,80:80"
    old.save()
    client.force_login(unit_user)
    item = {"id": old.pk, "code": "A01-1", "name": "x", "share": "100", "method": "tiers",
            "tiers": "90:100,80:80"}  # fmt: skip
    response = client.post(url(), _form([item], direction="lower", save=""))
    assert response.status_code == 400
    assert response.context["formset"].forms[0].non_field_errors() == [
        "tiers are not monotone for a lower-is-better indicator: 90:100 then 80:80"
    ]
    assert Indicator.objects.get(code="A01").direction == "higher"


def test_rules_preview_scores_a_sample_with_the_engine_and_saves_nothing(client, unit_user, cycle):
    client.force_login(unit_user)
    old = RuleItem.objects.get(code="A01-1")
    response = client.post(url(), _form([
        {"id": old.pk, "code": "A01-1", "name": "增速", "share": "100", "method": "linear",
         "per": "5", "sample_actual": "-1.5", "sample_target": "-2"},
    ], preview=""))  # fmt: skip
    assert response.status_code == 200
    # 100 + 5 × (−1.5 − (−2)) = 102.5, capped at 100.
    assert response.context["formset"].forms[0].preview.score == Decimal(100)
    assert RuleItem.objects.get(pk=old.pk).method == "manual"


def test_rules_workflow_submit_return_resubmit_approve_reopen(cycle, unit_user, lead):
    a01 = Indicator.objects.get(code="A01")
    submit_rules(indicator=a01, actor=unit_user)
    return_rules(indicator=a01, actor=lead, comment="请补充考核内容")
    assert (a01.rules_status, a01.rules_comment) == ("returned", "请补充考核内容")
    submit_rules(indicator=a01, actor=unit_user)
    approve_rules(indicator=a01, actor=lead)
    with pytest.raises(Locked):
        submit_rules(indicator=a01, actor=unit_user)
    reopen_rules(indicator=a01, actor=lead, reason="上级文件调整")
    assert (a01.rules_status, a01.rules_comment) == ("draft", "上级文件调整")
    entries = [
        (e.changes["rules_status"], e.additional_data, e.actor and e.actor.username)
        for e in LogEntry.objects.get_for_object(a01).order_by("id")
        if "rules_status" in e.changes and e.action == LogEntry.Action.UPDATE
    ]
    assert entries == [
        (["draft", "submitted"], None, "unit-TJJ"),
        (["submitted", "returned"], {"comment": "请补充考核内容"}, "lead"),
        (["returned", "submitted"], None, "unit-TJJ"),
        (["submitted", "approved"], None, "lead"),
        (["approved", "draft"], {"reason": "上级文件调整"}, "lead"),
    ]


def test_rules_submit_refused_while_shares_do_not_sum(cycle, unit_user):
    a01 = Indicator.objects.get(code="A01")
    RuleItem.objects.filter(indicator=a01).update(share=Decimal(50))
    with pytest.raises(RulesError) as refused:
        submit_rules(indicator=a01, actor=unit_user)
    assert refused.value.messages == ["The shares of the items sum to 50, not 100."]


def test_rules_approved_page_is_frozen_and_says_who_reopens(client, unit_user, lead, cycle):
    a01 = Indicator.objects.get(code="A01")
    submit_rules(indicator=a01, actor=unit_user)
    approve_rules(indicator=a01, actor=lead)
    client.force_login(unit_user)
    response = client.get(url())
    body = response.content.decode()
    assert "The rules are approved and frozen." in body
    assert "Only the lead department can reopen them, with a reason." in body
    assert 'name="save"' not in body
    # A POST changes nothing either.
    client.post(
        url(), _form([{"code": "A01-1", "name": "x", "share": "100", "method": "manual"}], save="")
    )
    assert RuleItem.objects.get(code="A01-1").name == "增速得分"


def test_rules_archived_cycle_is_locked(cycle, unit_user):
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.Status.ARCHIVED)
    with pytest.raises(Locked) as refused:
        submit_rules(indicator=Indicator.objects.get(code="A01"), actor=unit_user)
    assert refused.value.lock.reason == "cycle_archived"


def test_rules_lead_return_needs_a_comment(client, lead, unit_user, cycle):
    a01 = Indicator.objects.get(code="A01")
    submit_rules(indicator=a01, actor=unit_user)
    client.force_login(lead)
    client.post(url("rules_return"), {"comment": ""})
    assert Indicator.objects.get(code="A01").rules_status == "submitted"
    client.post(url("rules_return"), {"comment": "请修改"})
    assert Indicator.objects.get(code="A01").rules_status == "returned"


def test_booklet_shows_approved_rules_only_in_plain_words(
    client, county_user, unit_user, lead, cycle
):
    a02 = Indicator.objects.get(code="A02")
    submit_rules(indicator=a02, actor=lead)
    approve_rules(indicator=a02, actor=lead)
    client.force_login(county_user)
    response = client.get(reverse("indicators:booklet", kwargs={"year": 2024}))
    shown = [
        (ind.code, [item.explained for item in ind.rule_items])
        for category in response.context["categories"]
        for ind in category.indicator_list
    ]
    assert shown == [
        ("A02", ["Completion ratio: actual / target × 100, at most 120 points, at least 40 points"])
    ]
    assert (response.context["approved"], response.context["total"]) == (1, 2)


@pytest.mark.parametrize("n", [1, 3])
def test_booklet_takes_constant_queries(client, lead, unit, django_assert_num_queries, n):
    from tests.factories import CycleFactory

    cycle = CycleFactory(year=2031)
    for _k in range(n):
        category = CategoryFactory(cycle=cycle)
        ind = IndicatorFactory(cycle=cycle, category=category, unit=unit, rules_status="approved")
        RuleItemFactory(indicator=ind)
    client.force_login(lead)
    with django_assert_num_queries(8):
        assert client.get(reverse("indicators:booklet", kwargs={"year": 2031})).status_code == 200


def test_indicator_direction_change_rechecks_its_items_anywhere(cycle):
    from django.core.exceptions import ValidationError

    a01 = Indicator.objects.get(code="A01")
    RuleItem.objects.filter(indicator=a01).update(method="tiers", params="tiers=90:100,80:80")
    a01.direction = "lower"
    with pytest.raises(ValidationError) as refused:
        a01.full_clean()
    assert refused.value.message_dict == {
        "direction": [
            "item A01-1: tiers are not monotone for a lower-is-better indicator: 90:100 then 80:80"
        ]
    }
