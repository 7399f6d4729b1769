"""Special assessments: scores within the task's limits become the county's adjustments of
the cycle, capped by the cycle, and show in its total with their reason."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessment.governance.special import county_adjustments, record_score
from assessment.models import Adjustment, Cycle, SpecialScore, SpecialTask
from scoring.models import CountyResult
from scoring.results.services import compute_results


@pytest.fixture
def task(computed, county, other_county):
    task = SpecialTask.objects.create(
        cycle=computed, name="防汛抗旱", starts_on=date(2024, 6, 1), ends_on=date(2024, 8, 31),
        max_bonus=Decimal("2"), max_penalty=Decimal("3"),
    )  # fmt: skip
    task.counties.set([county, other_county])
    return task


def test_record_score_becomes_an_adjustment_in_the_total(task, computed, county, lead):
    with translation.override("en"):
        record_score(task=task, county=county, evaluation="转移群众及时", points=Decimal("1.5"),
                     actor=lead)  # fmt: skip
    adjustment = Adjustment.objects.get(cycle=computed, county=county)
    assert (adjustment.points, adjustment.reason) == (
        Decimal("1.50"), "专项考核“防汛抗旱”：转移群众及时",
    )  # fmt: skip
    compute_results(cycle=computed)
    result = CountyResult.objects.get(county=county)
    assert (result.adjustment, result.total) == (Decimal("1.50"), Decimal("87.50"))


def test_record_score_changes_the_same_adjustment(task, county):
    record_score(task=task, county=county, evaluation="一般", points=Decimal("1"))
    record_score(task=task, county=county, evaluation="突出", points=Decimal("-2"))
    assert list(Adjustment.objects.values_list("points", flat=True)) == [Decimal("-2.00")]
    assert SpecialScore.objects.get().points == Decimal("-2.00")


def test_record_score_of_zero_leaves_no_adjustment(task, county):
    record_score(task=task, county=county, evaluation="一般", points=Decimal("1"))
    record_score(task=task, county=county, evaluation="无加减分", points=Decimal("0"))
    assert Adjustment.objects.count() == 0
    assert SpecialScore.objects.get().evaluation == "无加减分"


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (Decimal("2.01"), "The bonus of this task is at most 2.00 points."),
        (Decimal("-3.5"), "The penalty of this task is at most 3.00 points."),
    ],
)
def test_record_score_refuses_points_beyond_the_limits(task, county, points, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_score(task=task, county=county, evaluation="x", points=points)
    assert exc.value.messages == [message]
    assert (SpecialScore.objects.count(), Adjustment.objects.count()) == (0, 0)


def test_record_score_refuses_a_county_not_involved(task, county):
    task.counties.remove(county)
    with pytest.raises(ValidationError):
        record_score(task=task, county=county, evaluation="x", points=Decimal("1"))


def test_adjustments_sum_is_clipped_to_the_cycle_cap(task, computed, county):
    Cycle.objects.filter(pk=computed.pk).update(bonus_cap=Decimal("2.5"))
    computed.refresh_from_db()
    other = SpecialTask.objects.create(
        cycle=computed, name="疫情防控", starts_on=date(2024, 1, 1), ends_on=date(2024, 3, 1),
        max_bonus=Decimal("2"),
    )  # fmt: skip
    other.counties.set([county])
    record_score(task=task, county=county, evaluation="突出", points=Decimal("2"))
    record_score(task=other, county=county, evaluation="突出", points=Decimal("2"))
    [row] = county_adjustments(computed, [county])
    assert (row.total, row.counted, row.capped) == (Decimal("4.00"), Decimal("2.5"), True)
    compute_results(cycle=computed)
    assert CountyResult.objects.get(county=county).total == Decimal("88.50")


def test_record_score_is_audited(task, county, lead):
    score = record_score(task=task, county=county, evaluation="好", points=Decimal("1"), actor=lead)
    assert LogEntry.objects.get_for_object(score).get().actor == lead
    assert LogEntry.objects.get_for_object(score.adjustment).get().actor == lead


def test_special_pages_create_a_task_and_score_a_county(client, lead, computed, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:special_tasks", kwargs={"year": 2024}),
        {"name": "招商引资攻坚", "starts_on": "2024-03-01", "ends_on": "2024-10-31",
         "counties": [county.pk], "max_bonus": "3", "max_penalty": "1"},
    )  # fmt: skip
    task = SpecialTask.objects.get()
    assert response["Location"] == reverse(
        "assessment:special_task", kwargs={"year": 2024, "task": task.pk}
    )
    client.post(
        reverse("assessment:special_score",
                kwargs={"year": 2024, "task": task.pk, "county": county.code}),
        {"101-evaluation": "签约项目超额完成", "101-points": "2.5"},
    )  # fmt: skip
    assert Adjustment.objects.get(county=county).points == Decimal("2.50")
    page = client.get(reverse("assessment:special_task", kwargs={"year": 2024, "task": task.pk}))
    assert "签约项目超额完成</textarea>" in page.content.decode()


def test_special_score_page_shows_the_limit_error(client, lead, task, county):
    client.force_login(lead)
    response = client.post(
        reverse("assessment:special_score",
                kwargs={"year": 2024, "task": task.pk, "county": county.code}),
        {"101-evaluation": "x", "101-points": "9"},
        follow=True,
    )  # fmt: skip
    assert [str(m) for m in response.context["messages"]] == [
        "东城区: The bonus of this task is at most 2.00 points."
    ]


def test_task_limits_cannot_drop_below_recorded_points(client, lead, task, county):
    record_score(task=task, county=county, evaluation="好", points=Decimal("2"))
    client.force_login(lead)
    client.post(
        reverse("assessment:special_task_edit", kwargs={"year": 2024, "task": task.pk}),
        {"name": task.name, "starts_on": "2024-06-01", "ends_on": "2024-08-31",
         "counties": [county.pk], "max_bonus": "1", "max_penalty": "3"},
    )  # fmt: skip
    task.refresh_from_db()
    assert task.max_bonus == Decimal("2.00")


def test_results_page_shows_the_adjustment_reason(client, lead, task, computed, county):
    with translation.override("en"):
        record_score(task=task, county=county, evaluation="表现突出", points=Decimal("1"))
    compute_results(cycle=computed)
    client.force_login(lead)
    body = client.get(reverse("scoring:results", kwargs={"year": 2024})).content.decode()
    assert (
        "+1.00 专项考核“防汛抗旱”：表现突出" in body
        or "+1.00 Special assessment “防汛抗旱”: 表现突出" in body
    )


def test_renaming_a_task_rewrites_its_adjustment_reasons(client, lead, task, county):
    record_score(task=task, county=county, evaluation="好", points=Decimal("1"))
    client.force_login(lead)
    client.post(
        reverse("assessment:special_task_edit", kwargs={"year": 2024, "task": task.pk}),
        {"name": "防汛救灾", "starts_on": "2024-06-01", "ends_on": "2024-08-31",
         "counties": [county.pk], "max_bonus": "2", "max_penalty": "3"},
    )  # fmt: skip
    assert Adjustment.objects.get().reason == "专项考核“防汛救灾”：好"


def test_special_assessments_of_an_archived_year_are_refused(task, computed, county):
    Cycle.objects.filter(pk=computed.pk).update(status=Cycle.Status.ARCHIVED)
    task.cycle.refresh_from_db()
    with pytest.raises(ValidationError):
        record_score(task=task, county=county, evaluation="好", points=Decimal("1"))
    assert SpecialScore.objects.count() == 0
