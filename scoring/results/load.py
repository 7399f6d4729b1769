"""Loading a cycle for the engine: everything the results computation reads, in a fixed
number of queries, as plain values with the id ↔ code maps needed to store the results.
:mod:`scoring.results.services` computes and stores; it re-exports this module's names.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessment.models import Adjustment, County, Cycle, Veto
from assessment.refusals import Refused
from indicators.models import Indicator, RuleItem
from indicators.params import ParamError, Params, parse_params
from scoring.models import AnnualInput, Exemption
from scoring.results.engine import CycleSettings, IndicatorSpec, ItemSpec


class ResultsRefused(Refused):
    """The results cannot be computed; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class CycleData:
    """A cycle loaded for the engine, with the id ↔ code maps needed to store results."""

    cycle: Cycle
    counties: dict[int, County]
    indicators: dict[int, Indicator]
    items: dict[int, RuleItem]
    specs: list[IndicatorSpec]
    inputs: dict[tuple[str, str], tuple]
    exempt: set[tuple[str, str]]
    adjustments: dict[str, list]
    vetoed: set[str]

    @property
    def settings(self) -> CycleSettings:
        return cycle_settings(self.cycle)


def cycle_settings(cycle: Cycle) -> CycleSettings:
    """The engine's settings of ``cycle`` (no query)."""
    return CycleSettings(
        total_points=cycle.total_points,
        excellent_ratio=cycle.excellent_ratio,
        excellent_line=cycle.excellent_line,
        good_line=cycle.good_line,
        fair_line=cycle.fair_line,
        bonus_cap=cycle.bonus_cap,
    )


def load_cycle(cycle: Cycle) -> CycleData:
    """Read everything the engine needs for ``cycle``: a fixed number of queries.

    Raises :class:`ResultsRefused` listing every rule item whose stored parameters no longer
    pass :func:`parse_params` for its indicator's direction, or every row that points at
    another year's item or indicator.
    """
    counties = {c.id: c for c in cycle.counties.all()}
    indicators = {
        i.id: i
        for i in Indicator.objects.filter(cycle=cycle)
        .select_related("unit")
        .order_by("order", "code")
    }
    items = {i.id: i for i in RuleItem.objects.filter(cycle=cycle).order_by("order", "code")}
    specs = _specs(indicators, items)
    county_code = {cid: c.code for cid, c in counties.items()}
    inputs, exempt = _inputs_and_exemptions(
        cycle,
        county_code,
        item_code={iid: i.code for iid, i in items.items()},
        indicator_code={iid: i.code for iid, i in indicators.items()},
    )
    adjustments: dict[str, list] = defaultdict(list)
    for c, points in Adjustment.objects.filter(cycle=cycle).values_list("county_id", "points"):
        if c in county_code:
            adjustments[county_code[c]].append(points)
    vetoed = {
        county_code[c]
        for c in Veto.objects.filter(cycle=cycle).values_list("county_id", flat=True)
        if c in county_code
    }
    return CycleData(
        cycle=cycle,
        counties=counties,
        indicators=indicators,
        items=items,
        specs=specs,
        inputs=inputs,
        exempt=exempt,
        adjustments=dict(adjustments),
        vetoed=vetoed,
    )


def _specs(indicators: dict[int, Indicator], items: dict[int, RuleItem]) -> list[IndicatorSpec]:
    """The engine's indicators with their items' parsed parameters, in the indicators' order.

    Raises :class:`ResultsRefused` listing every item whose parameters no longer parse."""
    items_by_indicator: dict[int, list[RuleItem]] = defaultdict(list)
    params: dict[int, Params] = {}
    invalid: list[str] = []
    for item in items.values():
        items_by_indicator[item.indicator_id].append(item)
        ind = indicators[item.indicator_id]
        # Checked when saved, but a later change (the indicator's direction) can break them.
        try:
            params[item.id] = parse_params(item.method, item.params, ind.direction)
        except ParamError as exc:
            invalid.append(
                _(
                    "indicator %(indicator)s %(indicator_name)s, "
                    "item %(item)s %(item_name)s: %(error)s"
                )
                % {
                    "indicator": ind.code,
                    "indicator_name": ind.name,
                    "item": item.code,
                    "item_name": item.name,
                    "error": exc,
                }
            )
    if invalid:
        raise ResultsRefused(invalid)
    return [
        IndicatorSpec(
            code=ind.code,
            weight=ind.weight,
            direction=ind.direction,
            items=tuple(
                ItemSpec(
                    code=item.code,
                    share=item.share,
                    method=item.method,
                    params=params[item.id],
                )
                for item in items_by_indicator[ind.id]
            ),
        )
        for ind in indicators.values()
    ]


def _inputs_and_exemptions(
    cycle: Cycle, county_code: dict, *, item_code: dict, indicator_code: dict
) -> tuple[dict, set]:
    """The annual inputs (by county and item code) and exemptions (county and indicator code)
    of the cycle's counties. Raises :class:`ResultsRefused` naming every row that points at
    another year's item or indicator."""
    inputs, stray_inputs = {}, []
    for row in AnnualInput.objects.filter(cycle=cycle).values_list(
        "county_id", "item_id", "actual", "target"
    ):
        c, i, actual, target = row
        if i not in item_code:  # an item of another year, written past the model's check
            stray_inputs.append((c, i))
        elif c in county_code:
            inputs[(county_code[c], item_code[i])] = (actual, target)
    exempt, stray_exemptions = set(), []
    for c, i in Exemption.objects.filter(cycle=cycle).values_list("county_id", "indicator_id"):
        if i not in indicator_code:
            stray_exemptions.append((c, i))
        elif c in county_code:
            exempt.add((county_code[c], indicator_code[i]))
    if stray_inputs or stray_exemptions:
        raise ResultsRefused(_other_year_rows(cycle, stray_inputs, stray_exemptions))
    return inputs, exempt


def _other_year_rows(cycle: Cycle, inputs: list, exemptions: list) -> list[str]:
    """Say which rows of ``cycle`` point at another year's item or indicator (one query per
    kind of row; only when there are such rows)."""
    counties = County.objects.in_bulk({c for c, _i in inputs + exemptions})
    items = RuleItem.objects.select_related("cycle").in_bulk({i for _c, i in inputs})
    indicators = Indicator.objects.select_related("cycle").in_bulk({i for _c, i in exemptions})
    fix = _("correct or delete it in the administration")
    lines = [
        _("annual input of county %(county)s on item %(item)s of %(other)s, not of %(year)s")
        % {
            "county": counties[c],
            "item": items[i],
            "other": items[i].cycle.year,
            "year": cycle.year,
        }
        + ": "
        + fix
        for c, i in sorted(inputs)
    ]
    lines += [
        _(
            "exemption of county %(county)s from indicator %(indicator)s of %(other)s, "
            "not of %(year)s"
        )
        % {
            "county": counties[c],
            "indicator": indicators[i],
            "other": indicators[i].cycle.year,
            "year": cycle.year,
        }
        + ": "
        + fix
        for c, i in sorted(exemptions)
    ]
    return lines
