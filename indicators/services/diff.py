"""What changed in the indicator system between two years, followed by code.

:func:`diff_cycles` compares an earlier cycle with a later one: the settings and the
counties of the year, then each indicator by code (added, removed, renamed, re-weighted,
moved to another unit, another category or direction, rules changed) and, for an indicator
present in both, each rule item by code (added, removed, changed field by field). Reads only:
one query per table and cycle.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from assessment.models import Cycle, Round
from indicators.describe import describe_rule
from indicators.models import Indicator, RuleItem
from indicators.params import plain
from indicators.services.yearcopy import SETTINGS_FIELDS

INDICATOR_FIELDS = {
    # field → kind of change
    "name": "renamed",
    "weight": "reweighted",
    "unit": "unit",
    "direction": "direction",
    "category": "category",
}
ITEM_FIELDS = ("name", "content", "share", "method", "params")


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name and label, and its value before and after, as shown."""

    field: str
    label: str
    before: str
    after: str


@dataclass
class ItemDiff:
    code: str
    name: str
    status: str  # "added", "removed" or "changed"
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class IndicatorDiff:
    code: str
    name: str
    kinds: list[str]  # "added", "removed", "renamed", "reweighted", "unit", … , "rules"
    changes: list[FieldChange] = field(default_factory=list)
    items: list[ItemDiff] = field(default_factory=list)


@dataclass
class CycleDiff:
    old: Cycle
    new: Cycle
    settings: list[FieldChange]
    counties_added: list[str]
    counties_removed: list[str]
    indicators: list[IndicatorDiff]

    @property
    def empty(self) -> bool:
        return not (
            self.settings or self.counties_added or self.counties_removed or self.indicators
        )

    def codes(self, kind: str) -> list[str]:
        """The codes of the indicators with a change of ``kind`` (for tests and summaries)."""
        return [d.code for d in self.indicators if kind in d.kinds]


def _shown(obj, name: str) -> str:
    """The value of field ``name`` of ``obj`` as a person reads it (choices by their label)."""
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _field_changes(old, new, names) -> list[FieldChange]:
    changes = []
    for name in names:
        before, after = _shown(old, name), _shown(new, name)
        if before != after:
            label = str(new._meta.get_field(name).verbose_name)
            changes.append(FieldChange(name, label, before, after))
    return changes


def _indicators(cycle: Cycle) -> dict[str, Indicator]:
    indicators = Indicator.objects.filter(cycle=cycle).select_related("unit", "category")
    by_code = {}
    for ind in indicators:
        ind.item_map = {}
        by_code[ind.code] = ind
    by_id = {ind.pk: ind for ind in by_code.values()}
    for item in RuleItem.objects.filter(cycle=cycle).order_by("order", "code"):
        by_id[item.indicator_id].item_map[item.code] = item
    return by_code


def _item_diffs(old: Indicator, new: Indicator) -> list[ItemDiff]:
    diffs = []
    for code in sorted(old.item_map.keys() | new.item_map.keys()):
        before, after = old.item_map.get(code), new.item_map.get(code)
        if before is None:
            diffs.append(ItemDiff(code, after.name, "added"))
        elif after is None:
            diffs.append(ItemDiff(code, before.name, "removed"))
        else:
            changes = _rule_in_words(
                _field_changes(before, after, ITEM_FIELDS), before, after, old, new
            )
            if changes:
                diffs.append(ItemDiff(code, after.name, "changed", changes))
    return diffs


def _rule_in_words(changes, before, after, old: Indicator, new: Indicator) -> list:
    """A change of method or parameters shown as the rule in plain words, before and after
    (indicators.describe), not as raw parameters."""
    if not any(c.field in ("method", "params") for c in changes):
        return changes
    kept = [c for c in changes if c.field not in ("method", "params")]
    return [
        *kept,
        FieldChange(
            "rule",
            _("Scoring rule"),
            describe_rule(before.method, before.params, old.direction),
            describe_rule(after.method, after.params, new.direction),
        ),
    ]


def _indicator_diff(old: Indicator, new: Indicator) -> IndicatorDiff | None:
    changes = _field_changes(old, new, INDICATOR_FIELDS)
    kinds = [INDICATOR_FIELDS[change.field] for change in changes]
    items = _item_diffs(old, new)
    if items:
        kinds.append("rules")
    if not kinds:
        return None
    return IndicatorDiff(new.code, new.name, kinds, changes, items)


def _summary(indicator: Indicator) -> list[FieldChange]:
    """What an added or removed indicator is: its weight, unit and category."""
    return [
        FieldChange(
            name, str(indicator._meta.get_field(name).verbose_name), "", _shown(indicator, name)
        )
        for name in ("weight", "unit", "category")
    ]


ROUND_SETTINGS = ("expected_progress", "tolerance", "diagnosis_threshold")


def _round_settings(old: Cycle, new: Cycle) -> list[FieldChange]:
    """The warning settings of the rounds both years have (spec: expected progress,
    tolerance, diagnosis threshold), each labelled with its round."""
    before = {r.code: r for r in Round.objects.filter(cycle=old)}
    changes = []
    for after in Round.objects.filter(cycle=new).order_by("closes_on", "code"):
        if after.code not in before:
            continue
        for change in _field_changes(before[after.code], after, ROUND_SETTINGS):
            label = f"{after.name} · {change.label}"
            changes.append(
                FieldChange(f"{after.code}.{change.field}", label, change.before, change.after)
            )
    return changes


def diff_cycles(old: Cycle, new: Cycle) -> CycleDiff:
    """What changed from ``old`` to ``new`` (any two years; usually an earlier one first)."""
    old_inds, new_inds = _indicators(old), _indicators(new)
    indicators = []
    for code in sorted(old_inds.keys() | new_inds.keys()):
        before, after = old_inds.get(code), new_inds.get(code)
        if before is None:
            indicators.append(IndicatorDiff(code, after.name, ["added"], _summary(after)))
        elif after is None:
            indicators.append(IndicatorDiff(code, before.name, ["removed"], _summary(before)))
        else:
            diff = _indicator_diff(before, after)
            if diff is not None:
                indicators.append(diff)
    old_counties = dict(old.counties.values_list("code", "name"))
    new_counties = dict(new.counties.values_list("code", "name"))
    return CycleDiff(
        old=old,
        new=new,
        settings=_field_changes(old, new, SETTINGS_FIELDS) + _round_settings(old, new),
        counties_added=[
            f"{c} {new_counties[c]}" for c in sorted(new_counties.keys() - old_counties.keys())
        ],
        counties_removed=[
            f"{c} {old_counties[c]}" for c in sorted(old_counties.keys() - new_counties.keys())
        ],
        indicators=indicators,
    )
