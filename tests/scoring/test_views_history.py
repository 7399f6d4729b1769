"""The history pages: a cell, an indicator, a county, a user."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.models import County
from indicators.models import Indicator
from indicators.services import approve_rules, submit_rules
from scoring.entry import services as entry
from scoring.entry.views.history import _readable
from tests.pages import build_cycle, open_rounds


@pytest.fixture
def history(unit, other_unit, county, other_county, unit_user, lead):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    _annual, april = open_rounds(cycle)
    a01 = Indicator.objects.get(code="A01")
    entry.save_grid(round=april, indicator=a01,
                    values={(county.id, "p"): Decimal(30), (other_county.id, "p"): Decimal(35)},
                    loaded={}, actor=unit_user)  # fmt: skip
    entry.save_grid(round=april, indicator=a01, values={(county.id, "p"): Decimal("32.5")},
                    loaded={(county.id, "p"): Decimal(30)}, actor=unit_user)  # fmt: skip
    state = entry.submit_entry(round=april, indicator=a01, actor=unit_user)
    entry.return_entry(state=state, actor=lead, comment="请核实101")
    submit_rules(indicator=a01, actor=unit_user)
    approve_rules(indicator=a01, actor=lead)
    return cycle


def _rows(response):
    return [
        (e.actor.username if e.actor else None, e.change_list, e.reason)
        for e in response.context["page"]
    ]


def test_history_of_a_cell_lists_its_values_and_the_status_changes(client, lead, history):
    client.force_login(lead)
    url = reverse(
        "scoring:history_cell",
        kwargs={"year": 2024, "round": "april", "indicator": "A01", "county": "101"},
    )
    assert _rows(client.get(url)) == [
        ("lead", [("status", "Submitted", "Returned"), ("comment", "", "请核实101")], "请核实101"),
        ("unit-TJJ", [("status", "Draft", "Submitted")], ""),
        ("unit-TJJ", [("Progress (%)", "30", "32.5")], ""),
        ("unit-TJJ", [("Progress (%)", None, "30")], ""),
        ("unit-TJJ", [("status", None, "Draft")], ""),
    ]


def test_history_of_an_indicator_includes_its_rules(client, lead, history):
    client.force_login(lead)
    response = client.get(
        reverse("scoring:history_indicator", kwargs={"year": 2024, "indicator": "A01"})
    )
    rules = [row for row in _rows(response) if row[1] and row[1][0][0] == "rules status"]
    assert [r[1][0] for r in rules] == [
        ("rules status", "Submitted", "Approved"),
        ("rules status", "Draft", "Submitted"),
    ]
    # The indicator and its item created, two rule statuses, the entry created, three cells,
    # submitted, returned.
    assert response.context["page"].paginator.count == 10


def test_history_of_a_county_has_its_cells_only(client, lead, history):
    client.force_login(lead)
    response = client.get(reverse("scoring:history_county", kwargs={"county": "102"}))
    rows = _rows(response)
    assert rows[0] == ("unit-TJJ", [("Progress (%)", None, "35")], "")
    assert len(rows) == 2  # and the county's creation


def test_history_of_a_user(client, lead, history):
    client.force_login(lead)
    response = client.get(reverse("scoring:history_user", kwargs={"username": "lead"}))
    assert [row[2] for row in _rows(response)] == ["", "请核实101"]


def test_history_change_of_a_relation_without_a_verbose_name_uses_the_related_model():
    with translation.override("zh-hans"):
        assert _readable(Indicator, "cycle", ["None", "1"]) == ("考核年度", "None", "1")
        assert _readable(County, "objections", ["None", "reports.Objection.None"]) is None
        assert _readable(Indicator, "progress", ["None", "scoring.Progress.None"]) is None
