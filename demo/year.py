"""One demo year: its cycle, rounds, indicator system, exemptions, inputs and progress, then
what became of it (demo.closing). Every step writes in bulk; the order of the steps is the
order of the rows (the same primary keys on every fresh run)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessment.audit import record_event
from assessment.models import Adjustment, County, Cycle, Round, Unit, User, Veto
from demo.closing import aware, finish_current_year, finish_past_year, record_deliveries
from demo.figures import YearFigures, year_figures
from demo.plan import (
    AUGUST_GAP_RATE,
    BONUS_CAP,
    CURRENT_YEAR,
    DIAGNOSIS_THRESHOLD,
    LATE_UNIT_AUGUST,
    MISSING_APRIL,
    ROUND_NAMES,
    SEED,
    city_plan,
    indicator_plans,
)
from indicators.models import Category, Indicator, RuleItem
from scoring.models import AnnualInput, Exemption, Progress


def build_year(
    year: int, *, counties: dict[str, County], units: dict[str, Unit], lead: User
) -> None:
    """Side effects: creates the cycle of ``year`` with everything in it, closes its rounds and
    (for a past year) computes, publishes and archives its results; audited per bulk step."""
    current = year == CURRENT_YEAR
    figures = year_figures(year)
    cycle = Cycle.objects.create(
        year=year,
        # Past years are archived once their results are computed (demo.closing).
        status=Cycle.Status.ACTIVE,
        bonus_cap=BONUS_CAP,
    )
    cycle.counties.set(counties.values())
    rounds = _rounds(cycle, current=current)
    indicators, items = _rules(cycle, units=units)
    exempt = _exemptions(cycle, counties=counties, indicators=indicators)
    inputs = _inputs(cycle, figures, counties=counties, items=items, exempt=exempt, lead=lead)
    progress = _progress_rows(year, figures, exempt=exempt)
    _store_progress(
        cycle, progress, rounds=rounds, counties=counties, indicators=indicators, lead=lead
    )
    if not current:
        _adjustments_and_vetoes(cycle, counties=counties)
    record_event(
        cycle,
        summary="seed_demo",
        data={
            "indicators": len(indicators),
            "rule_items": len(items),
            "annual_inputs": len(inputs),
            "progress": len(progress),
        },
        actor=lead,
    )
    if current:
        finish_current_year(
            cycle, rounds=rounds, indicators=indicators, progress=progress, lead=lead
        )
    else:
        record_deliveries(rounds=rounds, indicators=indicators, progress=progress, lead=lead)
        finish_past_year(cycle, rounds=rounds, counties=counties, lead=lead)


def _august_close(year: int, current: bool) -> date:
    usual = date(year, 9, 10)
    if not current:
        return usual
    return max(usual, timezone.localdate() + timedelta(days=14))


def _rounds(cycle: Cycle, *, current: bool) -> dict[str, Round]:
    """The annual round (closed in a past year) and the two pre-assessment rounds (open: they
    are closed by demo.closing as the lead department did)."""
    year = cycle.year
    pre = {
        "kind": Round.Kind.PRE,
        "status": Round.Status.OPEN,
        "diagnosis_threshold": DIAGNOSIS_THRESHOLD,
    }
    made = Round.objects.bulk_create(
        [
            Round(
                cycle=cycle,
                code="annual",
                name=ROUND_NAMES["annual"],
                kind=Round.Kind.ANNUAL,
                status=Round.Status.PENDING if current else Round.Status.CLOSED,
                opens_on=date(year + 1, 1, 10),
                closes_on=date(year + 1, 2, 28),
                closed_at=None if current else aware(date(year + 1, 2, 28)),
            ),
            Round(
                cycle=cycle,
                code="april",
                name=ROUND_NAMES["april"],
                expected_progress=Round.DEFAULT_EXPECTED["april"],
                opens_on=date(year, 4, 20),
                closes_on=date(year, 5, 10),
                **pre,
            ),
            Round(
                cycle=cycle,
                code="august",
                name=ROUND_NAMES["august"],
                expected_progress=Round.DEFAULT_EXPECTED["august"],
                opens_on=date(year, 8, 20),
                # The current year's August round is still open: its closing date (the
                # daily job closes it then) is extended past today when need be.
                closes_on=_august_close(year, current),
                **pre,
            ),
        ]
    )
    return {r.code: r for r in made}


def _rules(cycle: Cycle, *, units: dict[str, Unit]) -> tuple[dict, dict]:
    """The indicator system of the plan, approved: (indicators, rule items) by code."""
    categories = Category.objects.bulk_create(
        [
            Category(cycle=cycle, name=name, order=n)
            for n, (name, _plans) in enumerate(city_plan().categories, start=1)
        ]
    )
    category_by_name = {c.name: c for c in categories}
    plans = indicator_plans()
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                cycle=cycle,
                code=plan.code,
                name=plan.name,
                category=category_by_name[category],
                weight=Decimal(plan.weight),
                unit=units[plan.unit],
                direction=plan.direction,
                rules_status=Indicator.RulesStatus.APPROVED,
                order=n,
            )
            for n, (category, plan) in enumerate(plans, start=1)
        ]
    )
    by_code = {i.code: i for i in indicators}
    items = RuleItem.objects.bulk_create(
        [
            RuleItem(
                cycle=cycle,
                indicator=by_code[plan.code],
                code=f"{plan.code}-{n}",
                name=item.name,
                content=item.content,
                share=Decimal(item.share),
                method=item.method,
                params=item.params,
                order=n,
            )
            for _category, plan in plans
            for n, item in enumerate(plan.items, start=1)
        ]
    )
    return by_code, {i.code: i for i in items}


def _exemptions(cycle: Cycle, *, counties: dict, indicators: dict) -> set[tuple[str, str]]:
    """Side effects: the plan's exemptions. Returns the exempt (county, indicator) codes."""
    exemptions = city_plan().exemptions
    Exemption.objects.bulk_create(
        Exemption(cycle=cycle, county=counties[c], indicator=indicators[i], reason=reason)
        for c, i, reason in exemptions
    )
    return {(c, i) for c, i, _reason in exemptions}


