"""Build the whole demo city (``manage.py seed_demo``): replace the demo years, then build each
in turn and the governance of the current year."""

from dataclasses import dataclass

from django.db import transaction

from assessment.models import Cycle
from demo.accounts import Account, upsert_accounts, upsert_counties, upsert_units
from demo.assessors import build_roster, build_teams, reset_assessors
from demo.evaluations import build_evaluations
from demo.forecast import share_demo_forecast
from demo.governance import build_governance, reset_governance
from demo.interface import DemoToken, issue_demo_tokens
from demo.plan import DEFAULT_PASSWORD, DRAFT_YEAR, YEARS, check_plan, city_plan, indicator_plans
from demo.pledges import build_pledges, reset_pledges
from demo.year import build_year


@dataclass(frozen=True)
class DemoReport:
    """What :func:`build_demo` did, for the command to print."""

    city: str
    replaced_years: list[int]
    indicators: int
    accounts: list[Account]
    tokens: list[DemoToken]


def build_demo(*, password: str = DEFAULT_PASSWORD) -> DemoReport:
    """Build the demo city, replacing the cycles of the demo years if they exist.

    Side effects: deletes the cycles of :data:`YEARS` and :data:`DRAFT_YEAR` with everything in
    them; creates or updates the demo counties, units and accounts (every account gets
    ``password``); builds the four cycles, closes their rounds (warnings) and computes the past
    years' results, with one audit event per bulk step, and last year's published evaluation
    opinions of the units; builds the governance of the current year and next year's draft,
    the pledge list, the assessors' roster and teams; issues the demo's data interface tokens
    and shares the current year's April forecast. Runs in one transaction: on an error nothing
    is left.
    """
    check_plan()
    with transaction.atomic():
        old = Cycle.objects.filter(year__in=(*YEARS, DRAFT_YEAR))
        replaced = sorted(old.values_list("year", flat=True))
        # The demo's own past years are archived, which refuses deletion: the demo city is
        # replaced whole, so its years are opened first.
        old.update(status=Cycle.Status.DRAFT)
        old.delete()
        reset_governance()
        reset_pledges()
        reset_assessors()
        counties = upsert_counties()
        units = upsert_units()
        accounts, lead = upsert_accounts(password=password, counties=counties, units=units)
        build_roster(counties=counties, units=units)
        for year in YEARS:
            build_year(year, counties=counties, units=units, lead=lead)
        build_evaluations(counties=counties, units=units)
        build_governance(counties=counties, units=units, lead=lead)
        build_pledges(counties=counties, units=units, lead=lead)
        tokens = issue_demo_tokens(lead=lead)
        build_teams(counties=counties, lead=lead)
        share_demo_forecast(lead=lead)
    return DemoReport(
        city=city_plan().city,
        replaced_years=replaced,
        indicators=len(indicator_plans()),
        accounts=accounts,
        tokens=tokens,
    )
