from datetime import date
from decimal import Decimal

from django.utils import timezone

from alerts.models import Warning
from alerts.tasks import close_round_task
from assessment.models import Round
from scoring.models import CountyResult
from scoring.tasks import compute_due_results_task, compute_results_task, due_cycle_ids
from tests.factories import (
    AnnualInputFactory,
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    ProgressFactory,
    RoundFactory,
    RuleItemFactory,
    deliver_all,
)


def _cycle_with_two_counties():
    cycle = CycleFactory(year=2030)
    a, b = CountyFactory(code="A1"), CountyFactory(code="B1")
    cycle.counties.set([a, b])
    indicator = IndicatorFactory(cycle=cycle, code="GDP", weight=Decimal("100"))
    item = RuleItemFactory(indicator=indicator, code="GDP1", method="manual")
    return cycle, a, b, indicator, item


def test_compute_results_task_stores_results(db):
    cycle, a, b, _indicator, item = _cycle_with_two_counties()
    AnnualInputFactory(item=item, county=a, actual=Decimal("91.5"))
    AnnualInputFactory(item=item, county=b, actual=Decimal("70"))

    outcome = compute_results_task.delay(cycle_id=cycle.pk).get()

    assert outcome == {"status": "done", "counties": 2}
    rows = list(
        CountyResult.objects.filter(cycle=cycle)
        .order_by("rank")
        .values_list("county__code", "total", "rank", "computed_grade")
    )
    assert rows == [("A1", Decimal("91.50"), 1, "good"), ("B1", Decimal("70.00"), 2, "fair")]


def test_compute_results_task_refused_lists_missing_inputs(db):
    cycle, a, _b, _indicator, item = _cycle_with_two_counties()
    AnnualInputFactory(item=item, county=a, actual=Decimal("91.5"))

    outcome = compute_results_task.delay(cycle_id=cycle.pk).get()

    assert outcome["status"] == "refused"
    assert len(outcome["problems"]) == 1
    assert "B1" in outcome["problems"][0] and "GDP1" in outcome["problems"][0]
    assert CountyResult.objects.filter(cycle=cycle).count() == 0


def test_compute_results_task_gone_cycle_returns_quietly(db):
    assert compute_results_task.delay(cycle_id=999999).get() == {"status": "gone"}


def test_close_round_task_issues_warnings_once(db):
    cycle, a, _b, indicator, _item = _cycle_with_two_counties()
    rnd = RoundFactory(cycle=cycle, code="april")
    ProgressFactory(round=rnd, indicator=indicator, county=a, value=Decimal("10"))
    deliver_all(rnd)

    first = close_round_task.delay(round_id=rnd.pk).get()
    second = close_round_task.delay(round_id=rnd.pk).get()

    assert first == second == {"status": "done", "warnings": 2, "flagged": 0}
    warnings = Warning.objects.filter(round=rnd).order_by("county__code")
    assert [(w.county.code, w.reasons) for w in warnings] == [
        ("A1", ["behind_target"]),
        ("B1", ["not_reported"]),
    ]


def test_compute_due_results_computes_cycles_whose_annual_round_has_closed(db, settings):
    cycle, a, b, _indicator, item = _cycle_with_two_counties()
    AnnualInputFactory(item=item, county=a, actual=Decimal("91.5"))
    AnnualInputFactory(item=item, county=b, actual=Decimal("70"))
    today = timezone.localdate()
    RoundFactory(cycle=cycle, code="annual", kind=Round.Kind.ANNUAL, closes_on=today)
    later = CycleFactory(year=2031)
    RoundFactory(cycle=later, code="annual", kind=Round.Kind.ANNUAL, closes_on=date(2999, 1, 1))
    archived = CycleFactory(year=2019, status="archived")
    RoundFactory(cycle=archived, code="annual", kind=Round.Kind.ANNUAL, closes_on=date(2020, 2, 1))

    assert compute_due_results_task.delay().get() == {"queued": [cycle.pk]}
    assert CountyResult.objects.filter(cycle=cycle).count() == 2
    # Computed since the closing date: not due again.
    assert due_cycle_ids(today) == []
    assert settings.CELERY_BEAT_SCHEDULE["compute-due-results"]["task"] == (
        "scoring.compute_due_results"
    )
