"""The entry pages: the grid (save, submit, errors, stale saves, locks), the review actions
and the status matrix, with their query counts pinned."""

import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from assessment.models import Round
from indicators.models import Indicator
from scoring.entry import services as entry
from scoring.forms import cell_name
from scoring.models import AnnualInput, Delivery, EntryState, Exemption, Progress
from tests.factories import CountyFactory, CycleFactory, IndicatorFactory, RuleItemFactory
from tests.pages import build_cycle, open_rounds


@pytest.fixture
def world(unit, other_unit, county, other_county):
    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    annual, april = open_rounds(cycle)
    return {
        "cycle": cycle,
        "annual": annual,
        "april": april,
        "a01": Indicator.objects.get(cycle=cycle, code="A01"),
        "a02": Indicator.objects.get(cycle=cycle, code="A02"),
    }


def grid_url(round_code="annual", indicator="A02"):
    return reverse(
        "scoring:entry_grid", kwargs={"year": 2024, "round": round_code, "indicator": indicator}
    )


def _post_data(page_response, **cells):
    """The form as the page rendered it (the loaded values), with ``cells`` typed in."""
    form = page_response.context["form"]
    data = {"loaded": form["loaded"].value()}
    for name in form.cells:
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    data.update(cells)
    return data


def test_grid_lead_opens_another_units_indicator(client, lead, world):
    client.force_login(lead)
    assert client.get(grid_url(indicator="A01")).status_code == 200


def test_grid_save_draft_then_scores_are_shown(
    client, other_unit_user, world, county, other_county
):
    client.force_login(other_unit_user)
    page = client.get(grid_url())
    item = world["a02"].items.get()
    typed = {
        cell_name(county.id, f"a{item.id}"): "1,150",
        cell_name(county.id, f"t{item.id}"): "1000",
        cell_name(other_county.id, f"a{item.id}"): "30",
        cell_name(other_county.id, f"t{item.id}"): "100",
    }
    response = client.post(grid_url(), _post_data(page, **typed, save=""))
    assert response.status_code == 302
    page = client.get(grid_url())
    rows = [
        (r["county"].code, [c["score"] for c in r["cells"] if c["kind"] == "score"], r["points"])
        for r in page.context["rows"]
    ]
    # ratio with cap 120, floor 40: 115 and max(30, 40) = 40; points × 40 / 100.
    assert rows == [
        ("101", [Decimal(115)], Decimal("46.00")),
        ("102", [Decimal(40)], Decimal("16.00")),
    ]
    assert EntryState.objects.get().status == "draft"


def test_grid_bad_value_keeps_what_was_typed_and_saves_nothing(
    client, other_unit_user, world, county
):
    client.force_login(other_unit_user)
    page = client.get(grid_url())
    item = world["a02"].items.get()
    name = cell_name(county.id, f"a{item.id}")
    response = client.post(grid_url(), _post_data(page, **{name: "-5", "save": ""}))
    assert response.status_code == 400
    assert response.context["form"][name].value() == "-5"
    assert response.context["form"].errors[name] == ["must not be negative (-5)"]
    assert AnnualInput.objects.filter(county=county, item=item).count() == 0


def test_grid_submit_with_empty_cells_lists_them(client, unit_user, world, county):
    client.force_login(unit_user)
    page = client.get(grid_url("april", "A01"))
    response = client.post(
        grid_url("april", "A01"),
        _post_data(page, **{cell_name(county.id, "p"): "30", "submit": ""}),
    )
    assert response.status_code == 400
    assert [(c.code, col.field) for c, col in response.context["missing"]] == [("102", "progress")]
    assert Progress.objects.get().value == Decimal(30)  # the draft was saved


def test_grid_submit_complete_and_exempt_shown(client, unit_user, world, county, other_county):
    Exemption.objects.create(cycle=world["cycle"], county=other_county, indicator=world["a01"])
    client.force_login(unit_user)
    page = client.get(grid_url("april", "A01"))
    assert [r["exempt"] for r in page.context["rows"]] == [False, True]
    assert "Exempt: no value needed" in page.content.decode()
    response = client.post(
        grid_url("april", "A01"),
        _post_data(page, **{cell_name(county.id, "p"): "30", "submit": ""}),
    )
    assert response.status_code == 302
    assert EntryState.objects.get().status == "submitted"


def test_grid_stale_save_is_refused_and_shows_what_changed(client, unit_user, lead, world, county):
    client.force_login(unit_user)
    page = client.get(grid_url("april", "A01"))
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(25)}, loaded={}, actor=lead)  # fmt: skip
    name = cell_name(county.id, "p")
    response = client.post(grid_url("april", "A01"), _post_data(page, **{name: "40", "save": ""}))
    assert response.status_code == 409
    body = response.content.decode()
    assert "someone changed these cells after you opened the page" in body
    assert "you opened —, now 25 (changed by lead at" in body
    assert Progress.objects.get().value == Decimal(25)
    # Saving again is a deliberate overwrite of the value now shown as the base.
    form = response.context["form"]
    assert json.loads(form.data["loaded"])[name] == "25"
    again = client.post(grid_url("april", "A01"), {**form.data.dict(), "save": ""})
    assert again.status_code == 302
    assert Progress.objects.get().value == Decimal(40)


