from decimal import Decimal

from django.urls import reverse

from assessment.models import Adjustment
from reports.publication import publish
from scoring.models import AnnualInput, Exemption
from scoring.results.services import compute_results
from tests.factories import CountyFactory, UnitFactory
from tests.pages import build_cycle


def url(county="101"):
    return reverse("reports:explain", kwargs={"year": 2024, "county": county})


def test_explain_shows_each_formula_with_its_figures(client, county_user, published):
    client.force_login(county_user)
    response = client.get(url())
    body = response.content.decode()
    assert "direct score: score = actual = 90" in body
    assert "completion ratio: 100 × actual ÷ target = 100 × 80 ÷ 100 = 80" in body
    assert "points = percent × weight ÷ 100 = 90 × 60 ÷ 100 = 54, shown as 54.00." in body
    assert "round2(Σ indicator points + adjustments) = round2(86 + 0) = 86.00" in body
    assert response.context["shown"] == {"A01": Decimal("54.00"), "A02": Decimal("32.00")}
    assert response.context["explanation"].stale is False


def test_explain_adds_up_to_the_stored_figures_with_exemption_and_adjustments(
    client, lead, published, county
):
    Exemption.objects.create(
        cycle=published, county=county, indicator_id=published.indicators.get(code="A02").id
    )
    Adjustment.objects.create(
        cycle=published, county=county, points=Decimal("1.25"), reason="专项考核"
    )
    AnnualInput.objects.filter(county=county, item__code="A01-1").update(actual=Decimal("88.333"))
    compute_results(cycle=published)
    client.force_login(lead)
    response = client.get(url())
    result = published.county_results.get(county=county)
    shown = {r.indicator.code: r.points for r in published.indicator_results.filter(county=county)}
    assert response.context["shown"] == shown
    e = response.context["explanation"].engine
    assert e.total == result.total == Decimal("89.58")  # 52.9998 + 35.3332 + 1.25
    body = response.content.decode()
    assert "Exempt: scored at the county's own average rate" in body
    assert "专项考核" in body


def test_explain_of_another_county_is_404_for_a_county(client, county_user, published):
    client.force_login(county_user)
    assert client.get(url("102")).status_code == 404


def test_explain_unpublished_shows_nothing_to_a_county(client, county_user, computed):
    client.force_login(county_user)
    response = client.get(url())
    assert "direct score" not in response.content.decode()
    assert response.context["visible"] is False


def test_explain_warns_when_inputs_changed_since_the_computation(client, lead, published):
    AnnualInput.objects.filter(item__code="A01-1", county__code="101").update(actual=50)
    client.force_login(lead)
    response = client.get(url())
    assert response.context["explanation"].stale is True


def test_feedback_points_link_to_their_explanation(client, county_user, published):
    client.force_login(county_user)
    body = client.get(
        reverse("reports:feedback", kwargs={"year": 2024, "county": "101"})
    ).content.decode()
    assert f'href="{url()}#ind-A01"' in body
    assert f'href="{url()}#total"' in body
    assert f'href="{url()}#grade"' in body


def test_explain_quota_walk_names_other_counties_to_the_lead_only(
    client, lead, county_user, published
):
    client.force_login(county_user)
    walk = client.get(url()).context["walk"]
    assert walk[0] == "excellence quota: floor(ratio × counties) = floor(0.3 × 2) = 0"
    body = client.get(url()).content.decode()
    assert "西城区" not in body
    client.force_login(lead)
    assert client.get(url()).context["walk"] == walk


def test_explain_quota_walk_counts_other_counties_for_a_county(client, lead, county_user, unit):
    counties = [county_user.county] + [CountyFactory(code=f"10{n}") for n in (2, 3, 4)]
    cycle = build_cycle(
        counties, [(90, 80), (95, 90), (95, 90), (70, 60)], units=(unit, UnitFactory())
    )
    cycle.excellent_ratio = Decimal("0.5")
    cycle.save()
    compute_results(cycle=cycle)
    publish(cycle=cycle, actor=lead)
    client.force_login(county_user)
    assert client.get(url()).context["walk"][1:] == [
        "total 93.00: 2 other counties — fits the quota, excellent; 0 places left",
        "total 86.00: 东城区 — 1 counties do not fit the 0 places left; the walk stops here",
    ]
