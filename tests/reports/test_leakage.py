"""Before publication no county (and no unit) sees any annual result of the year anywhere.

Walks every URL of the project (tests/test_access.py) as the county and the unit, naming
their own objects and the others', following redirects, and looks for any figure of the
computed year in what comes back: the totals 86.00 / 66.00 and the indicator points.
"""

import pytest
from django.urls import reverse

from reports.publication import publish, withdraw
from tests import test_access
from tests.clients import EnglishClient
from tests.test_access import ACCESS, url_patterns

# The personas and a computed cycle, with the URL kwargs of every app's objects.
world = test_access.world

# Every figure of the world's results: totals, indicator points, adjustments aside (0.00).
FIGURES = ("86.00", "66.00", "54.00", "32.00", "42.00", "24.00")


def _leaks(world, role) -> list:
    client = EnglishClient()
    client.force_login(world["users"][role])
    leaks = []
    for name, route, kwarg_names in url_patterns():
        if ACCESS[name]["method"] != "get":
            continue
        for scope in ("own", "other"):
            url = reverse(name, kwargs={k: world[scope][k] for k in kwarg_names})
            response = client.get(url, follow=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace")
            leaks += [(route, scope, figure) for figure in FIGURES if figure in text]
    return leaks


@pytest.mark.parametrize("role", ["county", "unit"])
def test_no_page_shows_unpublished_results(world, role):
    assert _leaks(world, role) == []


@pytest.mark.parametrize("role", ["county", "unit"])
def test_no_page_shows_withdrawn_results(world, role, lead):
    publish(cycle=world["cycle"], actor=lead)
    withdraw(cycle=world["cycle"], actor=lead, reason="复核")
    assert _leaks(world, role) == []


def test_published_results_reach_the_county(world, lead):
    """The walk can see a leak: once published, the county's own figures are there."""
    publish(cycle=world["cycle"], actor=lead)
    leaks = _leaks(world, "county")
    assert ("", "own", "86.00") in leaks
    assert ("cycles/<int:year>/statistics/", "own", "54.00") in leaks
