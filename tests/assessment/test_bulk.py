"""insert_rows: COPY on PostgreSQL, bulk_create elsewhere; the same rows either way."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from assessment.bulk import insert_rows
from assessment.models import Adjustment
from scoring.models import IndicatorStat
from tests.factories import CountyFactory, CycleFactory, IndicatorFactory


@pytest.mark.django_db
def test_insert_rows_keeps_text_with_tabs_newlines_and_backslashes():
    cycle, county = CycleFactory(), CountyFactory()
    when = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
    reasons = ["a\tb", "line 1\nline 2\r\n", "C:\\path\\N", "\\N", "专项考核"]

    count = insert_rows(
        Adjustment,
        ["cycle_id", "county_id", "points", "reason", "created_at"],
        ((cycle.id, county.id, Decimal("-1.25"), r, when) for r in reasons),
    )

    assert count == 5
    stored = list(Adjustment.objects.order_by("id").values_list("reason", "points"))
    assert stored == [(r, Decimal("-1.25")) for r in reasons]


@pytest.mark.django_db
def test_insert_rows_writes_json_lists_and_nothing_for_no_rows():
    indicator = IndicatorFactory()
    stat = (Decimal("9.5"), Decimal("1.25"), Decimal("5"), ["101", "甲\t乙"], [])

    assert insert_rows(IndicatorStat, ["cycle_id", "indicator_id", "top"], ()) == 0
    insert_rows(
        IndicatorStat,
        ["cycle_id", "indicator_id", "highest", "lowest", "average", "top", "bottom"],
        [(indicator.cycle_id, indicator.id, *stat)],
    )

    row = IndicatorStat.objects.values_list("highest", "lowest", "average", "top", "bottom").get()
    assert row == stat
