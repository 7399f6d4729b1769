from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Cycle, Round
from indicators.models import Indicator
from reports.publication import publish, withdraw
from tests.factories import CycleFactory, RoundFactory
from tests.pages import build_cycle, build_manual_cycle

HOME = "/"


def test_home_anonymous_redirects_to_login(client, db):
    response = client.get(HOME)
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_home_lead_shows_the_year_at_a_glance(client, lead, computed):
    RoundFactory(cycle=computed, code="april", name="4月预考核", closes_on=date(2024, 4, 30))
    client.force_login(lead)
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.templates[0].name == "reports/home_lead.html"
    context = response.context
    assert (context["cycle"], context["counties"], context["indicators"], context["units"]) == (
        computed,
        2,
        2,
        2,
    )
    assert (context["weights"], context["weights_ok"], context["results"]) == (
        Decimal("100"),
        True,
        2,
    )
    body = response.content.decode()
    assert '<div class="figure-value" id="count-counties">2</div>' in body
    assert '<div class="figure-value" id="weights">100.00 / 100.00</div>' in body
    assert "4月预考核" in body
    assert "2024-04-30" in body
    assert reverse("scoring:compute_results", kwargs={"year": 2024}) in body


def test_home_lead_flags_weights_that_do_not_add_up(client, lead, computed):
    Indicator.objects.filter(code="A02").update(weight=Decimal("30"))
    client.force_login(lead)
    response = client.get(HOME)
    assert response.context["weights_ok"] is False
    assert (
        '<div class="figure-value" id="weights">90.00 / 100.00</div>' in response.content.decode()
    )


def test_home_lead_opens_on_the_latest_active_year(client, lead, computed):
    CycleFactory(year=2025, status=Cycle.Status.DRAFT)
    CycleFactory(year=2023, status=Cycle.Status.ACTIVE)
    client.force_login(lead)
    assert client.get(HOME).context["cycle"].year == 2024


def test_home_lead_without_any_cycle_points_to_the_import(client, lead):
    client.force_login(lead)
    response = client.get(HOME)
    assert response.context["cycle"] is None
    assert reverse("scoring:workbook") in response.content.decode()


@pytest.mark.parametrize("round_count", [1, 3])
def test_home_lead_query_count_is_constant(
    client, lead, computed, round_count, django_assert_num_queries
):
    for n in range(round_count):
        RoundFactory(cycle=computed, code=f"r{n}", name=f"第{n}轮")
    client.force_login(lead)
    # 7 for the page, 6 for the to-do list (tests/reports/test_todo.py).
    with django_assert_num_queries(13):
        response = client.get(HOME)
    assert len(response.context["rounds"]) == round_count


def test_home_unit_lists_its_indicators_only(client, unit_user, computed):
    Indicator.objects.filter(code="A01").update(rules_status=Indicator.RulesStatus.SUBMITTED)
    client.force_login(unit_user)
    response = client.get(HOME)
    assert response.status_code == 200
    assert [i.code for i in response.context["indicators"]] == ["A01"]
    assert response.context["indicators"][0].item_count == 1
    statuses = dict(response.context["statuses"])
    assert (statuses["Submitted"], statuses["Draft"]) == (1, 0)
    body = response.content.decode()
    assert "地区生产总值增速" in body
    assert "一般公共预算收入" not in body


def test_home_unit_without_cycle_says_so(client, unit_user):
    client.force_login(unit_user)
    response = client.get(HOME)
    assert (response.status_code, response.context["indicators"]) == (200, [])


def test_home_county_shows_its_own_result_only(client, county_user, published):
    client.force_login(county_user)
    response = client.get(HOME)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div class="figure-value" id="county-total">86.00</div>' in body
    assert response.context["result"].rank == 1
    assert response.context["county_count"] == 2
    assert [(r.indicator.code, r.points, r.rank, r.ranked) for r in response.context["rows"]] == [
        ("A01", Decimal("54.00"), 1, 2),
        ("A02", Decimal("32.00"), 1, 2),
    ]
    # The other county (西城区, 66.00 = 42 + 24) appears nowhere.
    assert "西城区" not in body
    assert "66.00" not in body
    assert "42.00" not in body


def test_home_county_second_place_sees_its_rank_but_not_the_leader(
    client, other_county_user, published
):
    client.force_login(other_county_user)
    body = client.get(HOME).content.decode()
    assert '<div class="figure-value" id="county-total">66.00</div>' in body
    assert "东城区" not in body
    assert "86.00" not in body


def test_home_county_shows_the_most_recent_year_with_results(client, county_user, published):
    CycleFactory(year=2025, status=Cycle.Status.ACTIVE).counties.add(county_user.county)
    client.force_login(county_user)
    assert client.get(HOME).context["result"].cycle.year == 2024


def test_home_county_does_not_show_unpublished_results(client, county_user, computed):
    client.force_login(county_user)
    response = client.get(HOME)
    body = response.content.decode()
    assert (response.status_code, response.context["result"]) == (200, None)
    assert "86.00" not in body
    assert "No annual results have been published for your county yet." in body


