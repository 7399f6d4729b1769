"""Each role's to-do list on its home page (reports/todo.py)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from alerts.models import Rectification, Warning
from assessment.jobs.models import FileJob
from assessment.models import Round, User
from indicators.models import UnitEvaluation
from reports.objections import answer, lodge
from reports.publication import publish
from reports.todo import county_todo, lead_todo, pending, unit_todo
from scoring.models import EntryState, ResultsRefusal
from tests.factories import (
    CountyFactory,
    RectificationFactory,
    RoundFactory,
    UserFactory,
    WarningFactory,
)

HOME = "/"
TODAY = date(2025, 3, 10)


def _rows(build, **kwargs):
    """The non-empty sections that ``build(**kwargs)`` returns in Chinese, each as
    (key, count, [(text, url, deadline, overdue, note)])."""
    with translation.override("zh-hans"):
        sections = build(**kwargs)
    return [
        (s.key, s.count, [(i.text, i.url, i.deadline, i.overdue, i.note) for i in s.items])
        for s in pending(sections)
    ]


def _state(cycle, rnd, code, status, comment=""):
    return EntryState.objects.create(
        cycle=cycle,
        round=rnd,
        indicator=cycle.indicators.get(code=code),
        status=status,
        comment=comment,
    )


@pytest.fixture
def rounds(computed):
    annual = RoundFactory(
        cycle=computed, code="annual", name="年度考核", kind=Round.Kind.ANNUAL,
        expected_progress=None, closes_on=date(2025, 3, 20),
    )  # fmt: skip
    august = RoundFactory(
        cycle=computed, code="august", name="8月预考核", closes_on=date(2025, 3, 5)
    )
    return annual, august


def _evaluation(cycle, unit, county, status, comment=""):
    return UnitEvaluation.objects.create(
        cycle=cycle, unit=unit, county=county, strengths="数据报送及时", status=status,
        comment=comment,
    )  # fmt: skip


def _warning(cycle, rnd, county, code, **fields):
    return WarningFactory(
        round=rnd, cycle=cycle, county=county, indicator=cycle.indicators.get(code=code), **fields
    )


# --- the lead department ---------------------------------------------------------------------


def test_lead_todo_lists_submissions_rounds_refusal_objections_and_rectifications(
    computed, rounds, county, other_county, county_user, lead
):
    annual, august = rounds
    _state(computed, annual, "A01", EntryState.Status.SUBMITTED)
    _state(computed, annual, "A02", EntryState.Status.SUBMITTED)
    _state(computed, august, "A01", EntryState.Status.SUBMITTED)
    _state(computed, august, "A02", EntryState.Status.APPROVED)
    ResultsRefusal.objects.create(
        cycle=computed,
        refused_at=timezone.make_aware(timezone.datetime(2025, 3, 1, 9)),
        problem_count=711,
    )
    publish(cycle=computed, actor=lead)
    objection = lodge(
        cycle=computed,
        county=county,
        indicator=computed.indicators.get(code="A02"),
        reasons="收入口径漏计一笔",
        actor=county_user,
    )
    closed = RoundFactory(cycle=computed, code="april", name="4月预考核", status="closed")
    submitted = RectificationFactory(
        warning=_warning(computed, closed, county, "A01"),
        status=Rectification.Status.SUBMITTED,
        deadline=date(2025, 3, 31),
    )
    late = RectificationFactory(
        warning=_warning(computed, closed, other_county, "A02"), deadline=date(2025, 3, 9)
    )
    RectificationFactory(  # closed: nothing to do
        warning=_warning(computed, closed, other_county, "A01"),
        status=Rectification.Status.CLOSED,
        deadline=date(2025, 1, 1),
    )
    rounds = list(computed.rounds.all())
    assert _rows(lead_todo, cycle=computed, rounds=rounds, today=TODAY) == [
        (
            "todo-review",
            2,
            [
                ("8月预考核：1 项待审核", "/cycles/2024/rounds/august/status/",
                 date(2025, 3, 5), False, ""),
                ("年度考核：2 项待审核", "/cycles/2024/rounds/annual/status/",
                 date(2025, 3, 20), False, ""),
            ],
        ),
        (
            "todo-closing",
            2,
            [
                ("8月预考核", "/cycles/2024/rounds/", date(2025, 3, 5), True, ""),
                ("年度考核", "/cycles/2024/rounds/", date(2025, 3, 20), False, ""),
            ],
        ),
        (
            "todo-refused",
            1,
            [("2025-03-01 计算未通过：须先解决 711 个问题", "/cycles/2024/results/",
              None, False, "")],
        ),
        (
            "todo-objections",
            1,
            [("东城区 · A02 一般公共预算收入", f"/objections/{objection.pk}/", None, False,
              "待责任单位答复")],
        ),
        (
            "todo-rectifications",
            1,
            [("东城区 · A01 地区生产总值增速", f"/rectifications/{submitted.pk}/",
              date(2025, 3, 31), False, "")],
        ),
        (
            "todo-overdue",
            1,
            [("西城区 · A02 一般公共预算收入", f"/rectifications/{late.pk}/",
              date(2025, 3, 9), True, "")],
        ),
    ]  # fmt: skip


def test_lead_todo_lists_a_computation_given_up_as_one_to_start_again(computed):
    ResultsRefusal.objects.create(
        cycle=computed, refused_at=timezone.make_aware(timezone.datetime(2025, 3, 1, 9)),
        problem_count=0, interruptions=3, worker="celery@worker-1",
    )  # fmt: skip
    rows = _rows(lead_todo, cycle=computed, rounds=[], today=TODAY)
    assert [row for row in rows if row[0] == "todo-refused"] == [
        (
            "todo-refused",
            1,
            [("2025-03-01 计算中断已放弃：请重新开始计算", "/cycles/2024/results/", None, False,
              "")],
        )
    ]  # fmt: skip


def test_lead_todo_leaves_out_rounds_closing_later_or_closed(computed):
    RoundFactory(cycle=computed, code="later", name="后期", closes_on=TODAY + timedelta(days=15))
    RoundFactory(cycle=computed, code="soon", name="近期", closes_on=TODAY + timedelta(days=14))
    RoundFactory(
        cycle=computed, code="done", name="已关", closes_on=TODAY, status=Round.Status.CLOSED
    )
    sections = lead_todo(cycle=computed, rounds=list(computed.rounds.all()), today=TODAY)
    assert [(s.key, [i.text for i in s.items]) for s in pending(sections)] == [
        ("todo-closing", ["近期"])
    ]


def test_lead_home_shows_the_todo_list_with_counts_and_links(client, lead, computed, rounds):
    annual, _august = rounds
    _state(computed, annual, "A01", EntryState.Status.SUBMITTED)
    client.force_login(lead)
    body = client.get(HOME).content.decode()
    assert '<span class="badge rounded-pill text-bg-primary ms-auto todo-count">1</span>' in body
    assert '<a href="/cycles/2024/rounds/annual/status/">年度考核: 1 submission</a>' in body


def test_lead_home_with_nothing_to_do_says_so(client, lead, computed):
    client.force_login(lead)
    body = client.get(HOME).content.decode()
    assert '<p class="col text-body-secondary" id="todo-none">Nothing is waiting for you.</p>' in (
        body
    )


def test_lead_todo_shows_ten_items_and_counts_all(computed, county):
    closed = RoundFactory(cycle=computed, code="april", name="4月预考核", status="closed")
    for n in range(12):
        rnd = RoundFactory(cycle=computed, code=f"r{n}", name=f"第{n}轮", status="closed")
        RectificationFactory(
            warning=_warning(computed, rnd if n else closed, county, "A01"),
            status=Rectification.Status.SUBMITTED,
        )
    section = {s.key: s for s in lead_todo(cycle=computed, rounds=[], today=TODAY)}[
        "todo-rectifications"
    ]
    assert (section.key, section.count, len(section.items), section.more) == (
        "todo-rectifications",
        12,
        10,
        2,
    )


def test_lead_todo_lists_the_units_evaluations_to_review(
    computed, unit, other_unit, county, other_county
):
    _evaluation(computed, other_unit, county, UnitEvaluation.Status.SUBMITTED)
    _evaluation(computed, unit, other_county, UnitEvaluation.Status.SUBMITTED)
    _evaluation(computed, unit, county, UnitEvaluation.Status.RETURNED, comment="请补充")
    _evaluation(computed, other_unit, other_county, UnitEvaluation.Status.APPROVED)
    assert _rows(lead_todo, cycle=computed, rounds=[], today=TODAY) == [
        (
            "todo-evaluations",
            2,
            [
                ("市财政局 · 东城区", "/cycles/2024/evaluations/CZJ/101/", None, False, ""),
                ("市统计局 · 西城区", "/cycles/2024/evaluations/TJJ/102/", None, False, ""),
            ],
        ),
    ]  # fmt: skip


def test_lead_home_links_each_evaluation_to_review_and_the_list(
    client, lead, computed, other_unit, county
):
    _evaluation(computed, other_unit, county, UnitEvaluation.Status.SUBMITTED)
    client.force_login(lead)
    response = client.get(HOME)
    body = response.content.decode()
    assert '<a href="/cycles/2024/evaluations/">Evaluations to review</a>' in body
    assert '<a href="/cycles/2024/evaluations/CZJ/101/">市财政局 · 东城区</a>' in body
    url = "/cycles/2024/evaluations/CZJ/101/"
    assert client.get(url).context["review"].status == UnitEvaluation.Status.SUBMITTED


@pytest.mark.parametrize("n", [1, 3])
def test_lead_home_query_count_is_constant_in_todo_items(
    client, lead, computed, unit, other_unit, county, other_county, n, django_assert_num_queries
):
    pairs = [(unit, county), (unit, other_county), (other_unit, county)]
    for k in range(n):
        rnd = RoundFactory(cycle=computed, code=f"r{k}", name=f"第{k}轮", closes_on=TODAY)
        _state(computed, rnd, "A01", EntryState.Status.SUBMITTED)
        RectificationFactory(
            warning=_warning(computed, rnd, county, "A02"), status=Rectification.Status.SUBMITTED
        )
        _evaluation(computed, *pairs[k], UnitEvaluation.Status.SUBMITTED)
    client.force_login(lead)
    with django_assert_num_queries(13):
        response = client.get(HOME)
    todo = {s.key: s.count for s in response.context["todo"]}
    assert (todo["todo-review"], todo["todo-evaluations"], todo["todo-rectifications"]) == (n,) * 3


# --- a unit ----------------------------------------------------------------------------------


def test_unit_todo_lists_grids_due_returned_warnings_and_objections(
    computed, rounds, unit, county, county_user, lead
):
    annual, august = rounds
    _state(computed, august, "A01", EntryState.Status.RETURNED, comment="东城区数据与统计年鉴不符")
    _state(computed, annual, "A02", EntryState.Status.DRAFT)  # another unit's
    closed = RoundFactory(cycle=computed, code="april", name="4月预考核", status="closed")
    _warning(computed, closed, county, "A01")
    _warning(computed, closed, county, "A02")  # on another unit's indicator
    _warning(computed, august, county, "A01", replaced_at=timezone.now())  # replaced
    publish(cycle=computed, actor=lead)
    mine = lodge(
        cycle=computed, county=county, indicator=computed.indicators.get(code="A01"),
        reasons="增速口径有误", actor=county_user,
    )  # fmt: skip
    lodge(
        cycle=computed, county=county, indicator=computed.indicators.get(code="A02"),
        reasons="收入口径漏计一笔", actor=county_user,
    )  # fmt: skip
    assert _rows(unit_todo, cycle=computed, unit_id=unit.pk, today=TODAY) == [
        (
            "todo-due",
            1,
            [("年度考核 · A01 地区生产总值增速", "/cycles/2024/rounds/annual/entry/A01/",
              date(2025, 3, 20), False, "")],
        ),
        (
            "todo-returned",
            1,
            [("8月预考核 · A01 地区生产总值增速", "/cycles/2024/rounds/august/entry/A01/",
              date(2025, 3, 5), True, "东城区数据与统计年鉴不符")],
        ),
        ("todo-warnings", 1, [("4月预考核：1 条预警", "/warnings/", None, False, "")]),
        (
            "todo-objections",
            1,
            [("东城区 · A01 地区生产总值增速", f"/objections/{mine.pk}/", None, False, "")],
        ),
    ]  # fmt: skip


def test_unit_todo_drops_submitted_grids_and_answered_objections(
    computed, rounds, unit, unit_user, county, county_user, lead
):
    annual, august = rounds
    _state(computed, annual, "A01", EntryState.Status.SUBMITTED)
    _state(computed, august, "A01", EntryState.Status.APPROVED)
    publish(cycle=computed, actor=lead)
    objection = lodge(
        cycle=computed, county=county, indicator=computed.indicators.get(code="A01"),
        reasons="增速口径有误", actor=county_user,
    )  # fmt: skip
    answer(objection=objection, text="已核实，口径无误。", actor=unit_user)
    assert _rows(unit_todo, cycle=computed, unit_id=unit.pk, today=TODAY) == []


def test_unit_todo_links_open_for_the_unit(client, computed, rounds, unit_user, county):
    _annual, august = rounds
    _state(computed, august, "A01", EntryState.Status.RETURNED, comment="请核对")
    _warning(computed, august, county, "A01")
    client.force_login(unit_user)
    response = client.get(HOME)
    urls = [i.url for s in response.context["todo"] for i in s.items]
    assert urls == [
        "/cycles/2024/rounds/annual/entry/A01/",
        "/cycles/2024/rounds/august/entry/A01/",
        "/warnings/",
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_unit_todo_lists_its_evaluations_returned_with_the_comment(
    computed, unit, other_unit, county, other_county
):
    _evaluation(computed, unit, other_county, UnitEvaluation.Status.RETURNED, comment="请补充建议")
    _evaluation(computed, unit, county, UnitEvaluation.Status.SUBMITTED)
    _evaluation(computed, other_unit, county, UnitEvaluation.Status.RETURNED, comment="另一单位")
    sections = unit_todo(cycle=computed, unit_id=unit.pk, today=TODAY)
    returned = [s for s in sections if s.key == "todo-evaluations-returned"]
    assert [
        (s.count, s.url, [(i.text, i.url, i.deadline, i.overdue, i.note) for i in s.items])
        for s in returned
    ] == [
        (1, "/cycles/2024/evaluations/",
         [("西城区", "/cycles/2024/evaluations/TJJ/102/", None, False, "请补充建议")]),
    ]  # fmt: skip


def test_unit_home_shows_a_returned_evaluation_that_opens_for_the_unit(
    client, computed, unit, unit_user, other_county
):
    _evaluation(computed, unit, other_county, UnitEvaluation.Status.RETURNED, comment="请补充建议")
    client.force_login(unit_user)
    response = client.get(HOME)
    body = response.content.decode()
    assert 'id="todo-evaluations-returned"' in body
    assert '<a href="/cycles/2024/evaluations/TJJ/102/">西城区</a>' in body
    assert '<div class="todo-note small text-body-secondary">请补充建议</div>' in body
    assert client.get("/cycles/2024/evaluations/TJJ/102/").status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_unit_home_query_count_is_constant_in_todo_items(
    client, unit_user, unit, computed, county, n, django_assert_num_queries
):
    for k in range(n):
        rnd = RoundFactory(cycle=computed, code=f"r{k}", name=f"第{k}轮", closes_on=TODAY)
        _state(computed, rnd, "A01", EntryState.Status.RETURNED, comment=f"第{k}处")
        _warning(computed, rnd, county, "A01")
        evaluated = CountyFactory(code=f"9{k}", name=f"第{k}县")
        _evaluation(computed, unit, evaluated, UnitEvaluation.Status.RETURNED, comment=f"第{k}条")
    client.force_login(unit_user)
    with django_assert_num_queries(11):
        response = client.get(HOME)
    todo = {s.key: s.count for s in response.context["todo"]}
    assert (todo["todo-returned"], todo["todo-evaluations-returned"], todo["todo-warnings"]) == (
        n, n, n,
    )  # fmt: skip


# --- a county --------------------------------------------------------------------------------


@pytest.fixture
def april(computed):
    return RoundFactory(
        cycle=computed, code="april", name="4月预考核", status="closed", closes_on=date(2025, 4, 30)
    )


def test_county_todo_lists_unread_plans_due_rectifications_and_objection_window(
    computed, april, county, other_county, lead
):
    unread = _warning(computed, april, county, "A01", bottom_three=True)
    read = _warning(computed, april, county, "A02", read_at=timezone.now(), status="read")
    planned = _warning(computed, april, other_county, "A01")
    answered = RectificationFactory(
        warning=_warning(
            computed,
            RoundFactory(cycle=computed, code="august", name="8月预考核", status="closed"),
            county,
            "A02",
            read_at=timezone.now(),
            status=Warning.Status.ANSWERED,
        ),
        deadline=date(2025, 3, 9),
    )
    RectificationFactory(warning=planned)  # another county's
    publish(cycle=computed, actor=lead)
    published_at = computed.publication.published_at
    deadline = timezone.localtime(published_at + timedelta(days=7)).date()
    assert _rows(county_todo, cycle=computed, county_id=county.pk, now=published_at) == [
        (
            "todo-unread",
            1,
            [("4月预考核 · A01 地区生产总值增速", f"/warnings/{unread.pk}/", None, False,
              "后三名, 进度滞后")],
        ),
        (
            "todo-plans",
            2,
            [
                ("4月预考核 · A01 地区生产总值增速", f"/warnings/{unread.pk}/", None, False,
                 "后三名, 进度滞后"),
                ("4月预考核 · A02 一般公共预算收入", f"/warnings/{read.pk}/", None, False,
                 "进度滞后"),
            ],
        ),
        (
            "todo-rectifications",
            1,
            [("A02 一般公共预算收入", f"/rectifications/{answered.pk}/", date(2025, 3, 9),
              timezone.localdate(published_at) > date(2025, 3, 9), "")],
        ),
        (
            "todo-objection-window",
            1,
            [("2024年度结果已公布：如对得分有异议，可提出申诉。",
              "/cycles/2024/objections/new/", deadline, False, "")],
        ),
    ]  # fmt: skip


def test_county_todo_closes_the_objection_window_after_the_period(computed, county, lead):
    publish(cycle=computed, actor=lead)
    after = computed.publication.published_at + timedelta(days=7, seconds=1)
    assert _rows(county_todo, cycle=computed, county_id=county.pk, now=after) == []


def test_county_todo_has_no_objection_window_before_publication(computed, county):
    assert _rows(county_todo, cycle=computed, county_id=county.pk, now=timezone.now()) == []


def test_county_home_links_open_for_the_county(client, county_user, published, april, county):
    _warning(published, april, county, "A01")
    client.force_login(county_user)
    response = client.get(HOME)
    urls = [i.url for s in response.context["todo"] for i in s.items]
    assert [s.key for s in response.context["todo"]] == [
        "todo-unread",
        "todo-plans",
        "todo-objection-window",
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


def test_county_home_shows_the_unread_count_and_the_deadline(
    client, county_user, published, april, county
):
    _warning(published, april, county, "A01")
    _warning(published, april, county, "A02")
    chinese = Client()  # the pages' own language
    chinese.force_login(county_user)
    body = chinese.get(HOME).content.decode()
    deadline = timezone.localtime(published.publication.published_at + timedelta(days=7))
    assert 'id="todo-unread"' in body
    assert '<span class="badge rounded-pill text-bg-primary ms-auto todo-count">2</span>' in body
    assert f'<span class="todo-deadline">{deadline:%Y-%m-%d}前</span>' in body


@pytest.mark.parametrize("n", [1, 3])
def test_county_home_query_count_is_constant_in_todo_items(
    client, county_user, published, county, n, django_assert_num_queries
):
    for k in range(n):
        rnd = RoundFactory(cycle=published, code=f"r{k}", name=f"第{k}轮", status="closed")
        warning = _warning(published, rnd, county, "A01")
        RectificationFactory(warning=_warning(published, rnd, county, "A02"))
        assert warning.read_at is None
    client.force_login(county_user)
    with django_assert_num_queries(13):
        response = client.get(HOME)
    todo = {s.key: s.count for s in response.context["todo"]}
    assert (todo["todo-unread"], todo["todo-rectifications"]) == (2 * n, n)


def test_lead_home_lists_the_readers_uploads_awaiting_confirmation(client, lead, computed):
    """A large workbook replacing a year waits, previewed by its job, for its starter."""
    awaiting = FileJob.objects.create(
        kind="import_workbook", status=FileJob.Status.AWAITING, source_name="2024年度.xlsx",
        replace=True, year=2024, created_by=lead,
    )  # fmt: skip
    FileJob.objects.create(kind="import_workbook", status=FileJob.Status.DONE, created_by=lead)
    client.force_login(lead)
    todo = {s.key: s for s in client.get(HOME).context["todo"]}
    (item,) = todo["todo-awaiting"].items
    assert item.url == f"/workbook/jobs/{awaiting.pk}/"
    assert item.text.startswith("2024年度.xlsx, uploaded on ")
    other = UserFactory(username="lead2", role=User.Role.LEAD)
    client.force_login(other)
    assert "todo-awaiting" not in {s.key for s in client.get(HOME).context["todo"]}
    FileJob.objects.create(kind="import_workbook", confirms=awaiting, created_by=lead)
    client.force_login(lead)
    assert "todo-awaiting" not in {s.key for s in client.get(HOME).context["todo"]}
