"""The assessment plan: likely duplicates (overlapping counties and periods, similar topics),
the merger into one combined activity, and each county's view of what concerns it."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessment.governance.plan import likely_duplicates, merge_activities, similarity
from assessment.models import PlannedActivity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("安全生产大检查", "安全生产督查"),
        ("河长制工作考核", "河长制落实情况检查"),
        ("乡村振兴实绩考核", "乡村振兴战略实施情况督查"),
        ("生态环境保护督察", "生态环境保护专项检查"),
        ("2024年度耕地保护目标责任考核", "耕地保护目标责任制检查"),
    ],
)
def test_similar_topics_must_be_flagged(a, b):
    assert similarity(a, b) >= 0.6


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("安全生产检查", "耕地保护督查"),
        ("生态环境保护督察", "环境卫生整治检查"),
        ("食品安全检查", "安全生产检查"),
        ("党风廉政建设责任制考核", "党建工作考核"),
        ("信访工作考核", "教育工作考核"),
    ],
)
def test_different_topics_must_not_be_flagged(a, b):
    assert similarity(a, b) < 0.6


def _activity(cycle, topic, counties, start, end, organizer="市安委办"):
    activity = PlannedActivity.objects.create(
        cycle=cycle, topic=topic, organizer=organizer, starts_on=start, ends_on=end
    )
    activity.counties.set(counties)
    return activity


def _pairs(cycle):
    activities = PlannedActivity.objects.filter(cycle=cycle).prefetch_related("counties")
    return [(d.first.topic, d.second.topic) for d in likely_duplicates(list(activities))]


def test_duplicates_need_shared_counties_overlapping_periods_and_similar_topics(
    computed, county, other_county
):
    _activity(computed, "安全生产大检查", [county], date(2024, 5, 1), date(2024, 6, 30))
    _activity(computed, "安全生产督查", [county, other_county],
              date(2024, 6, 15), date(2024, 7, 15), organizer="市应急管理局")  # fmt: skip
    _activity(computed, "安全生产专项督导", [other_county], date(2024, 6, 1), date(2024, 6, 30))
    _activity(computed, "安全生产专项督导", [other_county], date(2024, 5, 1), date(2024, 5, 31))
    _activity(computed, "安全生产检查", [county], date(2024, 9, 1), date(2024, 9, 30))
    _activity(computed, "耕地保护督查", [county], date(2024, 5, 1), date(2024, 6, 30))
    assert _pairs(computed) == [
        ("安全生产大检查", "安全生产督查"),
        ("安全生产专项督导", "安全生产督查"),
    ]


def test_merge_makes_one_combined_activity(computed, county, other_county, lead):
    a = _activity(computed, "安全生产大检查", [county], date(2024, 5, 1), date(2024, 6, 30))
    b = _activity(computed, "安全生产督查", [other_county], date(2024, 6, 15), date(2024, 7, 15))
    combined = merge_activities(
        cycle=computed, activities=[a, b], topic="安全生产综合督查",
        organizer="市安委办、市应急管理局", actor=lead,
    )  # fmt: skip
    assert (combined.starts_on, combined.ends_on, combined.combined) == (
        date(2024, 5, 1), date(2024, 7, 15), True,
    )  # fmt: skip
    assert sorted(combined.counties.values_list("code", flat=True)) == ["101", "102"]
    assert set(combined.merged.all()) == {a, b}
    assert LogEntry.objects.get_for_object(combined).first().actor == lead
    assert list(PlannedActivity.objects.filter(merged_into__isnull=True)) == [combined]


def test_plan_page_flags_the_duplicate_for_the_lead(client, lead, computed, county):
    _activity(computed, "河长制工作考核", [county], date(2024, 3, 1), date(2024, 3, 31))
    _activity(computed, "河长制落实情况检查", [county], date(2024, 3, 20), date(2024, 4, 10))
    client.force_login(lead)
    response = client.get(reverse("assessment:plan", kwargs={"year": 2024}))
    assert [(d.first.topic, d.second.topic) for d in response.context["duplicates"]] == [
        ("河长制工作考核", "河长制落实情况检查")
    ]


def test_plan_page_merges_in_the_browser(client, lead, computed, county):
    a = _activity(computed, "河长制工作考核", [county], date(2024, 3, 1), date(2024, 3, 31))
    b = _activity(computed, "河长制落实情况检查", [county], date(2024, 3, 20), date(2024, 4, 10))
    client.force_login(lead)
    client.post(
        reverse("assessment:plan_merge", kwargs={"year": 2024}),
        {"activities": [a.pk, b.pk], "topic": "河长制综合考核", "organizer": "市水利局"},
    )
    assert list(
        PlannedActivity.objects.filter(merged_into__isnull=True).values_list("topic", flat=True)
    ) == ["河长制综合考核"]


def test_county_sees_only_the_plan_that_concerns_it(
    client, county_user, computed, county, other_county
):
    mine = _activity(
        computed, "安全生产检查", [county, other_county], date(2024, 5, 1), date(2024, 5, 9)
    )
    theirs = _activity(computed, "耕地保护督查", [other_county], date(2024, 5, 1), date(2024, 5, 9))
    client.force_login(county_user)
    response = client.get(reverse("assessment:plan", kwargs={"year": 2024}))
    assert response.context["activities"] == [mine]
    assert "西城区" not in response.content.decode().split('id="plan"')[1]
    url = reverse("assessment:plan_activity", kwargs={"year": 2024, "activity": theirs.pk})
    assert client.get(url).status_code == 404


def test_plan_add_is_the_lead_departments(client, lead, unit_user, computed, county):
    client.force_login(unit_user)
    assert client.post(reverse("assessment:plan", kwargs={"year": 2024}), {}).status_code == 403
    client.force_login(lead)
    client.post(
        reverse("assessment:plan", kwargs={"year": 2024}),
        {"topic": "教育督导评估", "organizer": "市教育局", "kind": "inspection",
         "counties": [county.pk], "starts_on": "2024-10-01", "ends_on": "2024-10-31"},
    )  # fmt: skip
    assert PlannedActivity.objects.get().topic == "教育督导评估"


def test_plan_query_count_is_constant(client, lead, computed, county, django_assert_num_queries):
    client.force_login(lead)
    url = reverse("assessment:plan", kwargs={"year": 2024})
    _activity(computed, "教育督导评估", [county], date(2024, 10, 1), date(2024, 10, 31))
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["activities"]) == 1
    for n in range(2):
        _activity(computed, f"专题{n}", [county], date(2024, 10, 1), date(2024, 10, 31))
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["activities"]) == 3