def test_grid_approved_is_locked_and_says_who_can_reopen(
    client, unit_user, lead, world, county, other_county
):
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(25), (other_county.id, "p"): Decimal(30)},
                    loaded={}, actor=unit_user)  # fmt: skip
    state = entry.submit_entry(round=world["april"], indicator=world["a01"], actor=unit_user)
    entry.approve_entry(state=state, actor=lead)
    client.force_login(unit_user)
    page = client.get(grid_url("april", "A01"))
    body = page.content.decode()
    assert page.context["lock"].reason == "approved"
    assert "Approved by lead on" in body
    assert "Only the lead department can reopen it, with a reason." in body
    assert 'name="save"' not in body


def test_grid_closed_round_says_so(client, unit_user, world):
    Round.objects.filter(pk=world["april"].pk).update(status=Round.Status.CLOSED)
    client.force_login(unit_user)
    body = client.get(grid_url("april", "A01")).content.decode()
    assert "The round “4月预考核” is closed." in body
    assert "Only the lead department can reopen the round." in body


def _submitted(world, county, other_county, actor):
    entry.save_grid(round=world["april"], indicator=world["a01"],
                    values={(county.id, "p"): Decimal(25), (other_county.id, "p"): Decimal(30)},
                    loaded={}, actor=actor)  # fmt: skip
    return entry.submit_entry(round=world["april"], indicator=world["a01"], actor=actor)


def _action(name):
    return reverse(
        f"scoring:entry_{name}", kwargs={"year": 2024, "round": "april", "indicator": "A01"}
    )


def test_lead_returns_with_a_comment_the_unit_reads_it(
    client, lead, unit_user, world, county, other_county
):
    _submitted(world, county, other_county, unit_user)
    client.force_login(lead)
    assert client.post(_action("return"), {"comment": "102数据有误"}).status_code == 302
    client.force_login(unit_user)
    page = client.get(grid_url("april", "A01"))
    assert "Returned by the lead department:" in page.content.decode()
    assert "102数据有误" in page.content.decode()


def test_lead_return_without_a_comment_changes_nothing(
    client, lead, unit_user, world, county, other_county
):
    _submitted(world, county, other_county, unit_user)
    client.force_login(lead)
    client.post(_action("return"), {"comment": ""})
    assert EntryState.objects.get().status == "submitted"


def test_lead_approves_then_reopens_with_a_reason(
    client, lead, unit_user, world, county, other_county
):
    _submitted(world, county, other_county, unit_user)
    client.force_login(lead)
    client.post(_action("approve"))
    assert EntryState.objects.get().status == "approved"
    client.post(_action("reopen"), {"reason": ""})
    assert EntryState.objects.get().status == "approved"
    client.post(_action("reopen"), {"reason": "口径调整"})
    assert (EntryState.objects.get().status, EntryState.objects.get().comment) == (
        "draft",
        "口径调整",
    )


def test_overview_unit_sees_its_own_indicators_per_round(client, unit_user, world):
    client.force_login(unit_user)
    response = client.get(reverse("scoring:entry", kwargs={"year": 2024}))
    assert [i.code for i in response.context["indicators"]] == ["A01"]
    assert [r.code for r in response.context["rounds"]] == ["annual", "april"]


def test_matrix_shows_statuses_counts_and_empty_counties(
    client, lead, unit_user, world, county, other_county
):
    _submitted(world, county, other_county, unit_user)
    client.force_login(lead)
    response = client.get(reverse("scoring:entry_matrix", kwargs={"year": 2024, "round": "april"}))
    cells = [
        (unit.code, ind.code, ind.status, [c.code for c in ind.empty])
        for unit, inds in response.context["units"]
        for ind in inds
    ]
    assert cells == [("CZJ", "A02", "not_started", ["101", "102"]), ("TJJ", "A01", "submitted", [])]
    assert [(v, n) for v, _label, n in response.context["counts"]] == [
        ("not_started", 1), ("draft", 0), ("submitted", 1), ("returned", 0), ("approved", 0),
    ]  # fmt: skip


# --- speed: constant queries ---------------------------------------------------------------


def _big_world(unit, n_counties, n_items):
    cycle = CycleFactory(year=2030)
    counties = [CountyFactory(code=f"9{n:03d}") for n in range(n_counties)]
    cycle.counties.set(counties)
    indicator = IndicatorFactory(cycle=cycle, code="B01", unit=unit, weight=Decimal(100))
    items = [
        RuleItemFactory(indicator=indicator, code=f"B01-{k}", share=Decimal(100) / n_items,
                        method="ratio")
        for k in range(n_items)
    ]  # fmt: skip
    annual, _april = open_rounds(cycle)
    return cycle, counties, indicator, items, annual


