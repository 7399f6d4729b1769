"""The governance list pages cost the same number of queries at one and at three rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.governance.assessors import assign_team
from assessment.governance.pledges import record_check, record_signing
from assessment.governance.routine import record_observation
from assessment.governance.special import record_score
from assessment.governance.vetoes import record_veto
from assessment.models import (
    Assessor,
    AssessorTraining,
    PledgeItem,
    SpecialTask,
    Unit,
    User,
    VetoItem,
)
from indicators.models import IndicatorProposal
from indicators.services.admission import submit_proposal


def _veto_item(cycle, county, n):
    VetoItem.objects.create(name=f"事项{n}", basis="" if n % 2 else "文件", first_year=2020)


def _veto(cycle, county, n):
    item = VetoItem.objects.create(name=f"事项{n}", basis="文件", first_year=2020)
    record_veto(cycle=cycle, county=county, item=item, evidence="通报")


def _task(cycle, county, n):
    task = SpecialTask.objects.create(
        cycle=cycle, name=f"专项{n}", starts_on=date(2024, 1, 1), ends_on=date(2024, 2, 1),
        max_bonus=Decimal(2),
    )  # fmt: skip
    task.counties.set([county])
    record_score(task=task, county=county, evaluation="好", points=Decimal(1))


def _record(cycle, county, n):
    record_observation(
        cycle=cycle, county=county, observed_on=date(2024, 3, n + 1), source="audit",
        polarity="negative", text="审计",
    )  # fmt: skip


def _pledge_item(n, basis="文件"):
    unit = Unit.objects.get_or_create(code="HBJ", defaults={"name": "市生态环境局"})[0]
    return PledgeItem.objects.create(
        name=f"责任书{n}", basis=basis, issuing_unit=unit, first_year=2020
    )


def _pledge_listed(cycle, county, n):
    _pledge_item(n, basis="" if n % 2 else "文件")


def _signing(cycle, county, n):
    lead = User.objects.get(username="lead")
    record_signing(
        cycle=cycle, county=county, item=_pledge_item(n), signed_on=date(2024, 3, 1), actor=lead
    )


def _check(cycle, county, n):
    lead = User.objects.get(username="lead")
    record_check(
        cycle=cycle, item=_pledge_item(n), checked_on=date(2024, 6, n + 1), counties=[county],
        findings="未发现清单外责任状", problems_found=False, actor=lead,
    )  # fmt: skip


def _assessor(cycle, county, n):
    unit = Unit.objects.get_or_create(code="HBJ", defaults={"name": "市生态环境局"})[0]
    person = Assessor.objects.create(
        name=f"考核员{n}", kind="part_time", unit=unit, home_county=county
    )
    AssessorTraining.objects.create(
        assessor=person, kind="rotation", topic="集中轮训", started_on=date(2024, 4, 1)
    )
    return person


def _team(cycle, county, n):
    others = cycle.counties.exclude(pk=county.pk)
    assign_team(
        cycle=cycle, kind="annual", name=f"第{n}考核组", members=[_assessor(cycle, county, n)],
        counties=others, leader=None,
    )  # fmt: skip


def _proposal(cycle, county, n, unit=None):
    submit_proposal(
        proposal=IndicatorProposal(
            unit=unit, name=f"指标{n}", rationale="x", suggested_weight=Decimal(1),
            draft_rules="x",
        )
    )  # fmt: skip


PAGES = [
    ("assessment:veto_items", {}, _veto_item),
    ("assessment:cycle_vetoes", {"year": 2024}, _veto),
    ("assessment:special_tasks", {"year": 2024}, _task),
    ("assessment:routine_records", {"year": 2024}, _record),
    ("assessment:routine_timeline", {"county": "101"}, _record),
    ("indicators:proposals", {}, _proposal),
    ("assessment:pledge_items", {}, _pledge_listed),
    ("assessment:cycle_pledges", {"year": 2024}, _signing),
    ("assessment:pledge_checks", {"year": 2024}, _check),
    ("assessment:assessors", {}, _assessor),
    ("assessment:teams", {"year": 2024}, _team),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "kwargs", "make"), PAGES)
def test_governance_list_query_count_is_constant(
    client, lead, computed, county, unit, name, kwargs, make
):
    if make is _proposal:
        make = lambda cycle, county, n: _proposal(cycle, county, n, unit=unit)  # noqa: E731
    client.force_login(lead)
    url = reverse(name, kwargs=kwargs)
    make(computed, county, 0)
    client.get(url)
    one = _count(client, url)
    make(computed, county, 1)
    make(computed, county, 2)
    assert _count(client, url) == one
