"""Timing of score entry at province scale (issue 6): saving a whole grid of 200 counties ×
10 rule items (actual and target: 4,000 cells), and the lead department's status matrix of a
round at 200 counties × 300 indicators. Prints server time and SQL queries of each request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/appraisal .venv/bin/python \\
        bench/entry_grid.py

Runs against a throw-away test database (created and dropped by Django's test runner
machinery); SQLite in memory when DATABASE_URL is not set. Targets: the save under 1 s of
server time; both in a number of queries that does not grow with the grid (pinned in
tests/scoring/test_views_entry.py).
"""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

COUNTIES, ITEMS, INDICATORS = 200, 10, 300
FORM = "application/x-www-form-urlencoded"


def build():
    from assessment.models import County, Cycle, Round, Unit, User
    from indicators.models import Category, Indicator, RuleItem

    cycle = Cycle.objects.create(year=2030, status=Cycle.Status.ACTIVE)
    counties = County.objects.bulk_create(
        County(code=f"C{n:04d}", name=f"县{n}") for n in range(COUNTIES)
    )
    cycle.counties.set(counties)
    unit = Unit.objects.create(code="TJJ", name="市统计局")
    user = User.objects.create_user("unit-TJJ", password="x", role=User.Role.UNIT, unit=unit)
    lead = User.objects.create_user("lead", password="x", role=User.Role.LEAD)
    category = Category.objects.create(cycle=cycle, name="经济发展")
    indicators = Indicator.objects.bulk_create(
        Indicator(cycle=cycle, code=f"I{n:03d}", name=f"指标{n}", category=category,
                  weight=Decimal(1), unit=unit, order=n)
        for n in range(INDICATORS)
    )  # fmt: skip
    RuleItem.objects.bulk_create(
        RuleItem(cycle=cycle, indicator=indicators[0], code=f"I000-{k}", name=f"项目{k}",
                 share=Decimal(10), method="ratio", params="cap=120", order=k)
        for k in range(ITEMS)
    )  # fmt: skip
    RuleItem.objects.bulk_create(
        RuleItem(cycle=cycle, indicator=ind, code=f"{ind.code}-1", name="项目", share=100,
                 method="manual")
        for ind in indicators[1:]
    )  # fmt: skip
    Round.objects.create(cycle=cycle, code="annual", name="年度考核", kind="annual", status="open")
    return user, lead, counties, indicators[0]


def timed(label, client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        # A form is posted as a browser does: urlencoded (the test client's default is
        # multipart).
        response = client.post(url, urlencode(data), content_type=FORM) if data else client.get(url)
        elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed * 1000:.0f} ms, {len(queries)} queries, HTTP {response.status_code}")
    return response


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        user, lead, _counties, indicator = build()
        client = Client()
        client.force_login(user)
        url = reverse(
            "scoring:entry_grid",
            kwargs={"year": 2030, "round": "annual", "indicator": indicator.code},
        )
        page = timed("grid page, empty", client, "get", url)
        form = page.context["form"]
        data = {"loaded": form["loaded"].value(), "save": ""}
        for name, (_county, key) in form.cells.items():
            data[name] = "95.5" if key.startswith("a") else "100"
        timed(
            f"save {COUNTIES} × {ITEMS} items ({len(form.cells)} cells)", client, "post", url, data
        )
        timed("grid page, full, with the engine's scores", client, "get", url)
        client.force_login(lead)
        matrix = reverse("scoring:entry_matrix", kwargs={"year": 2030, "round": "annual"})
        timed(f"status matrix {COUNTIES} counties × {INDICATORS} indicators", client, "get", matrix)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
