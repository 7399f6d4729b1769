"""The pages of issue 10 read a fixed number of queries whatever the size of the year.

Each page the benchmark times (``bench.runner.page_paths``: results, statistics, a county's
feedback, its explanation and profile chart, a unit's entry grid) is requested on the
synthetic cycle at S (20 counties × 100 indicators) and at M (200 × 300), computed and with
its April round closed, each with a
computed year before it (so that the feedback page compares with last year). The counts are
pinned: a query per county, indicator or row fails here.

Seeding and computing M takes about 20 s on SQLite and 10 s on PostgreSQL (2 cores), so the
test runs with the suite, unmarked.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.services import close_round
from assessment.models import Cycle, Round
from bench.generate import SIZES, Synthetic, seed
from bench.runner import page_client, page_paths
from scoring.results.services import compute_results

QUERIES = {
    "page results": 13,
    "page statistics": 9,
    "page feedback": 24,  # 23 and the units' published evaluation opinions
    # First request after a change: the year read and computed once (7 of the 21), then kept.
    "page explanation": 21,
    "chart profile": 7,
    "page entry grid": 12,
}
# The year of each size's cycle; the year before holds an S cycle, as last year's results.
YEARS = {"S": 2901, "M": 2903}


def computed(size: str, year: int) -> Cycle:
    cycle = seed(Synthetic(SIZES[size], year))
    compute_results(cycle=cycle)
    return cycle


def page_queries(cycle: Cycle) -> dict[str, int]:
    """Queries of each page's first request, by label (every page must answer 200)."""
    counts = {}
    for page in page_paths(cycle):
        client = page_client(page.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        assert response.status_code == 200, page.path
        counts[page.label] = len(queries)
    return counts


@pytest.mark.django_db
def test_pages_read_the_same_number_of_queries_at_s_and_at_m():
    cycles = {}
    for size, year in YEARS.items():
        computed("S", year - 1)
        cycles[size] = computed(size, year)
        close_round(round=Round.objects.get(cycle=cycles[size], code="april"), notify=False)

    counts = {size: page_queries(cycle) for size, cycle in cycles.items()}

    assert counts == {"S": QUERIES, "M": QUERIES}
