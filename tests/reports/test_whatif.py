"""What-if for a county: the engine's figures with one indicator improved equal a real
recomputation of the year with that changed input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.whatif import county_what_if
from scoring.models import AnnualInput, CountyResult
from scoring.results.services import compute_results
from scoring.results.whatif import improved_actual


@pytest.mark.parametrize(
    ("method", "direction", "actual", "target", "expected"),
    [
        ("ratio", "higher", "60", "100", "70"),  # 10 % of the target
        ("manual", "higher", "70", None, "77"),  # 10 % of itself
        ("manual", "higher", "95", None, "100"),  # a direct score at most 100
        ("deduction", "lower", "3", None, "2.7"),  # fewer occurrences
        ("ratio", "lower", "5", "100", "0"),  # never below 0
        ("rank", "lower", "-2", None, "-2.2"),
    ],
)
def test_improved_actual(method, direction, actual, target, expected):
    target = None if target is None else Decimal(target)
    got = improved_actual(method, direction, Decimal(actual), target, Decimal(10))
    assert got == Decimal(expected)


def test_what_if_equals_a_recomputation_with_the_changed_input(computed, other_county):
    found = county_what_if(cycle=computed, county=other_county, amount=Decimal(10), indicator="A02")
    chosen = found.chosen
    # By hand: 102's A02 actual 60 → 60 + 10 % × target 100 = 70: 24.00 → 28.00 points.
    assert (chosen.points_before, chosen.points_after) == (Decimal("24.00"), Decimal("28.00"))
    AnnualInput.objects.filter(county=other_county, item__code="A02-1").update(actual=Decimal(70))
    compute_results(cycle=computed)
    real = CountyResult.objects.get(cycle=computed, county=other_county)
    assert (chosen.total_after, chosen.rank_after) == (real.total, real.rank)
    assert (chosen.total_before, chosen.total_after) == (Decimal("66.00"), Decimal("70.00"))


def test_what_if_best_three_ranked_by_gain(computed, other_county):
    found = county_what_if(cycle=computed, county=other_county, amount=Decimal(10))
    # A01 (manual, 60 points): 70 → 77, +4.20; A02: 60 → 70 of 100, +4.00.
    assert [(w.indicator, w.gain) for w in found.best] == [
        ("A01", Decimal("4.20")),
        ("A02", Decimal("4.00")),
    ]
    assert found.chosen is None


def test_what_if_page_county_sees_its_own_once_published(client, county_user, published):
    client.force_login(county_user)
    url = reverse("reports:what_if", kwargs={"year": 2024, "county": "101"})
    response = client.get(url, {"indicator": "A01", "amount": "5"})
    assert response.status_code == 200
    assert response.context["found"].chosen.total_after == Decimal("88.70")
    assert "Improving A01 by 5 %: +2.70 points, total 88.70, rank 1 (now 1)." in (
        response.content.decode()
    )


def test_what_if_page_bad_amount_shows_the_error_and_the_default(client, lead, computed):
    client.force_login(lead)
    url = reverse("reports:what_if", kwargs={"year": 2024, "county": "101"})
    response = client.get(url, {"indicator": "A01", "amount": "500"})
    assert response.context["form"].errors == {
        "amount": ["Ensure this value is less than or equal to 100."]
    }
    assert response.context["amount"] == Decimal(10)


def test_feedback_page_offers_the_what_if(client, county_user, published):
    client.force_login(county_user)
    response = client.get(reverse("reports:feedback", kwargs={"year": 2024, "county": "101"}))
    assert 'id="what-if-form"' in response.content.decode()
    assert [c for c, _name in response.context["form"].fields["indicator"].choices] == [
        "A01",
        "A02",
    ]