@pytest.mark.parametrize(("n_counties", "n_items"), [(2, 1), (6, 3)])
def test_grid_save_takes_constant_queries(
    client, unit, unit_user, django_assert_num_queries, n_counties, n_items
):
    _cycle, counties, _indicator, items, _annual = _big_world(unit, n_counties, n_items)
    client.force_login(unit_user)
    url = reverse(
        "scoring:entry_grid", kwargs={"year": 2030, "round": "annual", "indicator": "B01"}
    )
    page = client.get(url)
    cells = {}
    for c in counties:
        for item in items:
            cells[cell_name(c.id, f"a{item.id}")] = "90"
            cells[cell_name(c.id, f"t{item.id}")] = "100"
    data = _post_data(page, **cells, save="")
    # ContentType's cache is per process: warm it, so that the count does not depend on
    # which tests ran before.
    ContentType.objects.get_for_model(EntryState)
    with django_assert_num_queries(24):
        response = client.post(url, data)
    assert response.status_code == 302
    assert AnnualInput.objects.filter(actual=90).count() == n_counties * n_items
    with django_assert_num_queries(12):
        page = client.get(url)
    assert len(page.context["rows"]) == n_counties


@pytest.mark.parametrize("n_indicators", [1, 3])
def test_matrix_takes_constant_queries(client, lead, unit, django_assert_num_queries, n_indicators):
    cycle = CycleFactory(year=2030)
    cycle.counties.set([CountyFactory(code=f"9{n:03d}") for n in range(n_indicators)])
    for n in range(n_indicators):
        ind = IndicatorFactory(cycle=cycle, code=f"B{n:02d}", unit=unit)
        RuleItemFactory(indicator=ind, code=f"B{n:02d}-1")
    open_rounds(cycle)
    client.force_login(lead)
    with django_assert_num_queries(12):
        response = client.get(
            reverse("scoring:entry_matrix", kwargs={"year": 2030, "round": "annual"})
        )
    assert response.status_code == 200


# --- bulk review ---------------------------------------------------------------------------


def _submit_both(world, county, other_county, unit_user, other_unit_user):
    _submitted(world, county, other_county, unit_user)
    entry.save_grid(round=world["april"], indicator=world["a02"],
                    values={(county.id, "p"): Decimal(40), (other_county.id, "p"): Decimal(45)},
                    loaded={}, actor=other_unit_user)  # fmt: skip
    entry.submit_entry(round=world["april"], indicator=world["a02"], actor=other_unit_user)


def test_bulk_approve_lists_the_submitted_entries_then_approves_the_ticked_ones(
    client, lead, unit_user, other_unit_user, world, county, other_county
):
    _submit_both(world, county, other_county, unit_user, other_unit_user)
    client.force_login(lead)
    url = reverse("scoring:entry_approve_many", kwargs={"year": 2024, "round": "april"})
    page = client.get(url)
    assert [s.indicator.code for s in page.context["states"]] == ["A02", "A01"]  # CZJ, TJJ
    assert page.context["form"]["indicators"].initial == ["A02", "A01"]
    response = client.post(url, {"indicators": ["A01", "A02"]}, headers={"accept-language": "en"})
    assert response["Location"] == reverse(
        "scoring:entry_matrix", kwargs={"year": 2024, "round": "april"}
    )
    assert sorted(EntryState.objects.values_list("indicator__code", "status", "reviewed_by")) == [
        ("A01", "approved", lead.pk), ("A02", "approved", lead.pk),
    ]  # fmt: skip
    assert sorted(Delivery.objects.values_list("indicator__code", "source")) == [
        ("A01", "approval"), ("A02", "approval"),
    ]  # fmt: skip
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert shown == ["2 entries approved: A02、A01."]


def test_bulk_approve_leaves_the_unticked_entries_submitted(
    client, lead, unit_user, other_unit_user, world, county, other_county
):
    _submit_both(world, county, other_county, unit_user, other_unit_user)
    client.force_login(lead)
    url = reverse("scoring:entry_approve_many", kwargs={"year": 2024, "round": "april"})
    client.post(url, {"indicators": ["A01"]})
    assert sorted(EntryState.objects.values_list("indicator__code", "status")) == [
        ("A01", "approved"), ("A02", "submitted"),
    ]  # fmt: skip
    assert client.post(url, {}).status_code == 200  # nothing ticked: the list again, an error


@pytest.mark.parametrize("n_indicators", [1, 3])
def test_bulk_approve_page_takes_constant_queries(
    client, lead, unit, unit_user, django_assert_num_queries, n_indicators
):
    cycle = CycleFactory(year=2030)
    county = CountyFactory(code="9000")
    cycle.counties.set([county])
    _annual, april = open_rounds(cycle)
    for n in range(n_indicators):
        ind = IndicatorFactory(cycle=cycle, code=f"B{n:02d}", unit=unit)
        entry.save_grid(round=april, indicator=ind, values={(county.id, "p"): Decimal(50)},
                        loaded={}, actor=unit_user)  # fmt: skip
        entry.submit_entry(round=april, indicator=ind, actor=unit_user)
    client.force_login(lead)
    url = reverse("scoring:entry_approve_many", kwargs={"year": 2030, "round": "april"})
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["states"]) == n_indicators
