"""The five-county April round of spec/scoring.md's warning rules (the data of
tests/alerts/test_close_round_service.py), built for tests that need it outside a fixture,
with one user with an email address per county."""

from decimal import Decimal as D

from assessment.models import User
from scoring.models import Exemption
from tests.alerts.test_close_round_service import EXPECTED_REASONS, PROGRESS
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    ProgressFactory,
    RoundFactory,
    UserFactory,
    deliver_all,
)

__all__ = ["EXPECTED_REASONS", "PROGRESS", "build_april"]


def build_april(year: int = 2025):
    cycle = CycleFactory(year=year)
    counties = {code: CountyFactory(code=code) for code in ("101", "102", "103", "104", "105")}
    cycle.counties.set(counties.values())
    for code, county in counties.items():
        UserFactory(
            username=f"county-{code}", role=User.Role.COUNTY, county=county,
            email=f"county-{code}@example.org",
        )  # fmt: skip
    rnd = RoundFactory(cycle=cycle, code="april", expected_progress=D("33.33"))
    for order, (code, by_county) in enumerate(PROGRESS.items()):
        ind = IndicatorFactory(cycle=cycle, code=code, order=order)
        for county_code, value in by_county.items():
            if value == "x":
                Exemption.objects.create(cycle=cycle, county=counties[county_code], indicator=ind)
            elif value is not None:
                ProgressFactory(
                    round=rnd, indicator=ind, county=counties[county_code], value=D(value)
                )
    deliver_all(rnd)
    return rnd
