"""The warnings inbox and the page of one warning, for each role."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from alerts.models import Rectification, Warning
from alerts.rectifications import submit_plan
from alerts.services import close_round, reopen_round
from assessment.models import User
from indicators.models import Indicator
from scoring.models import Progress
from tests.alerts.world import build_april
from tests.factories import (
    CountyFactory,
    CycleFactory,
    IndicatorFactory,
    RectificationFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
    WarningFactory,
)

INBOX = reverse("alerts:inbox")


@pytest.fixture
def april(db):
    rnd = build_april()
    close_round(round=rnd, notify=False)
    return rnd


def login(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def rows(response):
    return [(w.county.code, w.indicator.code) for w in response.context["page"].object_list]


def test_inbox_county_sees_its_own_warnings_and_unread_count(client, april):
    login(client, "county-105")
    response = client.get(INBOX)
    body = response.content.decode()
    assert rows(response) == [("105", "I1"), ("105", "I2")]
    assert '<span class="badge rounded-pill text-bg-danger nav-unread"' in body
    assert response.context["nav_unread_warnings"] == 2
    assert "103" not in [c for c, _i in rows(response)]


def test_inbox_county_filters_by_status(client, april):
    user = login(client, "county-105")
    Warning.objects.filter(county=user.county, indicator__code="I1").update(status="read")
    response = client.get(INBOX, {"status": "read"})
    assert rows(response) == [("105", "I1")]


def test_inbox_unit_sees_the_warnings_on_its_indicators(client, april):
    unit = UnitFactory(code="TJJ")
    Indicator.objects.filter(cycle=april.cycle, code="I3").update(unit=unit)
    client.force_login(UserFactory(username="unit-TJJ", role=User.Role.UNIT, unit=unit))
    response = client.get(INBOX)
    assert rows(response) == [("103", "I3"), ("104", "I3")]


def test_inbox_lead_sees_all_and_filters_by_county(client, april, lead):
    client.force_login(lead)
    assert len(rows(client.get(INBOX))) == 9
    assert rows(client.get(INBOX, {"county": "104"})) == [
        ("104", "I1"), ("104", "I2"), ("104", "I3"),
    ]  # fmt: skip


def test_warning_page_shows_the_figures_and_marks_read(client, april):
    login(client, "county-105")
    warning = Warning.objects.get(county__code="105", indicator__code="I1")
    response = client.get(reverse("alerts:warning", kwargs={"warning": warning.pk}))
    body = response.content.decode()
    warning.refresh_from_db()
    assert warning.status == "read" and warning.read_at is not None
    assert "5 of the 5 counties that reported" in body
    assert "13.33 percentage points" in body
    assert "the progress 20.00% is more than the tolerance of 10.00 points below" in body
    assert response.context["plan_form"] is not None


def test_warning_page_of_another_county_is_404(client, april):
    login(client, "county-105")
    warning = Warning.objects.get(county__code="103", indicator__code="I1")
    assert client.get(reverse("alerts:warning", kwargs={"warning": warning.pk})).status_code == 404


def test_county_answers_a_warning_with_a_plan(client, april):
    user = login(client, "county-105")
    warning = Warning.objects.get(county__code="105", indicator__code="I1")
    response = client.post(
        reverse("alerts:warning_plan", kwargs={"warning": warning.pk}),
        {"measures": "倒排工期", "owner": "李四", "deadline": "2099-06-30"},
    )
    rect = Rectification.objects.get()
    assert response["Location"] == reverse(
        "alerts:rectification", kwargs={"rectification": rect.pk}
    )
    warning.refresh_from_db()
    assert (rect.county, rect.owner, rect.status, warning.status) == (
        user.county, "李四", "planned", "answered",
    )  # fmt: skip
    assert [s.action for s in rect.steps.all()] == ["planned"]
    page = client.get(response["Location"], headers={"accept-language": "en"})
    assert [str(m) for m in page.context["messages"]] == [
        "The rectification plan was submitted; the lead department reviews it. "
        "Deadline: 2099-06-30."
    ]


def test_plan_with_a_past_deadline_is_reshown_with_the_error(client, april):
    login(client, "county-105")
    warning = Warning.objects.get(county__code="105", indicator__code="I1")
    response = client.post(
        reverse("alerts:warning_plan", kwargs={"warning": warning.pk}),
        {"measures": "倒排工期", "owner": "李四", "deadline": "2000-01-01"},
    )
    assert response.status_code == 200
    assert response.context["plan_form"].errors == {
        "deadline": ["The deadline cannot be in the past."]
    }
    assert "倒排工期" in response.content.decode()
    assert Rectification.objects.count() == 0


@pytest.mark.parametrize("indicator_count", [1, 3])
def test_inbox_query_count_is_constant(client, db, indicator_count, django_assert_num_queries):
    cycle = CycleFactory(year=2026)
    county = CountyFactory(code="101")
    cycle.counties.set([county])
    rnd = RoundFactory(cycle=cycle, status="closed", closed_at="2026-04-30T10:00:00Z")
    for n in range(indicator_count):
        w = WarningFactory(
            round=rnd, county=county, indicator=IndicatorFactory(cycle=cycle, order=n),
            progress=Decimal(n),
        )  # fmt: skip
        if n % 2:
            RectificationFactory(warning=w)
    client.force_login(UserFactory(username="county-101", role=User.Role.COUNTY, county=county))
    # The same at one and at three warnings (some with a rectification), with the cases.
    with django_assert_num_queries(9):
        response = client.get(INBOX)
    assert len(response.context["page"].object_list) == indicator_count


def test_replaced_warning_keeps_its_rectification_history(client, april):
    user = login(client, "county-105")
    old = Warning.objects.get(county__code="105", indicator__code="I1")
    rect = submit_plan(actor=user, warning=old, measures="倒排工期", owner="李四",
                       deadline=date(2099, 6, 30))  # fmt: skip
    reopen_round(round=april, reason="更正数据")
    Progress.objects.filter(round=april, county=user.county, indicator=old.indicator).update(
        value=Decimal("21")
    )
    close_round(round=april, notify=False)

    old.refresh_from_db()
    new = Warning.objects.get(county__code="105", indicator__code="I1", replaced_at__isnull=True)
    assert (old.replaced_at is not None, old.rectification, new.progress) == (
        True, rect, Decimal("21"),
    )  # fmt: skip
    response = client.get(reverse("alerts:warning", kwargs={"warning": new.pk}))
    assert response.context["versions"] == [old]
    assert response.context["versions"][0].rectification == rect
    # The new warning can be answered again; the old plan stays with the old one.
    assert response.context["plan_form"] is not None
