from pathlib import Path

import matplotlib
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from assessment.models import Cycle
from reports.charts import data as charts
from reports.charts import draw
from reports.charts.draw import draw_figure, texts_of
from reports.charts.fonts import chart_font_path, missing_glyphs
from reports.publication import publish
from scoring.models import AnnualInput
from scoring.results.services import compute_results
from tests.factories import CountyFactory
from tests.pages import build_cycle, build_manual_cycle

DEJAVU = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


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


def every_chart(cycle, county):
    ids = set(Cycle.objects.values_list("id", flat=True))
    indicator = cycle.indicators.get(code="A01")
    last = Cycle.objects.get(year=cycle.year - 1)
    return [
        charts.county_trend(county=county, cycle_ids=ids),
        charts.county_profile(cycle=cycle, county=county),
        charts.indicator_across(cycle=cycle, indicator=indicator, own="101", anonymous=True),
        charts.total_change(cycle=cycle, last=last, own="101", anonymous=True),
        charts.total_distribution(cycle=cycle),
        charts.every_trend(cycle_ids=ids),
    ]


def test_chart_font_has_every_glyph_of_every_chart(two_years, county):
    with translation.override("zh-hans"):
        texts = "".join(texts_of(draw_figure(chart)) for chart in every_chart(two_years, county))
    assert "东城区" in texts
    assert "总分" in texts
    assert missing_glyphs(texts) == set()


def test_chart_font_check_fails_on_a_font_without_chinese(two_years, county):
    """The check above can fail: DejaVu Sans (matplotlib's own) has no Chinese glyphs."""
    with translation.override("zh-hans"):
        texts = texts_of(draw_figure(every_chart(two_years, county)[0]))
    assert {"东", "城", "区"} <= missing_glyphs(texts, DEJAVU)
    assert chart_font_path() != DEJAVU


def test_chart_svg_is_drawn_once_per_change_of_its_data(client, lead, two_years):
    client.force_login(lead)
    url = reverse("reports:county_trend_svg", kwargs={"county": "101"})
    before = draw.drawn
    first = client.get(url)
    second = client.get(url)
    assert (first["Content-Type"], first.content == second.content) == ("image/svg+xml", True)
    assert draw.drawn == before + 1
    AnnualInput.objects.filter(county__code="101", item__code="A01-1", cycle=two_years).update(
        actual=50
    )
    compute_results(cycle=two_years)
    third = client.get(url)
    assert draw.drawn == before + 2
    assert third.content != first.content


def test_chart_csv_is_the_data_of_the_chart(client, county_user, two_years):
    client.force_login(county_user)
    response = client.get(reverse("reports:county_trend_csv", kwargs={"county": "101"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8") == (
        "\ufeffYear,Total,Rank,Counties\r\n2023,76.00,2,2\r\n2024,86.00,1,2\r\n"
    )


def test_chart_county_sees_other_counties_as_places_only(client, county_user, two_years):
    client.force_login(county_user)
    csv = client.get(
        reverse("reports:indicator_csv", kwargs={"year": 2024, "indicator": "A01"})
    ).content.decode("utf-8")
    assert csv == "\ufeffCounty,Points,Rank\r\n东城区,54.00,1\r\nNo. 2,42.00,2\r\n"
    change = client.get(reverse("reports:change_csv", kwargs={"year": 2024})).content
    assert change.decode("utf-8") == (
        "\ufeffCounty,2023,2024,Change\r\n东城区,76.00,86.00,10.00\r\nNo. 2,86.00,66.00,-20.00\r\n"
    )


def test_chart_lead_sees_every_county_by_name(client, lead, two_years):
    client.force_login(lead)
    csv = client.get(
        reverse("reports:indicator_csv", kwargs={"year": 2024, "indicator": "A01"})
    ).content.decode("utf-8")
    assert "西城区,42.00,2" in csv


def test_chart_unpublished_year_shows_nothing(client, county_user, computed):
    client.force_login(county_user)
    csv = client.get(reverse("reports:county_profile_csv", kwargs={"year": 2024, "county": "101"}))
    assert csv.content.decode("utf-8") == "\ufeff\r\n"
    trend = client.get(reverse("reports:county_trend_csv", kwargs={"county": "101"}))
    assert trend.content.decode("utf-8") == "\ufeffYear,Total,Rank,Counties\r\n"


def test_chart_trend_of_the_lead_includes_unpublished_years(client, lead, computed):
    client.force_login(lead)
    trend = client.get(reverse("reports:county_trend_csv", kwargs={"county": "101"}))
    assert trend.content.decode("utf-8").endswith("2024,86.00,1,2\r\n")


def test_dashboard_shows_the_charts_with_their_data(client, lead, two_years):
    client.force_login(lead)
    response = client.get(reverse("reports:dashboard", kwargs={"year": 2024}))
    body = response.content.decode()
    assert reverse("reports:distribution_svg", kwargs={"year": 2024}) in body
    assert reverse("reports:trends_csv") in body
    assert [row[0] for row in response.context["trends"].rows] == ["101 东城区", "102 西城区"]


def test_change_chart_without_an_earlier_year_says_so_instead_of_an_empty_drawing(
    client, lead, unit, other_unit, county, other_county
):
    build_cycle([county, other_county], [(80, 70), (90, 80)], year=2024, units=(unit, other_unit))
    client.force_login(lead)
    body = client.get(reverse("reports:dashboard", kwargs={"year": 2024})).content.decode()
    change_svg = reverse("reports:change_svg", kwargs={"year": 2024})
    assert change_svg not in body
    assert "There is no earlier year with results to compare with." in body
    assert "Change of every county&#x27;s total against the year before" in body
    assert reverse("reports:distribution_svg", kwargs={"year": 2024}) in body


def test_change_chart_with_an_earlier_year_is_drawn(client, lead, two_years):
    client.force_login(lead)
    body = client.get(reverse("reports:dashboard", kwargs={"year": 2024})).content.decode()
    assert reverse("reports:change_svg", kwargs={"year": 2024}) in body
    assert "Change of every county&#x27;s total, 2023 → 2024" in body


@pytest.mark.parametrize("size", [1, 3])
def test_dashboard_query_count_is_constant(client, lead, size, django_assert_num_queries):
    counties = [CountyFactory(code=f"3{n:02d}") for n in range(size + 1)]
    for year in (2023, 2024):
        build_manual_cycle(counties, size, year=year)
    client.force_login(lead)
    with django_assert_num_queries(14):
        response = client.get(reverse("reports:dashboard", kwargs={"year": 2024}))
    assert len(response.context["trends"].rows) == size + 1


def test_chart_svg_drawn_in_threads_at_once_equals_drawn_alone(two_years, county):
    """A server's threads draw a page's charts at the same time: each SVG is the one drawn
    alone (matplotlib's settings are global; drawing is one at a time per process)."""
    from concurrent.futures import ThreadPoolExecutor

    with translation.override("zh-hans"):
        made = every_chart(two_years, county)
        alone = [draw.render_svg(chart, narrow=narrow) for chart in made for narrow in (0, 1)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            together = list(
                pool.map(
                    lambda job: draw.render_svg(job[0], narrow=bool(job[1])),
                    [(chart, narrow) for chart in made for narrow in (0, 1)] * 3,
                )
            )
    assert together == alone * 3
