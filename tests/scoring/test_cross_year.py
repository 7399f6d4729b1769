"""Rows pointing at another year's item, indicator or round: refused by the models and the
admin; the computation, the results page and close_round report or skip them, never crash."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from alerts.services import close_round
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput, Exemption, Progress
from scoring.results.services import ResultsRefused, compute_results
from scoring.tasks import compute_results_task
from tests.factories import RoundFactory, deliver_all
from tests.pages import build_cycle


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def years(county, other_county, unit, other_unit):
    """2023 and 2024, the same two indicators (A01, A02) in each; 2024 not yet computed."""
    old = build_cycle([county, other_county], [(90, 80), (70, 60)], year=2023)
    new = build_cycle(
        [county, other_county], [(90, 80), (70, 60)], year=2024, units=(unit, other_unit),
        compute=False,
    )  # fmt: skip
    return old, new


def test_annual_input_of_another_years_item_refused_by_clean(years, county):
    old, new = years
    row = AnnualInput(cycle=new, county=county, item=RuleItem.objects.get(cycle=old, code="A01-1"))
    with pytest.raises(ValidationError) as caught:
        row.clean()
    assert caught.value.message_dict == {
        "item": ["This rule item belongs to 2023, not to 2024: choose one of 2024."]
    }


def test_progress_and_exemption_of_another_year_refused_by_clean(years, county):
    old, new = years
    rnd = RoundFactory(cycle=new, code="april")
    old_indicator = Indicator.objects.get(cycle=old, code="A01")
    with pytest.raises(ValidationError) as caught:
        Progress(
            cycle=new, round=rnd, county=county, indicator=old_indicator, value=Decimal(1)
        ).clean()
    assert caught.value.message_dict == {
        "indicator": ["This indicator belongs to 2023, not to 2024: choose one of 2024."]
    }
    other_round = RoundFactory(cycle=old, code="april")
    new_indicator = Indicator.objects.get(cycle=new, code="A01")
    with pytest.raises(ValidationError) as caught:
        Progress(
            cycle=new, round=other_round, county=county, indicator=new_indicator, value=1
        ).clean()
    assert caught.value.message_dict == {
        "round": ["This round belongs to 2023, not to 2024: choose one of 2024."]
    }
    with pytest.raises(ValidationError) as caught:
        Exemption(cycle=new, county=county, indicator=old_indicator).clean()
    assert list(caught.value.message_dict) == ["indicator"]


def test_rule_item_of_another_years_indicator_refused_by_clean(years):
    old, new = years
    item = RuleItem(
        cycle=new, indicator=Indicator.objects.get(cycle=old, code="A01"), code="X", name="x",
        share=100, method="manual",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        item.clean()
    assert caught.value.message_dict == {
        "indicator": ["This indicator belongs to 2023, not to 2024: choose one of 2024."]
    }


def test_admin_exemption_refuses_another_years_indicator_and_labels_show_the_year(
    client, lead, years, county
):
    old, new = years
    lead.is_staff = lead.is_superuser = True
    lead.save()
    client.force_login(lead)
    url = reverse("admin:scoring_exemption_add")
    page = client.get(url).content.decode()
    assert ">2023 · A01 地区生产总值增速</option>" in page
    assert ">2024 · A01 地区生产总值增速</option>" in page

    old_indicator = Indicator.objects.get(cycle=old, code="A01")
    response = client.post(
        url, {"cycle": new.pk, "county": county.pk, "indicator": old_indicator.pk, "reason": ""}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "indicator": ["This indicator belongs to 2023, not to 2024: choose one of 2024."]
    }
    assert Exemption.objects.count() == 0


@pytest.fixture
def strays(years, county):
    """Rows of 2024 pointing at 2023's item and indicator, written past the checks."""
    old, new = years
    old_item = RuleItem.objects.get(cycle=old, code="A01-1")
    old_indicator = Indicator.objects.get(cycle=old, code="A02")
    AnnualInput.objects.filter(item=old_item, county=county).delete()
    AnnualInput.objects.create(cycle=new, county=county, item=old_item, actual=Decimal(50))
    Exemption.objects.create(cycle=new, county=county, indicator=old_indicator)
    return new


STRAY_PROBLEMS = [
    "annual input of county 101 东城区 on item A01-1 增速得分 of 2023, not of 2024: "
    "correct or delete it in the administration",
    "exemption of county 101 东城区 from indicator A02 一般公共预算收入 of 2023, not of 2024: "
    "correct or delete it in the administration",
]


def test_compute_results_with_rows_of_another_year_refused_listing_them(strays):
    with pytest.raises(ResultsRefused) as caught:
        compute_results(cycle=strays)
    assert [str(p) for p in caught.value.problems] == STRAY_PROBLEMS


def test_results_page_with_rows_of_another_year_answers_and_lists_them(client, lead, strays):
    compute_results_task.delay(cycle_id=strays.pk)  # as the button and the nightly job
    client.force_login(lead)
    response = client.get(reverse("scoring:results", args=[2024]))
    assert response.status_code == 200
    assert [str(p) for p in response.context["problems"]] == STRAY_PROBLEMS


def test_close_round_with_progress_of_another_year_skips_it(years, county, other_county):
    old, new = years
    rnd = RoundFactory(cycle=new, code="april")
    Progress.objects.create(
        cycle=new, round=rnd, county=county,
        indicator=Indicator.objects.get(cycle=old, code="A01"), value=Decimal(90),
    )  # fmt: skip
    Exemption.objects.create(
        cycle=new, county=county, indicator=Indicator.objects.get(cycle=old, code="A02")
    )
    deliver_all(rnd)

    summary = close_round(round=rnd)

    # The stray rows are not progress or exemptions of 2024: both counties are not reported
    # on both of 2024's indicators.
    assert (summary.warnings, summary.created) == (4, 4)
