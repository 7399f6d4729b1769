"""The lead department's review of the results: sorting, grade distribution, vetoes, adjustments."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Adjustment, Veto
from scoring.results.services import compute_results
from tests.factories import CountyFactory
from tests.pages import build_cycle

URL = reverse("scoring:results", kwargs={"year": 2024})


@pytest.fixture
def three(db, lead):
    counties = [CountyFactory(code=c) for c in ("101", "102", "103")]
    # Totals: 101 → 86.00, 102 → 66.00 (A01 42), 103 → 79.00 (A01 39, A02 40).
    return build_cycle(counties, [(90, 80), (70, 60), (65, 100)])


def _order(client, sort):
    response = client.get(URL, {"sort": sort})
    return [r.county.code for r in response.context["county_results"]], response


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("rank", ["101", "103", "102"]),
        ("-rank", ["102", "103", "101"]),
        ("total", ["102", "103", "101"]),
        ("-total", ["101", "103", "102"]),
        ("county", ["101", "102", "103"]),
        ("-county", ["103", "102", "101"]),
        ("i:A01", ["103", "102", "101"]),
        ("-i:A02", ["103", "101", "102"]),
        ("grade", ["101", "102", "103"]),
        ("nonsense", ["101", "103", "102"]),
    ],
)
def test_results_sort_by_any_column(client, lead, three, sort, order):
    client.force_login(lead)
    assert _order(client, sort)[0] == order


def test_results_sort_header_toggles_and_marks_the_direction(client, lead, three):
    client.force_login(lead)
    body = _order(client, "-total")[1].content.decode()
    assert 'aria-sort="descending"><a class="sort-link" href="?sort=total">' in body
    assert '<a class="sort-link" href="?sort=-i%3AA01">A01</a>' in body


def test_results_grade_distribution_against_quota_and_lines(client, lead, three):
    Veto.objects.create(cycle=three, county=three.counties.get(code="103"), reason="安全事故")
    compute_results(cycle=three)
    client.force_login(lead)
    response = client.get(URL)
    distribution = response.context["distribution"]
    # N = 3, p = 0.30 → quota 0; good line 80.00, fair line 60.00; 103 vetoed → poor.
    assert distribution["grades"] == [
        ("excellent", "Excellent", 0),
        ("good", "Good", 1),
        ("fair", "Fair", 1),
        ("poor", "Poor", 1),
    ]
    assert (distribution["quota"], distribution["lines"].good, distribution["lines"].fair) == (
        0,
        Decimal("80.00"),
        Decimal("60.00"),
    )
    body = response.content.decode()
    assert "quota 0 (excellence ratio 30%)" in body
    assert "安全事故" in body


def test_results_list_adjustments_with_reasons(client, lead, three):
    Adjustment.objects.create(
        cycle=three, county=three.counties.get(code="102"), points=Decimal("-1.5"),
        reason="信访工作通报批评",
    )  # fmt: skip
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert '<td class="text-end">-1.50</td>' in body
    assert "信访工作通报批评" in body
