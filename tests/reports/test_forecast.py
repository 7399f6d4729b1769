"""The year-end forecast: a hand-computed case, the error against the real results, the
pages of each role and the sharing with the counties."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessment.models import Round
from indicators.params import parse_params
from reports.forecast import share_forecast, year_forecast
from reports.models import ForecastShare
from scoring.models import Progress
from scoring.results.engine import CycleSettings, IndicatorSpec, ItemSpec
from scoring.results.forecast import forecast_error, forecast_year, projected_completion
from tests.factories import RoundFactory


def _april(cycle, progress, expected=Decimal(40)):
    rnd = RoundFactory(cycle=cycle, code="april", name="4月预考核", status=Round.Status.CLOSED,
                       expected_progress=expected)  # fmt: skip
    for (county, code), value in progress.items():
        Progress.objects.create(
            cycle=cycle, round=rnd, county=cycle.counties.get(code=county),
            indicator=cycle.indicators.get(code=code), value=Decimal(value),
        )  # fmt: skip
    return rnd


# By hand, April expects 40 %. A01 (manual, 60 points) takes the completion as a direct
# score; A02 (ratio cap 120 floor 40, target 100, 40 points) gets actual = 100 × p / 100.
#   101: A01 v=30 → p=75 → 75 → 45.00; A02 v=50 → p=125 → min(125, 120)=120 → 48.00: 93.00
#   102: A01 v=40 → p=100 → 100 → 60.00; A02 v=20 → p=50 → 50 → 20.00: 80.00
# Two counties: quota floor(0.3 × 2) = 0 excellent; both ≥ 80 → good.
PROGRESS = {("101", "A01"): 30, ("101", "A02"): 50, ("102", "A01"): 40, ("102", "A02"): 20}


def test_forecast_hand_computed_case(computed):
    rnd = _april(computed, PROGRESS)
    year = year_forecast(cycle=computed, round=rnd)
    result = year.forecast.result
    assert {k: result.points[k] for k in sorted(result.points)} == {
        ("101", "A01"): Decimal("45.00"), ("101", "A02"): Decimal("48.00"),
        ("102", "A01"): Decimal("60.00"), ("102", "A02"): Decimal("20.00"),
    }  # fmt: skip
    assert [(r.county.code, r.total, r.rank, r.grade) for r in year.rows] == [
        ("101", Decimal("93.00"), 1, "good"),
        ("102", Decimal("80.00"), 2, "good"),
    ]


def test_forecast_error_against_the_real_results(computed):
    # Real (tests/pages.py): 101 86.00 rank 1 good; 102 66.00 rank 2 fair.
    year = year_forecast(cycle=computed, round=_april(computed, PROGRESS))
    error = year.error
    assert (error.compared, error.mean_abs_total, error.max_abs_total) == (
        2, Decimal("10.50"), Decimal("14.00")
    )  # fmt: skip
    assert (error.mean_abs_rank, error.grades_right) == (Decimal("0.00"), 1)


def test_forecast_lower_is_better_target_item():
    """A lower-is-better ratio item: actual = t × 100 / p, so the ratio score is p itself."""
    spec = IndicatorSpec("B01", Decimal(100), "lower", (
        ItemSpec("B01-1", Decimal(100), "ratio", parse_params("ratio", "cap=120", "lower")),
    ))  # fmt: skip
    forecast = forecast_year(
        counties=["1", "2"], indicators=[spec], progress={("1", "B01"): Decimal(20),
        ("2", "B01"): Decimal(50)}, expected=Decimal(40),
        targets={("1", "B01-1"): Decimal(8), ("2", "B01-1"): Decimal(8)},
        settings=CycleSettings(),
    )  # fmt: skip
    assert forecast.result.total == {"1": Decimal("50.00"), "2": Decimal("120.00")}


def test_forecast_county_without_progress_left_out_and_indicator_averaged(computed):
    rnd = _april(computed, {("101", "A01"): 40})
    year = year_forecast(cycle=computed, round=rnd)
    assert [c.code for c in year.left_out] == ["102"]
    # A01 100 % → 60.00; A02 unreported → at the average rate on the others: 40 × 60/60.
    assert [(r.county.code, r.total) for r in year.rows] == [("101", Decimal("100.00"))]


def test_projected_completion_is_kept_within_0_and_200():
    assert [projected_completion(Decimal(v), Decimal(40)) for v in (-5, 20, 100)] == [
        Decimal(0), Decimal(50), Decimal(200)
    ]  # fmt: skip


def test_forecast_error_none_without_common_counties():
    assert forecast_error(forecast={"1": (Decimal(1), 1, "good")}, real={}) is None


def test_forecast_page_lead_sees_every_county_and_the_error(client, lead, computed):
    _april(computed, PROGRESS)
    client.force_login(lead)
    response = client.get(reverse("reports:forecast", kwargs={"year": 2024}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This is a forecast, not a result: how it is made" in body
    assert [(r.county.code, r.total) for r in response.context["forecast"].rows] == [
        ("101", Decimal("93.00")), ("102", Decimal("80.00"))
    ]  # fmt: skip
    assert 'id="forecast-error"' in body


def test_forecast_page_county_before_sharing_sees_no_figure(client, county_user, computed):
    _april(computed, PROGRESS)
    client.force_login(county_user)
    response = client.get(reverse("reports:forecast", kwargs={"year": 2024}))
    assert response.context["forecast"] is None
    assert "The lead department has not shared a forecast with the counties." in (
        response.content.decode()
    )


def test_forecast_page_county_sees_only_its_own_once_shared(client, lead, county_user, computed):
    rnd = _april(computed, PROGRESS)
    share_forecast(cycle=computed, round=rnd, actor=lead)
    client.force_login(county_user)
    response = client.get(reverse("reports:forecast", kwargs={"year": 2024}))
    body = response.content.decode()
    assert response.context["own"].total == Decimal("93.00")
    assert [r.points for r in response.context["indicator_rows"]] == [
        Decimal("45.00"), Decimal("48.00")
    ]  # fmt: skip
    assert "80.00" not in body and "西城区" not in body


def test_forecast_share_and_withdraw_are_audited(client, lead, computed):
    _april(computed, PROGRESS)
    client.force_login(lead)
    url = reverse("reports:forecast_share", kwargs={"year": 2024})
    client.post(url, {"round": "april", "action": "share"})
    share = ForecastShare.objects.get()
    assert share.shared_by == lead
    client.post(url, {"round": "april", "action": "withdraw"})
    assert ForecastShare.objects.count() == 0
    actions = list(
        LogEntry.objects.filter(content_type__model="forecastshare")
        .order_by("timestamp")
        .values_list("action", "actor")
    )
    assert actions == [(LogEntry.Action.CREATE, lead.pk), (LogEntry.Action.DELETE, lead.pk)]


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.PENDING])
def test_forecast_share_of_an_open_round_is_refused(client, lead, computed, status):
    rnd = _april(computed, PROGRESS)
    rnd.status = status
    rnd.save()
    client.force_login(lead)
    url = reverse("reports:forecast_share", kwargs={"year": 2024})
    response = client.post(url, {"round": "april", "action": "share"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Only a closed pre-assessment round gives a forecast."
    ]
    assert ForecastShare.objects.count() == 0


def test_forecast_county_page_shows_a_real_zero(client, lead, computed):
    from scoring.models import IndicatorResult

    _april(computed, PROGRESS)
    IndicatorResult.objects.filter(county__code="101", indicator__code="A01").update(points=0)
    client.force_login(lead)
    url = reverse("reports:forecast_county", kwargs={"year": 2024, "county": "101"})
    response = client.get(url)
    assert [r.real_points for r in response.context["indicator_rows"]] == [
        Decimal("0.00"), Decimal("32.00")
    ]  # fmt: skip
    assert '<td class="text-end">0.00</td>' in response.content.decode()
