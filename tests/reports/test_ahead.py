"""Charts and explanations prepared ahead by the worker (reports/ahead.py), the narrow charts
for phones, and the explanation kept per state of the data (reports/explain.py)."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from assessment.models import Cycle
from indicators.models import RuleItem
from reports.ahead import prepare_ahead
from reports.charts import draw
from reports.explain import data_stamp
from reports.publication import publish
from scoring.models import AnnualInput
from scoring.results.services import compute_results
from tests.pages import build_cycle


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def two_years(lead, unit, other_unit, county, other_county):
    counties = [county, other_county]
    build_cycle(counties, [(80, 70), (90, 80)], year=2023, units=(unit, other_unit))
    build_cycle(counties, [(90, 80), (70, 60)], year=2024, units=(unit, other_unit))
    for year in (2023, 2024):
        publish(cycle=Cycle.objects.get(year=year), actor=lead)
    return Cycle.objects.get(year=2024)


def chinese(user) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    return client


def chart_urls(county: str) -> list[str]:
    urls = [
        reverse("reports:county_trend_svg", kwargs={"county": county}),
        reverse("reports:county_profile_svg", kwargs={"year": 2024, "county": county}),
        reverse("reports:change_svg", kwargs={"year": 2024}),
    ]
    return urls + [f"{url}?width=narrow" for url in urls]


def test_prepare_ahead_draws_every_chart_the_pages_show_once(
    two_years, lead, county_user, other_county_user
):
    summary = prepare_ahead(cycle=two_years)
    # Per width: each county's trend and profile (the same for both readers), its change as
    # the lead sees it and as the county does (others as places), and the dashboard's three.
    assert (summary.charts, summary.explanations) == (22, 2)
    assert prepare_ahead(cycle=two_years) == type(summary)(charts=0, explanations=0)
    before = draw.drawn
    dashboard = [
        reverse("reports:distribution_svg", kwargs={"year": 2024}),
        reverse("reports:trends_svg"),
    ]
    lead_client = chinese(lead)
    statuses = [lead_client.get(url).status_code for url in chart_urls("101") + chart_urls("102")]
    statuses += [lead_client.get(url).status_code for url in dashboard]
    statuses += [lead_client.get(f"{url}?width=narrow").status_code for url in dashboard]
    for user in (county_user, other_county_user):
        statuses += [chinese(user).get(url).status_code for url in chart_urls(user.county.code)]
    assert (statuses, draw.drawn) == ([200] * 28, before)


def test_prepare_ahead_before_publication_draws_the_lead_view_only(computed):
    assert prepare_ahead(cycle=computed).charts == 2 * (2 + 2 + 1 + 2)


def test_results_computed_queue_the_drawing_after_the_commit(
    settings, two_years, lead, django_capture_on_commit_callbacks
):
    settings.DRAW_AHEAD = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        compute_results(cycle=two_years)
    before = draw.drawn
    assert len(callbacks) == 1
    callbacks[0]()  # the worker's job (eager in the tests)
    assert draw.drawn == before + 22
    client = chinese(lead)
    assert [client.get(url).status_code for url in chart_urls("101")] == [200] * 6
    assert draw.drawn == before + 22


def test_publication_queues_the_counties_charts(
    settings, computed, lead, county_user, django_capture_on_commit_callbacks
):
    prepare_ahead(cycle=computed)
    settings.DRAW_AHEAD = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(cycle=computed, actor=lead)
    before = draw.drawn
    client = chinese(county_user)
    statuses = [client.get(url).status_code for url in chart_urls("101")]
    assert (len(callbacks), statuses, draw.drawn) == (1, [200] * 6, before)


def test_no_drawing_is_queued_without_a_worker(two_years, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        compute_results(cycle=two_years)
    assert [c.__qualname__ for c in callbacks if "ahead" in c.__qualname__] == []


# --- the narrow variant ----------------------------------------------------------------------


def _text_sizes(svg: str) -> set[float]:
    """The font sizes (pt) of the texts of a matplotlib SVG: text is drawn as glyph paths
    scaled by size ÷ 100."""
    return {round(float(s) * 100, 1) for s in re.findall(r"scale\(([0-9.]+) -[0-9.]+\)", svg)}


def test_narrow_chart_is_302_points_wide_with_no_text_under_10_points(client, lead, two_years):
    client.force_login(lead)
    for url in (
        reverse("reports:trends_svg"),
        reverse("reports:county_profile_svg", kwargs={"year": 2024, "county": "101"}),
    ):
        narrow = client.get(f"{url}?width=narrow").content.decode()
        wide = client.get(url).content.decode()
        assert re.search(r'width="([0-9.]+)pt"', narrow).group(1) == "302.4"
        assert re.search(r'width="([0-9.]+)pt"', wide).group(1) == "648"
        assert min(_text_sizes(narrow)) == 10.0
    # The wide dashboard keeps its small legend; the narrow one does not.
    assert min(_text_sizes(client.get(reverse("reports:trends_svg")).content.decode())) == 8.0


def test_feedback_page_offers_the_narrow_charts_below_768_pixels(client, county_user, two_years):
    client.force_login(county_user)
    body = client.get(
        reverse("reports:feedback", kwargs={"year": 2024, "county": "101"})
    ).content.decode()
    assert (
        '<source media="(max-width: 767.98px)" srcset="/counties/101/trend.svg?width=narrow">'
        in body
    )


# --- the explanation, prepared once per state of the data ------------------------------------


def _explain(county="101"):
    return reverse("reports:explain", kwargs={"year": 2024, "county": county})


def test_explanation_prepared_ahead_is_served_without_computing(
    two_years, lead, django_assert_num_queries
):
    client = chinese(lead)
    client.get("/")  # the session and the user's first reads out of the count
    # Missing: the page reads the year (7 queries) and computes it.
    with django_assert_num_queries(21):
        miss = client.get(_explain())
    prepare_ahead(cycle=two_years)
    # Kept: the data's stamp (7 small queries) finds it; nothing of the year is read.
    with django_assert_num_queries(14):
        hit = client.get(_explain())
    assert hit.context["blocks_html"] == miss.context["blocks_html"]
    assert hit.context["walk"] == miss.context["walk"]
    assert hit.context["shown"] == {"A01": Decimal("54.00"), "A02": Decimal("32.00")}


def test_explanation_follows_an_input_changed_after_it_was_kept(client, lead, two_years):
    client.force_login(lead)
    assert client.get(_explain()).context["explanation"].stale is False
    # A change that leaves the rows' update times alone is seen too.
    AnnualInput.objects.filter(item__code="A01-1", county__code="101", cycle=two_years).update(
        actual=50
    )
    response = client.get(_explain())
    assert (response.context["explanation"].stale, response.context["shown"]["A01"]) == (
        True,
        Decimal("30.00"),
    )


def test_explanation_follows_a_renamed_rule_item(client, lead, two_years):
    client.force_login(lead)
    client.get(_explain())
    RuleItem.objects.filter(cycle=two_years, code="A01-1").update(name="增速得分（修订）")
    assert "增速得分（修订）" in client.get(_explain()).content.decode()


def test_data_stamp_changes_with_the_data_only(two_years, county):
    first = data_stamp(two_years)
    assert data_stamp(two_years) == first
    AnnualInput.objects.filter(cycle=two_years, county=county, item__code="A02-1").update(
        target=Decimal("101")
    )
    assert data_stamp(two_years) != first
