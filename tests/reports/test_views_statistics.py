from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Publication
from reports.publication import publish
from scoring.models import AnnualInput
from scoring.results.services import compute_results
from tests.factories import CountyFactory
from tests.pages import build_manual_cycle

URL = reverse("reports:statistics", kwargs={"year": 2024})


def test_statistics_unpublished_county_sees_a_notice_only(client, county_user, computed):
    client.force_login(county_user)
    response = client.get(URL)
    body = response.content.decode()
    assert (response.status_code, response.context["rows"]) == (200, [])
    assert "The 2024 results have not been published yet." in body


def test_statistics_lead_sees_them_before_publication_with_the_publish_form(client, lead, computed):
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert reverse("reports:publish", kwargs={"year": 2024}) in body
    assert '<td class="text-end">54.00</td>' in body


@pytest.mark.parametrize("user", ["unit_user", "county_user"])
def test_statistics_published_every_role_sees_them(client, published, user, request):
    client.force_login(request.getfixturevalue(user))
    response = client.get(URL)
    rows = [
        (r.indicator.code, r.stat.highest, r.stat.lowest, r.stat.average, r.top_names)
        for r in response.context["rows"]
    ]
    assert rows == [
        ("A01", Decimal("54.00"), Decimal("42.00"), Decimal("48.00"), ["东城区", "西城区"]),
        ("A02", Decimal("32.00"), Decimal("24.00"), Decimal("28.00"), ["东城区", "西城区"]),
    ]
    assert reverse("reports:publish", kwargs={"year": 2024}) not in response.content.decode()


def test_statistics_ties_at_third_place_are_all_listed(client, lead, county_user):
    counties = [county_user.county] + [CountyFactory(code=f"1{n:02d}") for n in range(2, 6)]
    cycle = build_manual_cycle(counties, 1)
    # Scores 90, 89, 88, 87, 86: make the fourth equal to the third.
    AnnualInput.objects.filter(county__code="104").update(actual=Decimal("88"))
    compute_results(cycle=cycle)
    publish(cycle=cycle, actor=lead)
    client.force_login(county_user)
    stat = client.get(URL).context["rows"][0].stat
    assert (stat.top, stat.bottom) == (["101", "102", "103", "104"], ["105", "103", "104"])
    assert (stat.highest, stat.lowest, stat.average) == (
        Decimal("9.00"),
        Decimal("8.60"),
        Decimal("8.82"),
    )


@pytest.mark.parametrize("size", [1, 3])
def test_statistics_query_count_is_constant(
    client, county_user, size, django_assert_num_queries, lead
):
    counties = [county_user.county] + [CountyFactory(code=f"2{n:02d}") for n in range(size)]
    cycle = build_manual_cycle(counties, size)
    publish(cycle=cycle, actor=lead)
    client.force_login(county_user)
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert len(response.context["rows"]) == size


def test_latest_statistics_goes_to_the_latest_published_year(client, county_user, published):
    client.force_login(county_user)
    assert client.get(reverse("reports:latest_statistics"))["Location"] == URL


def test_publishing_shows_what_it_will_change_then_publishes_on_confirming(client, lead, computed):
    client.force_login(lead)
    url = reverse("reports:publish", kwargs={"year": 2024})
    page = client.get(url, {"objection_days": "10"})
    assert (page.status_code, page.context["counties"], page.context["objection_days"]) == (
        200, 2, 10,
    )  # fmt: skip
    assert page.context["objection_until"] == timezone.localdate() + timedelta(days=10)
    assert not Publication.objects.filter(cycle=computed, published=True).exists()
    client.post(url, {"objection_days": "10"})
    publication = Publication.objects.get(cycle=computed)
    assert (publication.published, publication.objection_days) == (True, 10)


def test_withdrawing_shows_what_it_will_change_then_withdraws_on_confirming(
    client, lead, published
):
    client.force_login(lead)
    url = reverse("reports:withdraw", kwargs={"year": 2024})
    page = client.get(url, {"reason": "数据有误"})
    assert (page.context["counties"], page.context["open_objections"]) == (2, 0)
    assert Publication.objects.get(cycle__year=2024).published is True
    client.post(url, {"reason": "数据有误"})
    assert Publication.objects.get(cycle__year=2024).published is False
