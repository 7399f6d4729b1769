from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Cycle
from indicators.models import Indicator
from reports.publication import publish
from tests.factories import CountyFactory
from tests.pages import build_cycle, build_manual_cycle


@pytest.fixture
def two_years(lead, unit, other_unit, county, other_county):
    counties = [county, other_county]
    build_cycle(counties, [(80, 70), (90, 80)], year=2023, units=(unit, other_unit))
    build_cycle(counties, [(90, 80), (70, 60)], year=2024, units=(unit, other_unit))
    # A02 renamed and re-weighted in 2024 (A01 takes the difference): still followed by code.
    Indicator.objects.filter(cycle__year=2024, code="A02").update(
        name="一般公共预算收入（新口径）", weight=Decimal("40")
    )
    for year in (2023, 2024):
        publish(cycle=Cycle.objects.get(year=year), actor=lead)


def test_county_years_side_by_side(client, county_user, two_years):
    client.force_login(county_user)
    response = client.get(reverse("reports:county_years", kwargs={"county": "101"}))
    assert [c.cycle.year for c in response.context["columns"]] == [2023, 2024]
    assert [c.result.total for c in response.context["columns"]] == [
        Decimal("76.00"),
        Decimal("86.00"),
    ]
    rows = {r.code: r for r in response.context["rows"]}
    assert [cell[0] for cell in rows["A02"].cells] == [Decimal("28.00"), Decimal("32.00")]
    assert (rows["A02"].name, rows["A02"].renamed) == ("一般公共预算收入（新口径）", True)


def test_indicator_years_follow_the_code_across_a_rename(client, lead, two_years):
    client.force_login(lead)
    response = client.get(reverse("reports:indicator_years", kwargs={"indicator": "A02"}))
    names = [y.indicator.name for y in response.context["years"]]
    assert names == ["一般公共预算收入", "一般公共预算收入（新口径）"]
    assert [(c.code, values) for c, values in response.context["rows"]] == [
        ("101", [Decimal("28.00"), Decimal("32.00")]),
        ("102", [Decimal("32.00"), Decimal("24.00")]),
    ]


def test_indicator_years_a_county_sees_its_own_row_only(client, county_user, two_years):
    client.force_login(county_user)
    response = client.get(reverse("reports:indicator_years", kwargs={"indicator": "A02"}))
    assert [c.code for c, _values in response.context["rows"]] == ["101"]
    assert "西城区" not in response.content.decode()


def test_years_unpublished_year_is_left_out_for_a_county(client, county_user, computed):
    client.force_login(county_user)
    response = client.get(reverse("reports:county_years", kwargs={"county": "101"}))
    assert response.context["columns"] == []


@pytest.mark.parametrize("size", [1, 3])
def test_county_years_query_count_is_constant(
    client, county_user, lead, size, django_assert_num_queries
):
    counties = [county_user.county] + [CountyFactory(code=f"4{n:02d}") for n in range(size)]
    for year in range(2020, 2020 + size):
        publish(cycle=build_manual_cycle(counties, size, year=year), actor=lead)
    client.force_login(county_user)
    with django_assert_num_queries(10):
        client.get(reverse("reports:county_years", kwargs={"county": "101"}))
