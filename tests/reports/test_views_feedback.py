from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from alerts.models import Rectification, Warning
from assessment.models import Cycle
from reports.publication import publish
from tests.factories import CountyFactory, RoundFactory
from tests.pages import build_cycle, build_manual_cycle


def url(year=2024, county="101"):
    return reverse("reports:feedback", kwargs={"year": year, "county": county})


def test_feedback_unpublished_county_sees_a_notice_only(client, county_user, computed):
    client.force_login(county_user)
    response = client.get(url())
    body = response.content.decode()
    assert (response.status_code, response.context["feedback"]) == (200, None)
    assert "The 2024 results have not been published yet." in body
    assert "86.00" not in body


def test_feedback_shows_total_rank_grade_and_every_indicator(client, county_user, published):
    client.force_login(county_user)
    response = client.get(url())
    feedback = response.context["feedback"]
    assert (feedback.result.total, feedback.result.rank, feedback.county_count) == (
        Decimal("86.00"),
        1,
        2,
    )
    rows = [
        (r.indicator.code, r.points, r.rank, r.ranked, r.stat.highest, r.stat.average, r.gap)
        for r in feedback.rows
    ]
    assert rows == [
        ("A01", Decimal("54.00"), 1, 2, Decimal("54.00"), Decimal("48.00"), Decimal("0.00")),
        ("A02", Decimal("32.00"), 1, 2, Decimal("32.00"), Decimal("28.00"), Decimal("0.00")),
    ]
    assert feedback.shortfalls == []
    assert "东城区" in response.content.decode()


def test_feedback_shortfalls_are_ordered_by_points_lost(client, other_county_user, published):
    client.force_login(other_county_user)
    feedback = client.get(url(county="102")).context["feedback"]
    assert [(r.indicator.code, r.gap) for r in feedback.shortfalls] == [
        ("A01", Decimal("12.00")),
        ("A02", Decimal("8.00")),
    ]
    body = client.get(url(county="102")).content.decode()
    assert "西城区" in body
    assert "东城区" not in body  # the best county's name is not given away


def test_feedback_of_another_county_is_404(client, county_user, published):
    client.force_login(county_user)
    assert client.get(url(county="102")).status_code == 404


def test_feedback_compares_with_last_published_year_by_code(
    client, lead, county_user, other_county, unit, other_unit
):
    counties = [county_user.county, other_county]
    build_cycle(counties, [(80, 70), (90, 80)], year=2023, units=(unit, other_unit))
    build_cycle(counties, [(90, 80), (70, 60)], year=2024, units=(unit, other_unit))
    for year in (2023, 2024):
        publish(cycle=Cycle.objects.get(year=year), actor=lead)
    client.force_login(county_user)
    response = client.get(url())
    feedback = response.context["feedback"]
    # 2023: 48 + 28 = 76.00, rank 2; 2024: 86.00, rank 1.
    assert (feedback.total_change, feedback.rank_change) == (Decimal("10.00"), 1)
    assert [(r.indicator.code, r.last_points, r.change) for r in feedback.rows] == [
        ("A01", Decimal("48.00"), Decimal("6.00")),
        ("A02", Decimal("28.00"), Decimal("4.00")),
    ]
    assert "+10.00 against last year (76.00)" in response.content.decode()


def test_feedback_does_not_compare_with_an_unpublished_last_year(
    client, lead, county_user, other_county, unit, other_unit
):
    counties = [county_user.county, other_county]
    build_cycle(counties, [(80, 70), (90, 80)], year=2023, units=(unit, other_unit))
    publish(
        cycle=build_cycle(counties, [(90, 80), (70, 60)], year=2024, units=(unit, other_unit)),
        actor=lead,
    )
    client.force_login(county_user)
    response = client.get(url())
    assert response.context["feedback"].last_result is None
    assert "76.00" not in response.content.decode()


def test_feedback_lists_the_warnings_of_the_year(client, county_user, published):
    april = RoundFactory(cycle=published, code="april", name="4月预考核")
    Warning.objects.create(
        cycle=published, round=april, county=county_user.county,
        indicator=published.indicators.get(code="A02"), behind_target=True,
        progress=Decimal("12.5"), place=2, reported=2, expected=Decimal("33.33"),
    )  # fmt: skip
    warning = Warning.objects.get()
    Rectification.objects.create(
        cycle=published, county=county_user.county, warning=warning, measures="加快项目进度",
        owner="张三", deadline=date(2024, 6, 30),
    )  # fmt: skip
    client.force_login(county_user)
    body = client.get(url()).content.decode()
    assert "4月预考核" in body
    assert "behind target" in body
    assert "12.50" in body
    assert 'In progress</span></a> <span class="small text-body-secondary">due 2024-06-30' in body


def test_feedback_shows_an_overridden_grade_as_such(client, county_user, published):
    published.county_results.filter(county=county_user.county).update(
        grade_override="good", override_reason="群众满意度调查偏低"
    )
    client.force_login(county_user)
    body = client.get(url()).content.decode()
    assert 'class="badge text-bg-warning grade-override" title="群众满意度调查偏低"' in body


@pytest.mark.parametrize("size", [1, 3])
def test_feedback_query_count_is_constant(
    client, lead, county_user, size, django_assert_num_queries
):
    counties = [county_user.county] + [CountyFactory(code=f"2{n:02d}") for n in range(size)]
    for year in (2023, 2024):
        publish(cycle=build_manual_cycle(counties, size, year=year), actor=lead)
    client.force_login(county_user)
    with django_assert_num_queries(26):
        response = client.get(url())
    assert len(response.context["feedback"].rows) == size


def test_my_feedback_goes_to_the_latest_published_year(client, county_user, published):
    client.force_login(county_user)
    assert client.get(reverse("reports:my_feedback"))["Location"] == url()


def test_feedback_prints_on_a4_with_its_charts_and_data(client, county_user, published):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    client.force_login(county_user)
    body = client.get(url()).content.decode()
    assert "data-print>" in body
    # trend and profile: their data tables; the change chart, with no earlier year to compare
    # with, is its title and a line saying so
    assert body.count("data-print-open") == 2
    assert "There is no earlier year with results to compare with." in body
    css = Path(finders.find("css/app.css")).read_text(encoding="utf-8")
    assert "@page { size: A4;" in css
    assert ".app-navbar, .skip-link, .year-selector, .no-print" in css
