"""Writing a valid workbook's :class:`~scoring.workbook.reader.Definition` to the database
with bulk inserts. The caller holds the transaction and writes the audit event."""

from dataclasses import dataclass

from django.utils import timezone

from assessment.bulk import insert_rows
from assessment.models import Adjustment, County, Cycle, Round, Unit, Veto
from indicators.models import Category, Indicator, RuleItem
from scoring.entry.delivery import deliver
from scoring.models import AnnualInput, Delivery, Exemption, Progress
from scoring.workbook.layout import ANNUAL_ROUND_NAME, PRE_ROUND_NAMES
from scoring.workbook.reader import Definition

BATCH = 5000
# Keep ``code IN (…)`` lists under the parameter limit of every supported database.
LOOKUP_CHUNK = 900


@dataclass
class ImportSummary:
    year: int
    counties: int
    units: int
    indicators: int
    items: int
    annual_rows: int
    progress_rows: int
    exemptions: int
    adjustments: int
    vetoes: int


def batched(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write(data: Definition) -> tuple[Cycle, ImportSummary]:
    """Create the cycle of ``data`` with its rounds, counties and units (by code),
    definitions and data; return it with the counts of what was written."""
    cycle = _cycle(data.settings)
    county_id = upsert(County, data.counties)
    unit_id = upsert(Unit, data.units)
    cycle.counties.set(list(county_id.values()))
    round_id = _rounds(cycle, data.settings)
    indicator_id = _indicators(cycle, data, unit_id)
    item_id = _items(cycle, data, indicator_id)
    _annual(cycle, data.annual, county_id, item_id)
    _progress(cycle, data.progress, round_id, county_id, indicator_id)
    deliver_imported(cycle, data, round_id, indicator_id)
    _county_entries(cycle, data, county_id, indicator_id)
    return cycle, summary_of(cycle, data, county_id, unit_id, indicator_id, item_id)


def summary_of(
    cycle: Cycle, data: Definition, county_id: dict, unit_id: dict, indicator_id: dict,
    item_id: dict,
) -> ImportSummary:  # fmt: skip
    """The counts of what writing ``data`` into ``cycle`` wrote."""
    return ImportSummary(
        year=cycle.year,
        counties=len(county_id),
        units=len(unit_id),
        indicators=len(indicator_id),
        items=len(item_id),
        annual_rows=len(data.annual),
        progress_rows=len(data.progress),
        exemptions=len(data.exemptions),
        adjustments=len(data.adjustments),
        vetoes=len(data.vetoes),
    )


def deliver_imported(cycle: Cycle, data: Definition, round_id: dict, indicator_id: dict) -> None:
    """An imported progress sheet delivers every indicator of the cycle in each round it has
    rows for, and annual data the annual round (spec/scoring.md, 未报送)."""
    delivered = {r for r, *_rest in data.progress} | ({Round.ANNUAL_CODE} if data.annual else set())
    for code in sorted(delivered):
        deliver(
            round=Round(pk=round_id[code], cycle=cycle),
            indicator_ids=list(indicator_id.values()),
            source=Delivery.Source.IMPORT,
        )


def upsert(model, names: dict[str, str]) -> dict[str, int]:
    """Create the counties or units of ``names`` by code, rename existing ones; code → id."""
    codes = list(names)
    existing = {}
    for chunk in batched(codes, LOOKUP_CHUNK):
        existing.update({obj.code: obj for obj in model.objects.filter(code__in=chunk)})
    renamed = []
    for code, obj in existing.items():
        if obj.name != names[code]:
            obj.name = names[code]
            renamed.append(obj)
    model.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
    model.objects.bulk_create(
        [model(code=code, name=name) for code, name in names.items() if code not in existing],
        batch_size=BATCH,
    )
    ids = {}
    for chunk in batched(codes, LOOKUP_CHUNK):
        ids.update(model.objects.filter(code__in=chunk).values_list("code", "id"))
    return ids


def _cycle(s: dict) -> Cycle:
    return Cycle.objects.create(
        year=s["year"],
        status=Cycle.Status.ACTIVE,
        total_points=s["total_points"],
        excellent_ratio=s["excellent_ratio"],
        excellent_line=s["excellent_line"],
        good_line=s["good_line"],
        fair_line=s["fair_line"],
        bonus_cap=s["bonus_cap"],
    )


def _rounds(cycle: Cycle, s: dict) -> dict[str, int]:
    """The annual round and the pre-assessment rounds; round code → id."""
    annual = Round(
        cycle=cycle, code=Round.ANNUAL_CODE, name=ANNUAL_ROUND_NAME, kind=Round.Kind.ANNUAL
    )
    pre = [
        Round(
            cycle=cycle,
            code=code,
            name=name,
            kind=Round.Kind.PRE,
            expected_progress=s[f"{code}_expected"],
            tolerance=s["tolerance"],
            diagnosis_threshold=s["diagnosis_threshold"],
        )
        for code, name in PRE_ROUND_NAMES.items()
    ]
    Round.objects.bulk_create([annual, *pre])
    return dict(Round.objects.filter(cycle=cycle).values_list("code", "id"))


def _indicators(cycle: Cycle, data: Definition, unit_id: dict) -> dict[str, int]:
    """The categories and the indicators (rules approved); indicator code → id."""
    Category.objects.bulk_create(
        [Category(cycle=cycle, name=name, order=n) for n, name in enumerate(data.categories, 1)]
    )
    category_id = dict(Category.objects.filter(cycle=cycle).values_list("name", "id"))
    Indicator.objects.bulk_create(
        [
            Indicator(
                cycle=cycle,
                code=code,
                name=name,
                category_id=category_id[category],
                weight=weight,
                unit_id=unit_id[unit],
                direction=direction,
                rules_status=Indicator.RulesStatus.APPROVED,
                order=n,
            )
            for n, (code, (name, category, weight, unit, direction)) in enumerate(
                data.indicators.items(), 1
            )
        ],
        batch_size=BATCH,
    )
    return dict(Indicator.objects.filter(cycle=cycle).values_list("code", "id"))


def _items(cycle: Cycle, data: Definition, indicator_id: dict) -> dict[str, int]:
    """The rule items; item code → id."""
    RuleItem.objects.bulk_create(
        [
            RuleItem(
                cycle=cycle,
                indicator_id=indicator_id[indicator],
                code=code,
                name=name,
                share=share,
                method=method,
                params=params,
                order=n,
            )
            for n, (code, (indicator, name, share, method, params)) in enumerate(
                data.items.items(), 1
            )
        ],
        batch_size=BATCH,
    )
    return dict(RuleItem.objects.filter(cycle=cycle).values_list("code", "id"))


# The data sheets are the bulk of a national workbook (millions of rows): written as plain
# rows with COPY on PostgreSQL (assessment.bulk), without a model instance per row.


def _annual(cycle: Cycle, rows: list, county_id: dict, item_id: dict) -> None:
    now = timezone.now()
    insert_rows(
        AnnualInput,
        ["cycle_id", "county_id", "item_id", "actual", "target", "updated_at"],
        (
            (cycle.id, county_id[c], item_id[i], actual, target, now)
            for c, i, actual, target in rows
        ),
    )


def _progress(
    cycle: Cycle, rows: list, round_id: dict, county_id: dict, indicator_id: dict
) -> None:
    now = timezone.now()
    insert_rows(
        Progress,
        ["cycle_id", "round_id", "county_id", "indicator_id", "value", "updated_at"],
        (
            (cycle.id, round_id[r], county_id[c], indicator_id[i], value, now)
            for r, c, i, value in rows
        ),
    )


def _county_entries(cycle: Cycle, data: Definition, county_id: dict, indicator_id: dict) -> None:
    """Exemptions, adjustments and vetoes."""
    Exemption.objects.bulk_create(
        [
            Exemption(cycle=cycle, county_id=county_id[c], indicator_id=indicator_id[i], reason=r)
            for c, i, r in data.exemptions
        ],
        batch_size=BATCH,
    )
    Adjustment.objects.bulk_create(
        [
            Adjustment(cycle=cycle, county_id=county_id[c], points=points, reason=reason)
            for c, points, reason in data.adjustments
        ],
        batch_size=BATCH,
    )
    Veto.objects.bulk_create(
        [Veto(cycle=cycle, county_id=county_id[c], reason=reason) for c, reason in data.vetoes],
        batch_size=BATCH,
    )
