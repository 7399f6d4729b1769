"""A new year from the last: the copy equals its source except its year, the diff lists
exactly what differs, and activation needs the spec's weights check."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from assessment.models import Adjustment, Cycle, Round, Veto
from assessment.services import set_cycle_status
from indicators.models import Category, Indicator, RuleItem
from indicators.services.diff import diff_cycles
from indicators.services.yearcopy import copy_cycle
from scoring.models import AnnualInput, CountyResult
from tests.factories import (
    CountyFactory,
    IndicatorFactory,
    RoundFactory,
    RuleItemFactory,
    UnitFactory,
)
from tests.pages import build_cycle


@pytest.fixture
def source(county, other_county, unit, other_unit):
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], units=(unit, other_unit))
    Cycle.objects.filter(pk=cycle.pk).update(bonus_cap=Decimal("3"), excellent_ratio=Decimal("0.2"))
    cycle.refresh_from_db()
    RoundFactory(cycle=cycle, code="april", opens_on=date(2024, 4, 1), closes_on=date(2024, 4, 30))
    Adjustment.objects.create(cycle=cycle, county=county, points=Decimal("1"), reason="抗洪")
    Veto.objects.create(cycle=cycle, county=other_county, reason="安全生产事故")
    return cycle


def snapshot(cycle: Cycle) -> dict:
    """Everything a copy keeps, without ids or the year."""
    return {
        "settings": [
            getattr(cycle, f)
            for f in (
                "total_points",
                "excellent_ratio",
                "excellent_line",
                "good_line",
                "fair_line",
                "bonus_cap",
            )
        ],
        "counties": sorted(cycle.counties.values_list("code", flat=True)),
        "rounds": sorted(
            (
                r.code,
                r.name,
                r.kind,
                r.expected_progress,
                r.tolerance,
                r.diagnosis_threshold,
                r.opens_on and (r.opens_on.month, r.opens_on.day),
            )
            for r in Round.objects.filter(cycle=cycle)
        ),
        "categories": list(Category.objects.filter(cycle=cycle).values_list("name", "order")),
        "indicators": list(
            Indicator.objects.filter(cycle=cycle)
            .order_by("code")
            .values_list(
                "code",
                "name",
                "category__name",
                "weight",
                "unit__code",
                "direction",
                "order",
            )
        ),
        "items": list(
            RuleItem.objects.filter(cycle=cycle)
            .order_by("code")
            .values_list(
                "code", "indicator__code", "name", "content", "share", "method", "params", "order"
            )
        ),
        "targets": sorted(
            AnnualInput.objects.filter(cycle=cycle, target__isnull=False).values_list(
                "county__code", "item__code", "target"
            )
        ),
    }


def test_copy_cycle_equals_its_source_except_its_year(source, lead):
    copy = copy_cycle(source=source, year=2025, actor=lead)
    assert (copy.year, copy.status) == (2025, Cycle.Status.DRAFT)
    assert snapshot(copy) == snapshot(source)
    assert snapshot(copy)["targets"] == [
        ("101", "A02-1", Decimal("100")),
        ("102", "A02-1", Decimal("100")),
    ]
    assert Round.objects.get(cycle=copy).opens_on == date(2025, 4, 1)


def test_copy_cycle_rules_start_as_drafts_for_the_units(source):
    Indicator.objects.filter(cycle=source).update(rules_status=Indicator.RulesStatus.APPROVED)
    copy = copy_cycle(source=source, year=2025)
    statuses = set(Indicator.objects.filter(cycle=copy).values_list("rules_status", flat=True))
    assert statuses == {Indicator.RulesStatus.DRAFT}


def test_copy_cycle_copies_no_data(source):
    copy = copy_cycle(source=source, year=2025)
    assert AnnualInput.objects.filter(cycle=copy, actual__isnull=False).count() == 0
    assert Adjustment.objects.filter(cycle=copy).count() == 0
    assert Veto.objects.filter(cycle=copy).count() == 0
    assert CountyResult.objects.filter(cycle=copy).count() == 0
    assert copy.results_computed_at is None


def test_copy_cycle_refuses_an_existing_year(source):
    with pytest.raises(ValidationError):
        copy_cycle(source=source, year=2024)
    assert Cycle.objects.count() == 1


def test_copy_cycle_is_audited(source, lead):
    copy = copy_cycle(source=source, year=2025, actor=lead)
    entry = LogEntry.objects.get_for_object(copy).filter(changes__icontains="copy_cycle").get()
    assert (entry.actor, entry.additional_data) == (
        lead,
        {"source": 2024, "indicators": 2, "items": 2},
    )


def test_diff_of_a_copy_is_empty(source):
    copy = copy_cycle(source=source, year=2025)
    assert diff_cycles(source, copy).empty is True


def test_diff_lists_each_planted_change(source, other_county):
    RuleItemFactory(indicator=Indicator.objects.get(cycle=source, code="A01"), code="A01-9",
                    name="旧项目", share=Decimal("10"))  # fmt: skip
    copy = copy_cycle(source=source, year=2025)
    RuleItem.objects.get(cycle=copy, code="A01-9").delete()
    Cycle.objects.filter(pk=copy.pk).update(bonus_cap=Decimal("5"))
    Round.objects.filter(cycle=copy, code="april").update(tolerance=Decimal("8"))
    copy.refresh_from_db()
    copy.counties.remove(other_county)
    a01 = Indicator.objects.get(cycle=copy, code="A01")
    a01.name, a01.weight = "地区生产总值增长", Decimal("50")
    a01.unit = UnitFactory(code="FGW", name="市发展改革委")
    a01.save()
    item = RuleItem.objects.get(cycle=copy, code="A01-1")
    item.method, item.params = "rank", "step=4"
    item.save()
    RuleItemFactory(indicator=a01, code="A01-2", name="质量效益", share=Decimal("40"))
    Indicator.objects.get(cycle=copy, code="A02").delete()
    b01 = IndicatorFactory(
        cycle=copy, category=a01.category, code="B01", name="新指标", weight=Decimal("50")
    )

    with translation.override("en"):
        diff = diff_cycles(source, copy)

    assert [(c.field, c.label, c.before, c.after) for c in diff.settings] == [
        ("bonus_cap", "adjustment cap", "3", "5"),
        ("april.tolerance", "4月预考核 · tolerance (percentage points)", "10", "8"),
    ]
    assert (diff.counties_added, diff.counties_removed) == ([], ["102 西城区"])
    assert [(d.code, d.kinds) for d in diff.indicators] == [
        ("A01", ["renamed", "reweighted", "unit", "rules"]),
        ("A02", ["removed"]),
        ("B01", ["added"]),
    ]
    a01_diff = diff.indicators[0]
    assert [(c.field, c.before, c.after) for c in a01_diff.changes] == [
        ("name", "地区生产总值增速", "地区生产总值增长"),
        ("weight", "60", "50"),
        ("unit", "TJJ 市统计局", "FGW 市发展改革委"),
    ]
    assert [
        (i.code, i.status, [(c.field, c.before, c.after) for c in i.changes])
        for i in a01_diff.items
    ] == [
        (
            "A01-1",
            "changed",
            [
                (
                    "rule",
                    "Direct score: the responsible unit scores 0 to 100 points",
                    "Rank (highest value first): first place 100 points, 4 points less per place",
                )
            ],
        ),
        ("A01-2", "added", []),
        ("A01-9", "removed", []),
    ]
    assert diff.codes("added") == [b01.code]
    assert [(c.field, c.after) for c in diff.indicators[2].changes] == [
        ("weight", "50"), ("unit", str(b01.unit)), ("category", "经济发展"),
    ]  # fmt: skip


def test_diff_sees_direction_and_category_changes(source):
    copy = copy_cycle(source=source, year=2025)
    a02 = Indicator.objects.get(cycle=copy, code="A02")
    a02.direction = "lower"
    a02.category = Category.objects.create(cycle=copy, name="民生保障", order=2)
    a02.save()
    diff = diff_cycles(source, copy)
    assert [(d.code, d.kinds) for d in diff.indicators] == [("A02", ["direction", "category"])]


def test_activate_cycle_refuses_naming_the_sum(source):
    copy = copy_cycle(source=source, year=2025)
    Indicator.objects.filter(cycle=copy, code="A01").update(weight=Decimal("55.5"))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        set_cycle_status(cycle=copy, status="active")
    assert exc.value.messages == ["The weights sum to 95.50, not the total points 100.00."]
    copy.refresh_from_db()
    assert copy.status == Cycle.Status.DRAFT


def test_activate_cycle_when_the_weights_add_up(source, lead):
    copy = copy_cycle(source=source, year=2025)
    set_cycle_status(cycle=copy, status="active", actor=lead)
    copy.refresh_from_db()
    assert copy.status == Cycle.Status.ACTIVE


def test_copy_keeps_only_the_targets_of_counties_in_the_year(source):
    outsider = CountyFactory(code="199")
    item = RuleItem.objects.get(cycle=source, code="A02-1")
    AnnualInput.objects.create(cycle=source, county=outsider, item=item, target=Decimal(5))
    copy = copy_cycle(source=source, year=2025)
    assert AnnualInput.objects.filter(cycle=copy, county=outsider).count() == 0


def test_copy_cycle_command(source):
    out = StringIO()
    call_command("copy_cycle", "2024", "2025", stdout=out)
    assert out.getvalue() == "Created the draft cycle 2025 from 2024: 2 indicators.\n"
    with pytest.raises(CommandError) as exc:
        call_command("copy_cycle", "2024", "2025", stdout=out)
    assert str(exc.value) == "The year 2025 already exists."
