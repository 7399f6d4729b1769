"""The demo city shows the assessors' roster and teams with believable data."""

from io import StringIO

import pytest
from django.core.management import call_command

from alerts.models import DiagnosisCase
from assessment.models import AssessmentTeam, Assessor


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--force", stdout=StringIO())


def test_demo_assessors(demo):
    assert Assessor.objects.filter(kind="full_time").count() == 4
    teams = AssessmentTeam.objects.filter(cycle__year=2026).order_by("kind", "name")
    assert [(t.kind, t.name, t.members.count()) for t in teams] == [
        ("annual", "第一年度考核组", 3),
        ("annual", "第二年度考核组", 4),
        ("diagnosis", teams.get(kind="diagnosis").name, 2),
        ("special", "重大项目建设攻坚行动", 2),
        ("special", "防汛抗旱应急处置", 2),
        ("spot_check", "责任状专项检查组", 2),
    ]
    case = DiagnosisCase.objects.filter(cycle__year=2026).get()
    assert sorted(case.team.members.values_list("name", flat=True)) == ["刘洋", "陈立"]