def _inputs(
    cycle: Cycle, figures: YearFigures, *, counties: dict, items: dict, exempt: set, lead: User
) -> list[AnnualInput]:
    """The annual inputs: actual and target in a past year; only the targets in the current."""
    current = cycle.year == CURRENT_YEAR
    inputs = [
        AnnualInput(
            cycle=cycle,
            county=counties[c],
            item=items[item_code],
            actual=None if current else figures.actual[(c, item_code)],
            target=figures.target[(c, item_code)],
            updated_by=lead,
        )
        for (c, item_code) in figures.actual
        if (c, items[item_code].indicator.code) not in exempt
        and (not current or figures.target[(c, item_code)] is not None)
    ]
    AnnualInput.objects.bulk_create(inputs, batch_size=2000)
    return inputs


def _progress_rows(
    year: int, figures: YearFigures, *, exempt: set
) -> list[tuple[str, str, str, Decimal]]:
    """(round, county, indicator, value) of the progress entered by the units."""
    unit_of = {plan.code: plan.unit for _category, plan in indicator_plans()}
    gaps = random.Random(f"{SEED}-{year}-gaps")
    rows = []
    for code, values in figures.progress.items():
        for (c, i), value in values.items():
            if (c, i) in exempt:
                continue
            if year == CURRENT_YEAR:
                if code == "april" and (c, i) in MISSING_APRIL:
                    continue
                if code == "august" and (
                    unit_of[i] == LATE_UNIT_AUGUST or gaps.random() < AUGUST_GAP_RATE
                ):
                    continue
            rows.append((code, c, i, value))
    return rows


def _store_progress(
    cycle: Cycle, progress: list, *, rounds: dict, counties: dict, indicators: dict, lead: User
) -> None:
    Progress.objects.bulk_create(
        [
            Progress(
                cycle=cycle,
                round=rounds[r],
                county=counties[c],
                indicator=indicators[i],
                value=value,
                updated_by=lead,
            )
            for r, c, i, value in progress
        ],
        batch_size=2000,
    )


def _adjustments_and_vetoes(cycle: Cycle, *, counties: dict) -> None:
    """A past year's bonus and penalty points and its veto, as the plan lists them."""
    plan = city_plan()
    Adjustment.objects.bulk_create(
        Adjustment(cycle=cycle, county=counties[c], points=Decimal(points), reason=reason)
        for c, points, reason in plan.adjustments.get(cycle.year, ())
    )
    Veto.objects.bulk_create(
        Veto(cycle=cycle, county=counties[c], reason=reason)
        for c, reason in plan.vetoes.get(cycle.year, ())
    )
