import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.models import CountyResult
from tests.factories import (
    AnnualInputFactory,
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RuleItemFactory,
    UnitFactory,
)


@pytest.fixture
def cycle(db):
    cycle = CycleFactory(year=2031)
    cycle.counties.set([CountyFactory(code="201", name="南湖区"), CountyFactory(code="202")])
    unit = UnitFactory(code="TJJ", name="市统计局")
    indicator = IndicatorFactory(
        cycle=cycle, code="E1", name="地区生产总值", weight=Decimal("100"), unit=unit
    )
    RuleItemFactory(indicator=indicator, code="E1-1", name="增速")
    return cycle


def test_compute_results_command_prints_one_line(cycle):
    for code, actual in (("201", "88.5"), ("202", "61")):
        AnnualInputFactory(
            item=cycle.rule_items.get(), county_id=cycle.counties.get(code=code).pk, actual=actual
        )
    out = io.StringIO()
    call_command("compute_results", "2031", stdout=out)
    assert out.getvalue() == "computed 2031: 2 counties\n"
    assert list(CountyResult.objects.order_by("rank").values_list("total", flat=True)) == [
        Decimal("88.50"),
        Decimal("61.00"),
    ]


def test_compute_results_command_one_missing_input_singular(cycle):
    AnnualInputFactory(item=cycle.rule_items.get(), county_id=cycle.counties.get(code="202").pk)
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("compute_results", "2031", stderr=err)
    assert err.getvalue() == (
        "county 201 南湖区, indicator E1 地区生产总值, item E1-1 增速, unit TJJ 市统计局: "
        "actual value missing\n"
    )
    assert str(caught.value) == "results not computed: 1 problem listed above"
    assert CountyResult.objects.count() == 0


def test_compute_results_command_unknown_year(db):
    with pytest.raises(CommandError) as caught:
        call_command("compute_results", "1999")
    assert str(caught.value) == "no cycle for the year 1999"
