"""The demo city shows the governance of the year with believable data."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from assessment.governance.plan import likely_duplicates, open_activities
from assessment.governance.vetoes import flagged_items
from assessment.models import Adjustment, Cycle, RoutineRecord, SpecialTask, Veto
from indicators.models import IndicatorProposal
from indicators.services import weight_problems
from indicators.services.diff import diff_cycles


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--force", stdout=StringIO())


def test_demo_governance(demo):
    current, draft = Cycle.objects.get(year=2026), Cycle.objects.get(year=2027)
    diff = diff_cycles(current, draft)
    assert [(d.code, d.kinds) for d in diff.indicators] == [
        ("E05", ["reweighted"]),
        ("E08", ["rules"]),
        ("E09", ["renamed", "reweighted"]),
        ("E10", ["unit"]),
        ("E11", ["added"]),
    ]
    assert weight_problems(draft) == []
    assert [i.name for i in flagged_items(2026)] == ["生态环境保护工作严重失职失责、被上级通报问责"]
    assert Veto.objects.get().item.name == "发生较大及以上生产安全责任事故"
    assert SpecialTask.objects.filter(cycle=current).count() == 2
    assert sorted(Adjustment.objects.filter(cycle=current).values_list("points", flat=True)) == [
        Decimal(p) for p in ("-1.00", "-0.50", "1.00", "1.00", "1.50", "2.50")
    ]
    records = RoutineRecord.objects.filter(cycle=current)
    assert {r.polarity for r in records} == {"positive", "negative"}
    assert sorted(IndicatorProposal.objects.values_list("status", flat=True)) == [
        "added", "rejected", "submitted",
    ]  # fmt: skip
    pairs = likely_duplicates(list(open_activities(current)))
    assert [(d.first.topic, d.second.topic) for d in pairs] == [
        ("安全生产大检查", "安全生产工作督查")
    ]


def test_demo_rebuilds_without_duplicating_governance(demo):
    call_command("seed_demo", "--force", stdout=StringIO())
    assert IndicatorProposal.objects.count() == 3
    assert Cycle.objects.filter(year=2027).count() == 1
