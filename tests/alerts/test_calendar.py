"""The round calendar: the daily job opens and closes rounds on their dates, in the cycle's
time zone, and does nothing on other days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.core import mail
from django.urls import reverse

from alerts.models import Warning
from alerts.rounds import RoundRefused, close_round_by_hand, reopen_round_by_hand
from alerts.tasks import run_round_calendar_task
from assessment.models import Cycle, Round, User
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
    deliver_all,
)

TZ = ZoneInfo(settings.TIME_ZONE)


def at(day: str, hour: int = 0, minute: int = 10):
    """The clock at ``hour:minute`` of ``day`` in the cycle's time zone (the beat's time)."""
    y, m, d = map(int, day.split("-"))
    return time_machine.travel(dt.datetime(y, m, d, hour, minute, tzinfo=TZ), tick=False)


@pytest.fixture
def april(db):
    cycle = CycleFactory(year=2026)
    counties = [CountyFactory(code=c) for c in ("101", "102")]
    cycle.counties.set(counties)
    IndicatorFactory(cycle=cycle, code="E01")
    rnd = RoundFactory(
        cycle=cycle, code="april", status=Round.Status.PENDING,
        opens_on=dt.date(2026, 4, 1), closes_on=dt.date(2026, 4, 30),
    )  # fmt: skip
    deliver_all(rnd)  # E01 delivered without rows for the two counties
    return rnd


def state(rnd):
    rnd.refresh_from_db()
    return rnd.status, Warning.objects.filter(round=rnd, replaced_at__isnull=True).count()


def test_calendar_on_the_close_date_closes_the_round_and_issues_warnings(april):
    Round.objects.filter(pk=april.pk).update(status=Round.Status.OPEN)
    with at("2026-04-30"):
        outcome = run_round_calendar_task.delay().get()
    # Nobody reported: both counties are warned "not reported" on E01.
    assert outcome == {"opened": [], "closed": ["2026 april"]}
    assert state(april) == ("closed", 2)


@pytest.mark.parametrize("day", ["2026-04-02", "2026-04-29"])
def test_calendar_on_other_days_does_nothing(april, day):
    Round.objects.filter(pk=april.pk).update(status=Round.Status.OPEN)
    with at(day):
        outcome = run_round_calendar_task.delay().get()
    assert outcome == {"opened": [], "closed": []}
    assert state(april) == ("open", 0)


def test_calendar_uses_the_cycles_time_zone(april):
    Round.objects.filter(pk=april.pk).update(status=Round.Status.OPEN)
    # 23:30 UTC on the 29th is already 07:30 on the 30th in Asia/Shanghai.
    with time_machine.travel(dt.datetime(2026, 4, 29, 23, 30, tzinfo=dt.UTC), tick=False):
        outcome = run_round_calendar_task.delay().get()
    assert (settings.TIME_ZONE, outcome["closed"]) == ("Asia/Shanghai", ["2026 april"])


def test_calendar_on_the_open_date_opens_a_pending_round(april):
    with at("2026-03-31"):
        assert run_round_calendar_task.delay().get() == {"opened": [], "closed": []}
    with at("2026-04-01"):
        assert run_round_calendar_task.delay().get() == {"opened": ["2026 april"], "closed": []}
    assert state(april) == ("open", 0)


def test_calendar_second_run_the_same_day_does_nothing(april):
    with at("2026-04-30"):
        first = run_round_calendar_task.delay().get()
        second = run_round_calendar_task.delay().get()
    assert (first["closed"], second) == (["2026 april"], {"opened": [], "closed": []})
    assert state(april) == ("closed", 2)


def test_calendar_leaves_a_reopened_round_open(april, lead):
    with at("2026-04-30"):
        run_round_calendar_task.delay().get()
    reopen_round_by_hand(round=april, reason="统计局更正数据", actor=lead)
    with at("2026-05-01"):
        assert run_round_calendar_task.delay().get() == {"opened": [], "closed": []}
    assert state(april) == ("open", 2)


def test_calendar_leaves_archived_cycles_alone(april):
    Cycle.objects.filter(pk=april.cycle_id).update(status=Cycle.Status.ARCHIVED)
    with at("2026-04-30"):
        assert run_round_calendar_task.delay().get() == {"opened": [], "closed": []}
    assert state(april) == ("pending", 0)


def test_close_by_hand_in_an_archived_cycle_is_refused(april, lead):
    Cycle.objects.filter(pk=april.cycle_id).update(status=Cycle.Status.ARCHIVED)
    april.refresh_from_db()
    with pytest.raises(RoundRefused):
        close_round_by_hand(round=april, actor=lead)
    assert state(april) == ("pending", 0)


def test_reopen_needs_a_reason(april, lead):
    close_round_by_hand(round=april, actor=lead)
    with pytest.raises(RoundRefused):
        reopen_round_by_hand(round=april, reason="  ", actor=lead)
    assert state(april) == ("closed", 2)


def test_beat_schedule_runs_the_calendar_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["alerts-round-calendar"]
    assert entry["task"] == run_round_calendar_task.name == "alerts.run_round_calendar"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {10})


def test_calendar_closing_emails_the_counties_after_the_commit(
    april, django_capture_on_commit_callbacks
):
    county = april.cycle.counties.get(code="101")
    UserFactory(username="c101", role=User.Role.COUNTY, county=county, email="c101@example.org")
    with at("2026-04-30"), django_capture_on_commit_callbacks(execute=True):
        run_round_calendar_task.delay().get()
    assert [m.to for m in mail.outbox] == [["c101@example.org"]]


def test_calendar_round_without_expected_progress_does_not_stop_the_others(april):
    june = RoundFactory(
        cycle=april.cycle, code="june", name="6月预考核", expected_progress=None,
        opens_on=dt.date(2026, 4, 1), closes_on=dt.date(2026, 4, 30),
    )  # fmt: skip
    with at("2026-04-30"):
        outcome = run_round_calendar_task.delay().get()
    assert outcome == {"opened": [], "closed": ["2026 april"], "failed": ["2026 june"]}
    june.refresh_from_db()
    assert june.status == "open"


@pytest.fixture
def annual(db):
    cycle = CycleFactory(year=2027)
    cycle.counties.set([CountyFactory(code="101")])
    return RoundFactory(
        cycle=cycle, code="annual", name="年度考核", kind=Round.Kind.ANNUAL,
        status=Round.Status.PENDING, expected_progress=None,
        opens_on=dt.date(2028, 1, 5), closes_on=dt.date(2028, 1, 31),
    )  # fmt: skip


def test_calendar_opens_and_closes_the_annual_round_on_its_dates_without_warnings(annual):
    with at("2028-01-04"):
        assert run_round_calendar_task.delay().get() == {"opened": [], "closed": []}
    with at("2028-01-05"):
        assert run_round_calendar_task.delay().get() == {"opened": ["2027 annual"], "closed": []}
    assert state(annual) == ("open", 0)
    with at("2028-01-31"):
        assert run_round_calendar_task.delay().get() == {"opened": [], "closed": ["2027 annual"]}
    assert state(annual) == ("closed", 0)
    assert annual.closed_at == dt.datetime(2028, 1, 31, 0, 10, tzinfo=TZ)
    with at("2028-02-01"):
        assert run_round_calendar_task.delay().get() == {"opened": [], "closed": []}


def test_annual_close_preview_lists_the_indicators_not_approved(client, lead, annual):
    Round.objects.filter(pk=annual.pk).update(status=Round.Status.OPEN)
    IndicatorFactory(
        cycle=annual.cycle, code="A07", name="财政收入", unit=UnitFactory(name="市财政局")
    )
    client.force_login(lead)
    url = reverse("alerts:round_close", kwargs={"year": 2027, "round": "annual"})
    preview = client.get(url)
    assert [u.indicator.code for u in preview.context["late"]] == ["A07"]
    assert '<th scope="row">A07 财政收入</th>' in preview.content.decode()
    assert "<td>市财政局</td>" in preview.content.decode()
    assert state(annual) == ("open", 0)  # a preview changes nothing


def test_lead_closes_and_reopens_the_annual_round_from_the_rounds_page(client, lead, annual):
    Round.objects.filter(pk=annual.pk).update(status=Round.Status.OPEN)
    client.force_login(lead)
    page = client.get(reverse("alerts:rounds", kwargs={"year": 2027}))
    assert [r.code for r in page.context["rounds"]] == ["annual"]
    url = reverse("alerts:round_close", kwargs={"year": 2027, "round": "annual"})
    preview = client.get(url)
    assert [u.indicator.code for u in preview.context["late"]] == []
    response = client.post(url, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "年度考核 is closed: the units can no longer change the annual data."
    ]
    assert state(annual) == ("closed", 0)
    entry = LogEntry.objects.get_for_object(annual).latest("timestamp")
    assert (entry.actor, entry.changes_dict["event"][1]) == (lead, "close_round")
    reopen = reverse("alerts:round_reopen", kwargs={"year": 2027, "round": "annual"})
    client.post(reopen, {"reason": "市统计局更正年度数据"})
    assert state(annual) == ("open", 0)
