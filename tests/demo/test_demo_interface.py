"""The demo city's data interface tokens work as their accounts' roles."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from api.models import ApiToken
from assessment.models import Cycle
from indicators.models import Indicator


@pytest.fixture
def tokens(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return dict(re.findall(r"^(\S+)\s+演示：\S+\s+(kh_\S+)$", out.getvalue(), re.M))


def _get(secret, path):
    return Client().get(f"/api/v1{path}", headers={"authorization": f"Bearer {secret}"})


def test_demo_tokens_read_as_their_roles(tokens):
    assert sorted(ApiToken.objects.values_list("user__role", flat=True)) == [
        "county", "lead", "unit"
    ]  # fmt: skip
    by_role = {
        t.user.role: tokens[t.user.username] for t in ApiToken.objects.select_related("user")
    }
    lead = _get(by_role["lead"], "/cycles/2025/results").json()
    county = _get(by_role["county"], "/cycles/2025/results").json()
    assert len(lead["results"]) == 14
    county_code = ApiToken.objects.get(user__role="county").user.county.code
    assert [r["county"] for r in county["results"]] == [county_code]
    assert _get(by_role["unit"], "/cycles/2025/results").status_code == 403
    unit = _get(by_role["unit"], "/cycles/2026/rounds/august/data").json()
    own = {e["indicator"] for e in unit["entries"]}
    unit_id = ApiToken.objects.get(user__role="unit").user.unit_id
    assert own == set(
        Indicator.objects.filter(cycle__year=2026, unit_id=unit_id).values_list("code", flat=True)
    )


def test_demo_forecast_shared_and_past_errors_shown(tokens):
    """The demo's current year shares its April forecast; a past year's shows its error."""
    from reports.forecast import forecast_rounds, year_forecast
    from reports.models import ForecastShare

    assert list(ForecastShare.objects.values_list("cycle__year", "round__code")) == [
        (2026, "april")
    ]
    past = Cycle.objects.get(year=2025)
    errors = [year_forecast(cycle=past, round=r).error for r in forecast_rounds(past)]
    assert [e.compared for e in errors] == [14, 14]
