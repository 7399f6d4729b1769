"""A new year from the last: copy a cycle's settings, counties, rounds, categories, indicators,
rule items and (through a signal, by scoring) per-county targets — never its data."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import record_event
from assessment.models import Cycle, Round
from indicators.models import Category, Indicator, RuleItem
from indicators.signals import cycle_copied

# The settings of a cycle (spec/scoring.md) that a copy keeps and the diff compares.
SETTINGS_FIELDS = (
    "total_points",
    "excellent_ratio",
    "excellent_line",
    "good_line",
    "fair_line",
    "bonus_cap",
)
ROUND_FIELDS = ("code", "name", "kind", "expected_progress", "tolerance", "diagnosis_threshold")


def _shift(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def copy_cycle(*, source: Cycle, year: int, actor=None) -> Cycle:
    """Create the draft cycle ``year`` as a copy of ``source`` and return it.

    Side effects, in one transaction: a new Cycle with the source's settings and counties,
    its rounds (pending, dates moved by the years between), categories, indicators and rule
    items with the same codes and orders — the rules as drafts, so that each unit reviews and
    submits its indicators' rules of the new year (indicators/services/rules.py);
    sends ``cycle_copied`` so that the apps above copy their own part of the year (the
    per-county targets of scoring); writes one audit event.
    Inputs, progress, exemptions, results, adjustments and vetoes are not copied. Raises
    ValidationError if ``year`` exists.
    """
    if Cycle.objects.filter(year=year).exists():
        raise ValidationError(_("The year %(year)s already exists.") % {"year": year})
    delta = year - source.year
    with transaction.atomic():
        cycle = Cycle.objects.create(
            year=year,
            status=Cycle.Status.DRAFT,
            **{name: getattr(source, name) for name in SETTINGS_FIELDS},
        )
        cycle.counties.set(source.counties.all())
        Round.objects.bulk_create(
            Round(
                cycle=cycle,
                opens_on=_shift(r.opens_on, delta),
                closes_on=_shift(r.closes_on, delta),
                **{name: getattr(r, name) for name in ROUND_FIELDS},
            )
            for r in source.rounds.all()
        )
        indicators, items = _copy_indicator_system(source, cycle)
        cycle_copied.send(sender=Cycle, source=source, cycle=cycle, items=items, actor=actor)
        record_event(
            cycle,
            summary="copy_cycle",
            data={"source": source.year, "indicators": len(indicators), "items": len(items)},
            actor=actor,
        )
    return cycle


def _copy_indicator_system(source: Cycle, cycle: Cycle) -> tuple[dict, dict]:
    """Copy the categories, indicators (their rules as drafts) and rule items of ``source``
    into ``cycle``; return the new indicators by source id and the new rule item ids by
    source id."""
    categories = {
        c.pk: Category.objects.create(cycle=cycle, name=c.name, order=c.order)
        for c in Category.objects.filter(cycle=source)
    }
    indicators = {}
    for ind in Indicator.objects.filter(cycle=source):
        indicators[ind.pk] = Indicator.objects.create(
            cycle=cycle,
            category=categories[ind.category_id],
            **{
                name: getattr(ind, name)
                for name in ("code", "name", "weight", "unit_id", "direction", "order")
            },
            rules_status=Indicator.RulesStatus.DRAFT,
        )
    items = {}
    for item in RuleItem.objects.filter(cycle=source):
        items[item.pk] = RuleItem.objects.create(
            cycle=cycle,
            indicator=indicators[item.indicator_id],
            **{
                name: getattr(item, name)
                for name in ("code", "name", "content", "share", "method", "params", "order")
            },
        ).pk
    return indicators, items
