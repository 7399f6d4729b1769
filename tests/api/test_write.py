"""Writing a round's data through the interface: the entry grid's checks, lock and audit, all
or nothing with every problem located in the request."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from indicators.models import Indicator
from scoring.entry.services import approve_entry, submit_entry
from scoring.models import AnnualInput, Progress
from tests.pages import open_rounds

ANNUAL = "/cycles/2024/rounds/annual/data"
APRIL = "/cycles/2024/rounds/april/data"


@pytest.fixture
def rounds(computed):
    return open_rounds(computed)


def _actual(county, item):
    return AnnualInput.objects.get(county__code=county, item__code=item).actual


def test_write_annual_own_indicator_saves_and_audits_each_cell(rounds, as_user, unit_user):
    body = {"annual": [{"county": "101", "item": "A01-1", "actual": "95.5"},
                       {"county": "102", "item": "A01-1", "actual": 70}]}  # fmt: skip
    response = as_user(unit_user).post(ANNUAL, body)
    assert (response.status_code, response.json()) == (
        200,
        {"changed": 1, "entries": [{"indicator": "A01", "status": "draft"}]},
    )
    assert (_actual("101", "A01-1"), _actual("102", "A01-1")) == (Decimal("95.5"), Decimal(70))
    cells = LogEntry.objects.filter(additional_data__kind="cell")
    assert [(e.actor, e.additional_data["county"], e.changes) for e in cells] == [
        (unit_user, "101", {"actual": ["90", "95.5"]})
    ]


def test_write_all_or_nothing_lists_every_problem_located(rounds, as_user, unit_user):
    body = {
        "annual": [
            {"county": "101", "item": "A01-1", "actual": 95},
            {"county": "102", "item": "A01-1", "actual": 120},
            {"county": "101", "item": "A02-1", "actual": 5},
            {"county": "999", "item": "A01-1", "actual": 5},
            {"county": "101", "item": "A01-1", "target": 5},
            {"county": "102", "item": "A01-1"},
            {"county": "101", "item": "A01-1", "actual": "1.1234567"},
        ]
    }
    response = as_user(unit_user).post(ANNUAL, body)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "nothing was written",
        "problems": [
            {"location": "annual[1].actual",
             "message": "a direct score must be within [0, 100] (120)"},
            {"location": "annual[2].item",
             "message": "no rule item “A02-1” among the indicators you enter in 2024"},
            {"location": "annual[3].county", "message": "no county “999” in 2024"},
            {"location": "annual[4]", "message": "the same county and item are sent twice"},
            {"location": "annual[5]", "message": "the same county and item are sent twice"},
            {"location": "annual[6]", "message": "the same county and item are sent twice"},
        ],
    }  # fmt: skip
    assert _actual("101", "A01-1") == Decimal(90)
    assert LogEntry.objects.filter(additional_data__kind="cell").count() == 0


def test_write_digits_and_target_of_a_method_without_one(rounds, as_user, lead):
    body = {"annual": [{"county": "101", "item": "A01-1", "actual": "1.1234567", "target": 3}]}
    problems = as_user(lead).post(ANNUAL, body).json()["problems"]
    assert problems == [
        {"location": "annual[0].target", "message": "the method of item A01-1 takes no target"},
        {"location": "annual[0].actual",
         "message": "Ensure that there are no more than 6 decimal places."},
    ]  # fmt: skip


def test_write_row_without_values_is_a_problem(rounds, as_user, lead):
    body = {"annual": [{"county": "101", "item": "A02-1", "actual": None}]}
    assert as_user(lead).post(ANNUAL, body).json()["problems"] == [
        {"location": "annual[0]", "message": "neither an actual nor a target is sent"}
    ]


def test_write_empty_request_is_a_problem(rounds, as_user, lead):
    assert as_user(lead).post(ANNUAL, {}).json()["problems"] == [
        {"location": "annual", "message": "no values to write"}
    ]


def test_write_target_checked_with_the_stored_actual(rounds, as_user, other_unit_user):
    body = {"annual": [{"county": "101", "item": "A02-1", "target": 0}]}
    response = as_user(other_unit_user).post(ANNUAL, body)
    assert response.json()["problems"] == [
        {
            "location": "annual[0].target",
            "message": "the target of a completion-ratio item must be greater than 0 (0)",
        }
    ]


def test_write_approved_entry_is_locked_and_nothing_written(rounds, as_user, lead, unit_user):
    annual, _april = rounds
    state = submit_entry(round=annual, indicator=_indicator("A01"), actor=unit_user)
    approve_entry(state=state, actor=lead)
    body = {"annual": [{"county": "101", "item": "A01-1", "actual": 10},
                       {"county": "101", "item": "A02-1", "actual": 10}]}  # fmt: skip
    response = as_user(lead).post(ANNUAL, body)
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["location"] == "indicator A01"
    assert problem["message"].startswith("Approved by lead on ")
    assert (_actual("101", "A01-1"), _actual("101", "A02-1")) == (Decimal(90), Decimal(80))


def test_write_units_change_takes_a_submission_back(rounds, as_user, unit_user):
    annual, _april = rounds
    submit_entry(round=annual, indicator=_indicator("A01"), actor=unit_user)
    body = {"annual": [{"county": "101", "item": "A01-1", "actual": 91}]}
    assert as_user(unit_user).post(ANNUAL, body).json()["entries"] == [
        {"indicator": "A01", "status": "draft"}
    ]


def test_write_progress_of_a_pre_assessment(rounds, as_user, unit_user):
    body = {"progress": [{"county": "101", "indicator": "A01", "progress": 41.5},
                         {"county": "102", "indicator": "A01", "progress": "12"}]}  # fmt: skip
    assert as_user(unit_user).post(APRIL, body).json()["changed"] == 2
    assert sorted(Progress.objects.values_list("county__code", "value")) == [
        ("101", Decimal("41.5")),
        ("102", Decimal(12)),
    ]
    read = as_user(unit_user).get(APRIL).json()
    assert read["progress"] == [
        {"county": "101", "indicator": "A01", "progress": "41.500000"},
        {"county": "102", "indicator": "A01", "progress": "12.000000"},
    ]


def test_write_progress_problems(rounds, as_user, unit_user):
    body = {
        "annual": [{"county": "101", "item": "A01-1", "actual": 1}],
        "progress": [{"county": "101", "indicator": "A01", "progress": -1},
                     {"county": "101", "indicator": "A02", "progress": 5}],
    }  # fmt: skip
    response = as_user(unit_user).post(APRIL, body)
    assert response.json()["problems"] == [
        {"location": "annual", "message": "the round “4月预考核” takes progress rows only"},
        {"location": "progress[0].progress", "message": "Progress must not be negative."},
        {"location": "progress[1].indicator",
         "message": "no indicator “A02” among those you enter in 2024"},
    ]  # fmt: skip
    assert Progress.objects.count() == 0


def test_write_closed_round_is_refused(rounds, as_user, unit_user):
    _annual, april = rounds
    april.status = "closed"
    april.save()
    body = {"progress": [{"county": "101", "indicator": "A01", "progress": 5}]}
    response = as_user(unit_user).post(APRIL, body)
    assert response.json()["problems"] == [
        {"location": "indicator A01", "message": "The round “4月预考核” is closed."}
    ]


def test_write_schema_problems_are_located(rounds, as_user, unit_user):
    response = as_user(unit_user).post(ANNUAL, {"annual": [{"county": "101"}]})
    assert response.status_code == 422
    assert [p["location"] for p in response.json()["problems"]] == ["body.annual.0.item"]


def test_write_unknown_round_is_404(rounds, as_user, unit_user):
    body = {"progress": [{"county": "101", "indicator": "A01", "progress": 5}]}
    assert as_user(unit_user).post("/cycles/2024/rounds/june/data", body).status_code == 404


def test_read_round_data_unit_sees_its_own_indicators(rounds, as_user, unit_user):
    body = as_user(unit_user).get(ANNUAL).json()
    assert body["annual"] == [
        {"county": "101", "item": "A01-1", "actual": "90.000000", "target": None},
        {"county": "102", "item": "A01-1", "actual": "70.000000", "target": None},
    ]
    assert body["entries"] == [{"indicator": "A01", "status": "draft"}]


def _indicator(code):
    return Indicator.objects.get(code=code)
