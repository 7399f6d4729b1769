from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.describe import describe_rule
from indicators.models import Indicator
from tests.factories import CycleFactory
from tests.pages import build_manual_cycle

URL = reverse("indicators:system", kwargs={"year": 2024})


def test_system_anonymous_redirects_to_login(client, computed):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


def test_system_unknown_year_is_404(client, lead, computed):
    client.force_login(lead)
    assert client.get(reverse("indicators:system", kwargs={"year": 1999})).status_code == 404


def test_system_lead_sees_categories_indicators_and_items(client, lead, computed):
    client.force_login(lead)
    response = client.get(URL)
    assert response.status_code == 200
    categories = response.context["categories"]
    assert [(c.name, c.weights) for c in categories] == [("经济发展", Decimal("100"))]
    assert [
        (i.code, i.weight, i.unit.code, [item.code for item in i.rule_items])
        for i in categories[0].indicator_list
    ] == [
        ("A01", Decimal("60"), "TJJ", ["A01-1"]),
        ("A02", Decimal("40"), "CZJ", ["A02-1"]),
    ]
    assert (response.context["weights"], response.context["weights_ok"]) == (Decimal(100), True)
    body = response.content.decode()
    assert "Completion ratio: actual / target × 100, at most 120 points, at least 40 points" in body
    assert "own-indicator" not in body


def test_system_unit_sees_everything_with_its_own_highlighted(client, unit_user, computed):
    client.force_login(unit_user)
    body = client.get(URL).content.decode()
    assert '<tbody class="indicator-block own-indicator" id="indicator-A01">' in body
    assert '<tbody class="indicator-block" id="indicator-A02">' in body


def test_system_county_reads_rules_but_no_scores(client, county_user, computed):
    client.force_login(county_user)
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "一般公共预算收入" in body
    assert "86.00" not in body
    assert "54.00" not in body
    assert "西城区" not in body


def test_system_flags_weights_that_do_not_add_up(client, lead, computed):
    Indicator.objects.filter(code="A02").update(weight=Decimal("45"))
    client.force_login(lead)
    response = client.get(URL)
    assert (response.context["weights"], response.context["weights_ok"]) == (
        Decimal("105"),
        False,
    )
    assert "The weights do not add up to the total points." in response.content.decode()


def test_system_year_selector_links_every_year(client, lead, computed):
    CycleFactory(year=2023)
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert f'href="{reverse("indicators:system", kwargs={"year": 2023})}"' in body


@pytest.mark.parametrize("indicator_count", [1, 3])
def test_system_query_count_is_constant(
    client, lead, county, indicator_count, django_assert_num_queries
):
    build_manual_cycle([county], indicator_count)
    client.force_login(lead)
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.context["indicator_count"] == indicator_count


@pytest.mark.parametrize(
    ("method", "params", "direction", "text"),
    [
        ("manual", "", "higher", "Direct score: the responsible unit scores 0 to 100 points"),
        (
            "ratio",
            "cap=120;floor=40",
            "higher",
            "Completion ratio: actual / target × 100, at most 120 points, at least 40 points",
        ),
        ("ratio", "", "lower", "Completion ratio: target / actual × 100, at most 100 points"),
        (
            "relative",
            "floor=60",
            "higher",
            "Benchmark: actual / the best county's actual × 100 (the best is the highest), "
            "at least 60 points",
        ),
        (
            "linear",
            "base=80;per=0.5;cap=120",
            "higher",
            "Around the target: 80 points at the target, plus 0.5 points per unit above it, "
            "minus 0.5 per unit below it; between 0 and 120 points",
        ),
        (
            "rank",
            "step=4;floor=60",
            "lower",
            "Rank (lowest value first): first place 100 points, 4 points less per place, "
            "at least 60 points",
        ),
        (
            "deduction",
            "per=12.5",
            "higher",
            "Deductions: 100 points minus 12.5 points per occurrence, at least 0",
        ),
        (
            "tiers",
            "tiers=95:100,85:90,0:60",
            "higher",
            "Tiers: ≥ 95: 100 points; ≥ 85: 90 points; ≥ 0: 60 points; otherwise 0 points",
        ),
        (
            "binary",
            "",
            "lower",
            "Pass or fail: 100 points when the actual stays within the target (≤ target), else 0",
        ),
        ("ratio", "cap=999", "higher", "Completion ratio: cap=999"),
    ],
)
def test_describe_rule_explains_each_method(method, params, direction, text):
    with translation.override("en"):
        assert describe_rule(method, params, direction) == text


def test_system_shows_weights_with_two_decimals(client, lead, computed):
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert "2 indicators; weights 100.00 of 100.00 points." in body
    assert '<td class="text-end text-nowrap">60.00 points</td>' in body
    assert '<td class="text-end text-nowrap">40.00 points</td>' in body
