"""The entry services: the lock guard, saving a grid (optimistic, audited), the status
changes, and what the computations may use."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from assessment.models import Cycle, Round
from assessment.review.services import Locked, WrongStatus
from indicators.models import Indicator
from scoring.entry import services as entry
from scoring.entry.delivery import deliver, delivered_ids, undelivered
from scoring.models import AnnualInput, Delivery, EntryState, Exemption, Progress
from tests.clients import EnglishClient
from tests.pages import build_cycle, open_rounds


@pytest.fixture
def world(unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    annual, april = open_rounds(cycle)
    a01 = Indicator.objects.get(cycle=cycle, code="A01")
    a02 = Indicator.objects.get(cycle=cycle, code="A02")
    return {"cycle": cycle, "annual": annual, "april": april, "a01": a01, "a02": a02}


def _cells(grid):
    return {(c.code, key): grid.values.get((c.id, key)) for c in grid.counties for key in
            [col.key for col in grid.columns]}  # fmt: skip


def test_load_grid_annual_columns_follow_the_methods(world):
    grid = entry.load_grid(round=world["annual"], indicator=world["a02"])
    item = grid.items[0]
    assert [(c.key, c.field) for c in grid.columns] == [
        (f"a{item.id}", "actual"),
        (f"t{item.id}", "target"),
    ]
    manual = entry.load_grid(round=world["annual"], indicator=world["a01"])
    assert [c.field for c in manual.columns] == ["actual"]


def test_save_grid_writes_changed_cells_and_audits_each(world, county, other_county, unit_user):
    grid = entry.load_grid(round=world["annual"], indicator=world["a02"])
    item = grid.items[0]
    a, t = f"a{item.id}", f"t{item.id}"
    summary = entry.save_grid(
        round=world["annual"], indicator=world["a02"],
        values={(county.id, a): Decimal("90"), (county.id, t): Decimal("100"),
                (other_county.id, a): None, (other_county.id, t): None},
        loaded={}, actor=unit_user,
    )  # fmt: skip
    assert summary.changed == 2
    assert summary.state.status == EntryState.Status.DRAFT
    row = AnnualInput.objects.get(item=item, county=county)
    assert (row.actual, row.target, row.updated_by) == (Decimal("90"), Decimal("100"), unit_user)
    cells = LogEntry.objects.filter(additional_data__kind="cell").order_by("id")
    assert [(e.changes, e.additional_data["county"], e.actor) for e in cells] == [
        ({"actual": [None, "90"]}, "101", unit_user),
        ({"target": [None, "100"]}, "101", unit_user),
    ]


def test_grid_scores_are_the_engines_negative_growth_included(world, county, other_county):
    # A02 is a completion ratio capped at 120 with a floor of 40: 90/100 → 90, 130/100 → 120.
    grid = entry.load_grid(round=world["annual"], indicator=world["a02"])
    item = grid.items[0]
    entry.save_grid(
        round=world["annual"], indicator=world["a02"],
        values={(county.id, f"a{item.id}"): Decimal("90"), (county.id, f"t{item.id}"): Decimal(100),
                (other_county.id, f"a{item.id}"): Decimal("130"),
                (other_county.id, f"t{item.id}"): Decimal(100)},
        loaded={}, actor=None,
    )  # fmt: skip
    scores = entry.grid_scores(entry.load_grid(round=world["annual"], indicator=world["a02"]))
    assert scores.items == {
        (county.id, item.id): Decimal(90),
        (other_county.id, item.id): Decimal(120),
    }
    # P = S × w / 100 with w = 40.
    assert scores.points == {county.id: Decimal("36.00"), other_county.id: Decimal("48.00")}


def test_save_grid_stale_value_is_refused_with_what_changed(world, county, unit_user, lead):
    cell = (county.id, "p")
    entry.save_grid(round=world["april"], indicator=world["a01"], values={cell: Decimal(30)},
                    loaded={}, actor=lead)  # fmt: skip
    # The unit loaded the page before the lead's save (the cell was empty) and types 40.
    with pytest.raises(entry.StaleSave) as refused:
        entry.save_grid(
            round=world["april"],
            indicator=world["a01"],
            values={cell: Decimal(40)},
            loaded={cell: None},
            actor=unit_user,
        )
    c = refused.value.conflicts[0]
    assert (c.county.code, c.loaded, c.current, c.yours, c.by) == (
        "101",
        None,
        Decimal(30),
        Decimal(40),
        "lead",
    )
    assert Progress.objects.get(round=world["april"], county=county).value == Decimal(30)


def test_save_grid_unchanged_stale_cell_is_left_alone(world, county, other_county, lead):
    first, second = (county.id, "p"), (other_county.id, "p")
    entry.save_grid(round=world["april"], indicator=world["a01"], values={first: Decimal(30)},
                    loaded={}, actor=lead)  # fmt: skip
    # Another page, loaded before: it did not touch the first cell, it types the second.
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={first: None, second: Decimal(50)},
                    loaded={first: None, second: None}, actor=lead)  # fmt: skip
    values = dict(
        Progress.objects.filter(round=world["april"]).values_list("county__code", "value")
    )
    assert values == {"101": Decimal(30), "102": Decimal(50)}


def test_save_grid_clearing_progress_deletes_it(world, county, lead):
    cell = (county.id, "p")
    entry.save_grid(round=world["april"], indicator=world["a01"], values={cell: Decimal(30)},
                    loaded={}, actor=lead)  # fmt: skip
    entry.save_grid(round=world["april"], indicator=world["a01"], values={cell: None},
                    loaded={cell: Decimal(30)}, actor=lead)  # fmt: skip
    assert Progress.objects.filter(round=world["april"]).count() == 0


@pytest.mark.parametrize(
    ("round_status", "cycle_status", "reason"),
    [
        (Round.Status.CLOSED, Cycle.Status.ACTIVE, "round_closed"),
        (Round.Status.PENDING, Cycle.Status.ACTIVE, "round_pending"),
        (Round.Status.OPEN, Cycle.Status.ARCHIVED, "cycle_archived"),
    ],
)
def test_save_grid_locked_round_or_cycle_is_refused(
    world, county, round_status, cycle_status, reason
):
    world["april"].status = round_status
    world["april"].save()
    Cycle.objects.filter(pk=world["cycle"].pk).update(status=cycle_status)
    world["april"].cycle.refresh_from_db()
    with pytest.raises(Locked) as refused:
        entry.save_grid(round=world["april"], indicator=world["a01"],
                        values={(county.id, "p"): Decimal(1)}, loaded={}, actor=None)  # fmt: skip
    assert refused.value.lock.reason == reason
    assert Progress.objects.count() == 0


def _fill_april(world, county, other_county, actor):
    entry.save_grid(
        round=world["april"], indicator=world["a01"],
        values={(county.id, "p"): Decimal(30), (other_county.id, "p"): Decimal(35)},
        loaded={}, actor=actor,
    )  # fmt: skip


def test_submit_with_empty_cells_is_refused_with_the_list(world, county, other_county, unit_user):
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(30)}, loaded={}, actor=unit_user)  # fmt: skip
    with pytest.raises(entry.EntryIncomplete) as refused:
        entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    assert [(c.code, col.field) for c, col in refused.value.missing] == [("102", "progress")]
    assert EntryState.objects.get().status == "draft"


def test_submit_exempt_county_needs_no_value(world, county, other_county, unit_user):
    Exemption.objects.create(cycle=world["cycle"], county=other_county, indicator=world["a01"])
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(30)}, loaded={}, actor=unit_user)  # fmt: skip
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    assert (state.status, state.submitted_by) == ("submitted", unit_user)


def test_review_cycle_submit_return_submit_approve_reopen_is_audited(
    world, county, other_county, unit_user, lead
):
    _fill_april(world, county, other_county, unit_user)
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.return_entry(state=state, actor=lead, comment="县区102进度偏高，请核实")
    assert (state.status, state.comment) == ("returned", "县区102进度偏高，请核实")
    entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    state = entry.approve_entry(state=state, actor=lead)
    assert (state.status, state.reviewed_by) == ("approved", lead)
    with pytest.raises(Locked) as locked:
        entry.save_grid(round=world["april"], indicator=world["a01"],
                        values={(county.id, "p"): Decimal(31)},
                        loaded={(county.id, "p"): Decimal(30)}, actor=unit_user)  # fmt: skip
    assert locked.value.lock.reason == "approved"
    state = entry.reopen_entry(state=state, actor=lead, reason="统计口径调整")
    assert (state.status, state.comment) == ("draft", "统计口径调整")
    changes = [
        (e.changes.get("status"), e.additional_data, e.actor.username)
        for e in LogEntry.objects.get_for_object(state).order_by("id")
        if "status" in e.changes
    ]
    assert changes == [
        ([None, "draft"], None, "unit-TJJ"),  # created by the first save
        (["draft", "submitted"], None, "unit-TJJ"),
        (["submitted", "returned"], {"comment": "县区102进度偏高，请核实"}, "lead"),
        (["returned", "submitted"], None, "unit-TJJ"),
        (["submitted", "approved"], None, "lead"),
        (["approved", "draft"], {"reason": "统计口径调整"}, "lead"),
    ]


def test_approve_a_draft_is_refused(world, county, other_county, lead):
    _fill_april(world, county, other_county, lead)
    state = EntryState.objects.get()
    with pytest.raises(WrongStatus):
        entry.approve_entry(state=state, actor=lead)
    assert EntryState.objects.get().status == "draft"


def test_reopen_in_a_closed_round_is_refused(world, county, other_county, lead):
    _fill_april(world, county, other_county, lead)
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=lead)
    entry.approve_entry(state=state, actor=lead)
    Round.objects.filter(pk=world["april"].pk).update(status=Round.Status.CLOSED)
    state.round.refresh_from_db()
    with pytest.raises(Locked):
        entry.reopen_entry(state=state, actor=lead, reason="x")


def test_empty_counties_per_indicator(world, county, other_county, lead):
    _fill_april(world, county, other_county, lead)
    Exemption.objects.create(cycle=world["cycle"], county=other_county, indicator=world["a02"])
    empty = entry.empty_counties(world["april"], [world["a01"], world["a02"]])
    assert {k: [c.code for c in v] for k, v in empty.items()} == {
        world["a01"].id: [],
        world["a02"].id: ["101"],
    }


def test_compute_results_refuses_while_an_annual_entry_is_not_approved(world, county, lead):
    from scoring.results.services import ResultsRefused, compute_results

    EntryState.objects.create(
        cycle=world["cycle"], round=world["annual"], indicator=world["a02"], status="submitted"
    )
    expected = ["indicator A02 一般公共预算收入 (市财政局): Submitted, not approved yet"]
    with translation.override("en"), pytest.raises(ResultsRefused) as refused:
        compute_results(cycle=world["cycle"])
    assert refused.value.problems == expected


def test_close_round_warns_only_on_indicators_delivered(
    world, county, other_county, unit_user, lead
):
    from alerts.models import Warning
    from alerts.services import close_round, reopen_round

    entry.save_grid(
        round=world["april"], indicator=world["a01"],
        values={(county.id, "p"): Decimal(20), (other_county.id, "p"): Decimal(35)},
        loaded={}, actor=unit_user,
    )  # fmt: skip
    # A01 a draft, A02 not started: neither delivered, so no county is warned at all.
    summary = close_round(round=world["april"])
    assert (summary.warnings, summary.undelivered) == (0, ("A01", "A02"))

    reopen_round(round=world["april"], reason="A01 补报", actor=lead)
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.approve_entry(state=state, actor=lead)
    assert list(Delivery.objects.values_list("indicator__code", "source", "delivered_by")) == [
        ("A01", "approval", lead.pk)
    ]
    summary = close_round(round=world["april"])
    assert (summary.warnings, summary.created, summary.undelivered) == (1, 1, ("A02",))
    current = Warning.objects.filter(replaced_at__isnull=True)
    assert list(current.values_list("county__code", "indicator__code", "behind_target")) == [
        ("101", "A01", True)
    ]


def test_reopening_an_approved_entry_takes_its_delivery_back(
    world, county, other_county, unit_user, lead
):
    _fill_april(world, county, other_county, unit_user)
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.approve_entry(state=state, actor=lead)
    assert delivered_ids(world["april"]) == {world["a01"].pk}
    entry.reopen_entry(state=state, actor=lead, reason="口径有误")
    assert (Delivery.objects.count(), delivered_ids(world["april"])) == (0, set())


def test_an_entry_started_over_imported_data_is_not_delivered(
    world, county, other_county, unit_user
):
    deliver(round=world["april"], indicator_ids=[world["a01"].pk, world["a02"].pk],
            source=Delivery.Source.IMPORT)  # fmt: skip
    assert delivered_ids(world["april"]) == {world["a01"].pk, world["a02"].pk}
    _fill_april(world, county, other_county, unit_user)  # the unit changes A01: a draft
    assert delivered_ids(world["april"]) == {world["a02"].pk}
    assert [(u.indicator.code, u.state.status) for u in undelivered(world["april"])] == [
        ("A01", "draft")
    ]


def test_save_after_submitting_takes_the_submission_back(world, county, other_county, unit_user):
    _fill_april(world, county, other_county, unit_user)
    entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(31)},
                    loaded={(county.id, "p"): Decimal(30)}, actor=unit_user)  # fmt: skip
    assert EntryState.objects.get().status == "draft"


def test_lead_correction_during_review_keeps_the_submission(
    world, county, other_county, unit_user, lead
):
    _fill_april(world, county, other_county, unit_user)
    entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(31)},
                    loaded={(county.id, "p"): Decimal(30)}, actor=lead)  # fmt: skip
    assert EntryState.objects.get().status == "submitted"


def test_close_round_command_and_button_say_what_was_left_out(world, county, other_county, lead):
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    _fill_april(world, county, other_county, lead)  # A01: a draft, not approved
    out = StringIO()
    call_command("close_round", str(world["cycle"].year), "april", stdout=out)
    assert out.getvalue().splitlines()[-1] == "not delivered by their units, no warnings: A01, A02"

    Round.objects.filter(pk=world["april"].pk).update(status=Round.Status.OPEN)
    client = EnglishClient()
    client.force_login(lead)
    url = reverse("alerts:round_close", kwargs={"year": world["cycle"].year, "round": "april"})
    response = client.post(url, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown[-1] == (
        "Not delivered by their units, so no county is warned on them: A01、A02. Their units "
        "are reminded; once their data are approved, reopen and close the round again to issue "
        "their warnings."
    )
