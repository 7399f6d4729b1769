"""The pages of a new year: the copy, the draft's set-up and indicators, the changes page."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessment.models import Cycle
from indicators.models import Indicator
from indicators.services.yearcopy import copy_cycle


@pytest.fixture
def draft(computed):
    return copy_cycle(source=computed, year=2025)


def test_new_cycle_page_proposes_the_next_year(client, lead, computed):
    client.force_login(lead)
    form = client.get(reverse("indicators:new_cycle")).context["form"]
    assert (form.initial["source"], form.initial["year"]) == (computed, 2025)


def test_new_cycle_copies_and_opens_the_setup(client, lead, computed):
    client.force_login(lead)
    response = client.post(reverse("indicators:new_cycle"), {"source": 2024, "year": 2025})
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:setup", kwargs={"year": 2025})
    copy = Cycle.objects.get(year=2025)
    assert list(Indicator.objects.filter(cycle=copy).values_list("code", flat=True)) == [
        "A01",
        "A02",
    ]


def test_new_cycle_refuses_an_existing_year_and_keeps_the_input(client, lead, computed):
    client.force_login(lead)
    response = client.post(reverse("indicators:new_cycle"), {"source": 2024, "year": 2024})
    assert response.status_code == 200
    assert response.context["form"].errors == {"year": ["The year 2024 already exists."]}
    assert response.context["form"].data["year"] == "2024"


def test_indicator_edit_saves_and_is_audited(client, lead, draft, other_unit):
    client.force_login(lead)
    ind = Indicator.objects.get(cycle=draft, code="A01")
    url = reverse("indicators:indicator_edit", kwargs={"year": 2025, "indicator": "A01"})
    response = client.post(
        url,
        {"code": "ZZZ", "name": "地区生产总值增长", "category": ind.category_id, "weight": "55",
         "unit": other_unit.pk, "direction": "higher", "order": 1},
    )  # fmt: skip
    assert response.status_code == 302
    ind.refresh_from_db()
    assert (ind.code, ind.name, ind.weight, ind.unit) == (
        "A01", "地区生产总值增长", Decimal("55"), other_unit,
    )  # fmt: skip
    entry = LogEntry.objects.get_for_object(ind).order_by("-id").first()
    assert (entry.actor, entry.changes_dict["weight"]) == (lead, ["60.0000", "55"])


def test_indicator_add_refuses_a_used_code(client, lead, draft, unit):
    client.force_login(lead)
    category = Indicator.objects.get(cycle=draft, code="A01").category_id
    response = client.post(
        reverse("indicators:indicator_add", kwargs={"year": 2025}),
        {"code": "A02", "name": "重复", "category": category, "weight": "5", "unit": unit.pk,
         "direction": "higher", "order": 3},
    )  # fmt: skip
    assert response.context["form"].errors == {
        "code": ["The indicator code A02 is already used this year."]
    }


def test_indicator_edit_refuses_a_direction_the_tiers_do_not_fit(client, lead, draft):
    item = draft.rule_items.get(code="A01-1")
    item.method, item.params = "tiers", "tiers=95:100,85:90"
    item.save()
    client.force_login(lead)
    ind = item.indicator
    response = client.post(
        reverse("indicators:indicator_edit", kwargs={"year": 2025, "indicator": "A01"}),
        {"name": ind.name, "category": ind.category_id, "weight": "60", "unit": ind.unit_id,
         "direction": "lower", "order": 1},
    )  # fmt: skip
    assert list(response.context["form"].errors) == ["direction"]
    ind.refresh_from_db()
    assert ind.direction == "higher"


def test_indicator_edit_of_an_active_year_is_refused(client, lead, computed):
    client.force_login(lead)
    ind = Indicator.objects.get(cycle=computed, code="A01")
    client.post(
        reverse("indicators:indicator_edit", kwargs={"year": 2024, "indicator": "A01"}),
        {"name": "改名", "category": ind.category_id, "weight": "60", "unit": ind.unit_id,
         "direction": "higher", "order": 1},
    )  # fmt: skip
    ind.refresh_from_db()
    assert ind.name == "地区生产总值增速"


def test_indicator_delete_removes_it_from_the_draft(client, lead, draft):
    client.force_login(lead)
    client.post(reverse("indicators:indicator_delete", kwargs={"year": 2025, "indicator": "A02"}))
    assert list(Indicator.objects.filter(cycle=draft).values_list("code", flat=True)) == ["A01"]


def test_activate_shows_the_sum_when_the_weights_do_not_add_up(client, lead, draft):
    client.force_login(lead)
    Indicator.objects.filter(cycle=draft, code="A02").update(weight=Decimal("30"))
    response = client.post(reverse("indicators:activate", kwargs={"year": 2025}), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The weights sum to 90.00, not the total points 100.00."
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_setup_settings_save_in_a_draft(client, lead, draft, county):
    client.force_login(lead)
    response = client.post(
        reverse("indicators:setup", kwargs={"year": 2025}),
        {"total_points": "100", "excellent_ratio": "0.25", "good_line": "0.8",
         "fair_line": "0.6", "bonus_cap": "2", "counties": [county.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.excellent_ratio, draft.bonus_cap) == (Decimal("0.2500"), Decimal("2.00"))
    assert list(draft.counties.values_list("code", flat=True)) == ["101"]


def test_changes_page_compares_with_the_year_before(client, county_user, draft):
    Indicator.objects.filter(cycle=draft, code="A02").update(weight=Decimal("45"))
    client.force_login(county_user)
    response = client.get(reverse("indicators:changes", kwargs={"year": 2025}))
    assert response.context["against"].year == 2024
    body = response.content.decode()
    assert 'id="change-A02"' in body
    assert "<del>40</del> → <ins>45</ins>" in body


def test_changes_page_compares_a_draft_with_the_active_year_by_default(client, lead, draft):
    # 2026, a second draft: compared with the year in force (2024), not with the draft 2025.
    newer = copy_cycle(source=draft, year=2026)
    client.force_login(lead)
    response = client.get(reverse("indicators:changes", kwargs={"year": newer.year}))
    assert (Cycle.objects.get(year=2024).status, response.context["against"].year) == (
        "active", 2024,
    )  # fmt: skip


def test_changes_page_says_when_nothing_changed(client, lead, draft):
    client.force_login(lead)
    response = client.get(reverse("indicators:changes", kwargs={"year": 2025}) + "?against=2024")
    assert 'id="no-changes"' in response.content.decode()


def test_activate_page_previews_the_activation_and_changes_nothing(client, lead, draft):
    client.force_login(lead)
    response = client.get(reverse("indicators:activate", kwargs={"year": 2025}))
    preview = response.context["preview"]
    assert preview.problems == []
    assert (preview.opens_now.year, preview.opens_after.year, preview.switches) == (
        2024, 2025, True
    )  # fmt: skip
    assert [c.year for c in preview.still_active] == [2024]
    assert (preview.indicators, preview.items, preview.counties, preview.rounds) == (2, 2, 2, 0)
    body = response.content.decode()
    assert 'id="activate-archives"' in body and "Confirm: activate the year" in body
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_activate_page_lists_the_problems_without_a_confirm_button(client, lead, draft):
    client.force_login(lead)
    Indicator.objects.filter(cycle=draft, code="A02").update(weight=Decimal("30"))
    response = client.get(reverse("indicators:activate", kwargs={"year": 2025}))
    assert response.context["preview"].problems == [
        "The weights sum to 90.00, not the total points 100.00."
    ]
    assert "Confirm: activate the year" not in response.content.decode()


def test_activate_confirmed_makes_the_year_active(client, lead, draft):
    client.force_login(lead)
    client.post(reverse("indicators:activate", kwargs={"year": 2025}))
    draft.refresh_from_db()
    assert draft.status == "active"
    assert Cycle.objects.get(year=2024).status == "active"
