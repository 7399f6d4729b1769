import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alerts.models import Warning
from assessment.models import Round
from scoring.models import Delivery
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RoundFactory,
    deliver_all,
)


@pytest.fixture
def april(db):
    cycle = CycleFactory(year=2032)
    cycle.counties.set([CountyFactory(code="301"), CountyFactory(code="302")])
    IndicatorFactory(cycle=cycle, code="E1", weight=Decimal("100"))
    rnd = RoundFactory(cycle=cycle, code="april", status=Round.Status.OPEN)
    deliver_all(rnd)
    return rnd


@pytest.mark.parametrize("round_arg", ["april", "4月"])
def test_close_round_command_closes_and_reports(april, round_arg):
    out = io.StringIO()
    call_command("close_round", "2032", round_arg, stdout=out)
    april.refresh_from_db()
    assert april.status == Round.Status.CLOSED
    assert out.getvalue() == (
        "closed 2032 april: 2 warnings (2 new, 0 replaced), 0 counties flagged for diagnosis\n"
    )
    assert sorted(Warning.objects.values_list("county__code", "not_reported")) == [
        ("301", True),
        ("302", True),
    ]


def test_close_round_command_twice_changes_nothing(april):
    call_command("close_round", "2032", "april", stdout=io.StringIO())
    ids = sorted(Warning.objects.values_list("id", flat=True))
    out = io.StringIO()
    call_command("close_round", "2032", "april", stdout=out)
    assert "2 warnings (0 new, 0 replaced)" in out.getvalue()
    assert sorted(Warning.objects.values_list("id", flat=True)) == ids


def test_close_round_command_annual_round_is_not_a_pre_assessment(april):
    RoundFactory(cycle=april.cycle, code="annual", kind=Round.Kind.ANNUAL)
    with pytest.raises(CommandError) as caught:
        call_command("close_round", "2032", "annual")
    assert str(caught.value) == "no pre-assessment round annual in 2032"


def test_close_round_command_names_the_indicators_not_delivered(april):
    IndicatorFactory(cycle=april.cycle, code="E2", weight=Decimal("0"))
    IndicatorFactory(cycle=april.cycle, code="E3", weight=Decimal("0"))
    Delivery.objects.filter(round=april).delete()
    Delivery.objects.create(
        cycle=april.cycle, round=april, indicator=april.cycle.indicators.get(code="E3"),
        source=Delivery.Source.APPROVAL, delivered_at=april.cycle.created_at,
    )  # fmt: skip
    out = io.StringIO()
    call_command("close_round", "2032", "april", stdout=out)
    assert out.getvalue() == (
        "closed 2032 april: 2 warnings (2 new, 0 replaced), 0 counties flagged for diagnosis\n"
        "not delivered by their units, no warnings: E1, E2\n"
    )
    assert sorted(Warning.objects.values_list("county__code", "indicator__code")) == [
        ("301", "E3"),
        ("302", "E3"),
    ]