def test_home_county_does_not_show_withdrawn_results(client, lead, county_user, published):
    withdraw(cycle=published, actor=lead, reason="数据复核")
    client.force_login(county_user)
    assert client.get(HOME).context["result"] is None


def test_home_county_skips_an_unpublished_later_year(client, lead, county_user, other_county):
    build_cycle([county_user.county, other_county], [(90, 80), (70, 60)], year=2023)
    publish(cycle=Cycle.objects.get(year=2023), actor=lead)
    build_cycle([county_user.county, other_county], [(50, 50), (70, 60)], year=2024)
    client.force_login(county_user)
    response = client.get(HOME)
    assert response.context["result"].cycle.year == 2023
    assert "86.00" in response.content.decode()


def test_home_county_without_results_says_so(client, county_user, published):
    published.county_results.all().delete()
    client.force_login(county_user)
    response = client.get(HOME)
    assert (response.status_code, response.context["result"]) == (200, None)


@pytest.mark.parametrize("indicator_count", [1, 3])
def test_home_county_query_count_is_constant(
    client, county_user, other_county, indicator_count, django_assert_num_queries
):
    cycle = build_manual_cycle([county_user.county, other_county], indicator_count)
    publish(cycle=cycle, actor=None)
    client.force_login(county_user)
    # 8 for the page, 4 for the to-do list, 1 for the navigation's count of unread warnings.
    with django_assert_num_queries(13):
        response = client.get(HOME)
    assert len(response.context["rows"]) == indicator_count


@pytest.mark.parametrize("indicator_count", [1, 3])
def test_home_unit_query_count_is_constant(
    client, unit_user, county, indicator_count, django_assert_num_queries
):
    build_manual_cycle([county], indicator_count, unit=unit_user.unit)
    client.force_login(unit_user)
    # 5 for the page, 6 for the to-do list.
    with django_assert_num_queries(11):
        response = client.get(HOME)
    assert len(response.context["indicators"]) == indicator_count


def test_home_navbar_shows_lead_links_to_lead_only(client, lead, unit_user, computed):
    results_url = reverse("scoring:results", kwargs={"year": 2024})
    client.force_login(lead)
    assert results_url in client.get(HOME).content.decode()
    client.force_login(unit_user)
    body = client.get(HOME).content.decode()
    assert results_url not in body
    assert reverse("indicators:system", kwargs={"year": 2024}) in body


def test_home_navbar_shows_name_role_logout_and_language_switch(client, unit_user, computed):
    client.force_login(unit_user)
    body = client.get(HOME).content.decode()
    assert 'data-role="unit"' in body
    assert "市统计局" in body
    assert f'action="{reverse("logout")}"' in body
    assert f'action="{reverse("set_language")}"' in body
    assert 'name="language" value="en"' in body


def test_round_status_is_shown(client, lead, computed):
    RoundFactory(cycle=computed, status=Round.Status.CLOSED)
    client.force_login(lead)
    assert 'class="badge round-closed"' in client.get(HOME).content.decode()


def test_home_html_lang_follows_the_active_language(client, lead, computed):
    client.force_login(lead)
    assert '<html lang="en">' in client.get(HOME).content.decode()
    chinese_client = Client()
    chinese_client.force_login(lead)
    chinese = chinese_client.get(HOME).content.decode()
    assert '<html lang="zh-hans">' in chinese
    assert "<title>首页 · " in chinese


def test_home_navbar_marks_the_current_page(client, lead, computed):
    client.force_login(lead)
    body = client.get(HOME).content.decode()
    assert body.count('aria-current="page"') == 1
    assert f'class="nav-link active" href="{HOME}" aria-current="page"' in body


def test_home_unit_counts_rules_by_status(client, unit_user, computed):
    client.force_login(unit_user)
    body = client.get(HOME).content.decode()
    assert '<span class="badge text-bg-light border">Approved: 0</span>' in body
    assert '<span class="badge text-bg-light border">Draft: 1</span>' in body


def test_home_county_shows_its_rank_out_of_the_counties(client, other_county_user, published):
    client.force_login(other_county_user)
    body = client.get(HOME).content.decode()
    assert '<div class="figure-value" id="county-rank">2</div>' in body
    assert "out of 2 counties" in body


def test_home_county_shows_weights_with_two_decimals(client, county_user, published):
    client.force_login(county_user)
    body = client.get(HOME).content.decode()
    assert '<td class="text-end">60.00</td>' in body
    assert '<td class="text-end">54.00</td>' in body


def test_home_county_marks_an_overridden_grade(client, county_user, published):
    published.county_results.filter(county=county_user.county).update(
        grade_override="excellent", override_reason="专项考核表现突出"
    )
    client.force_login(county_user)
    body = client.get(HOME).content.decode()
    assert 'grade-override" title="专项考核表现突出"' in body
