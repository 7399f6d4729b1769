"""Synthetic cycles at the benchmark sizes, as rows by code.

One :class:`Synthetic` describes a whole cycle deterministically (a seeded generator per
sheet), so that the same data can be written straight into the database with ``COPY``
(:func:`seed`) and as an import workbook (:func:`write_workbook`). About 1.5 rule items per
indicator, every scoring method present in both directions, progress for April and August
with a few counties not reporting, exemptions, adjustments and vetoes.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.db import transaction
from django.utils import timezone

from assessment.bulk import insert_rows
from assessment.models import Adjustment, County, Cycle, Round, Unit, Veto
from indicators.models import Category, Indicator, RuleItem
from scoring.entry.delivery import deliver
from scoring.models import AnnualInput, Delivery, Exemption, Progress
from scoring.workbook.layout import (
    ADJUSTMENTS,
    ANNUAL,
    COUNTIES,
    DIRECTION_NAMES,
    EXEMPTIONS,
    INDICATORS,
    METHOD_NAMES,
    PRE_ROUND_NAMES,
    PROGRESS,
    ROUND_NAMES,
    RULE_ITEMS,
    SETTINGS,
    SHEET_DATA_ROWS,
    UNITS,
    VETOES,
    SheetSpec,
    continuation_names,
)


@dataclass(frozen=True)
class Size:
    name: str
    counties: int
    indicators: int


SIZES = {
    "S": Size("S", 20, 100),
    "M": Size("M", 200, 300),
    "L": Size("L", 3000, 300),
}
TOTAL_POINTS = 1000
UNITS_COUNT = 40
CATEGORIES = ("经济发展", "创新驱动", "民生保障", "生态环境", "党的建设", "社会治理")
METHODS = ("manual", "ratio", "relative", "linear", "rank", "deduction", "tiers", "binary")
TIERS = {
    "higher": "tiers=90:100,75:85,60:70,0:50",
    "lower": "tiers=10:100,25:85,40:70,100:50",
}
PARAMS = {
    "manual": "",
    "ratio": "cap=120;floor=40",
    "relative": "floor=50",
    "linear": "base=80;per=2;cap=120",
    "rank": "step=0.5;floor=40",
    "deduction": "per=5",
    "binary": "",
}
HUNDREDTH = Decimal("0.01")


def _cents(value: float) -> Decimal:
    return Decimal(round(value * 100)) * HUNDREDTH


class Synthetic:
    """A cycle of ``size`` for ``year``: every sheet as rows of codes and Decimals."""

    def __init__(self, size: Size, year: int):
        self.size = size
        self.year = year
        self.county_codes = [f"B{n:04d}" for n in range(1, size.counties + 1)]
        self.unit_codes = [f"BU{n:02d}" for n in range(1, UNITS_COUNT + 1)]
        n_ind = size.indicators
        base, extra = divmod(TOTAL_POINTS, n_ind)
        self.indicators = []  # (code, name, category, weight, unit, direction)
        self.items = []  # (indicator code, code, name, share, method, params)
        for n in range(n_ind):
            code = f"I{n + 1:03d}"
            direction = "lower" if n % 5 == 4 else "higher"
            weight = Decimal(base + (1 if n < extra else 0))
            unit = self.unit_codes[n % UNITS_COUNT]
            category = CATEGORIES[n % len(CATEGORIES)]
            self.indicators.append((code, f"指标{n + 1}", category, weight, unit, direction))
            shares = (Decimal(100),) if n % 2 else (Decimal(60), Decimal(40))
            for k, share in enumerate(shares):
                method = METHODS[(n + 3 * k) % len(METHODS)]
                params = TIERS[direction] if method == "tiers" else PARAMS[method]
                self.items.append(
                    (code, f"{code}-{k + 1}", f"细则{n + 1}.{k + 1}", share, method, params)
                )
        self._direction = {ind[0]: ind[5] for ind in self.indicators}

    # -- definitions

    def settings(self) -> list[tuple[str, object]]:
        return [("年度", self.year), ("总分", TOTAL_POINTS), ("优秀比例", Decimal("0.3"))]

    def counties(self) -> Iterator[tuple[str, str]]:
        return ((code, f"县区{code[1:]}") for code in self.county_codes)

    def units(self) -> Iterator[tuple[str, str]]:
        return ((code, f"责任单位{code[2:]}") for code in self.unit_codes)

    # -- data

    def annual(self) -> Iterator[tuple[str, str, Decimal, Decimal | None]]:
        """(county, item, actual, target) for every county and item."""
        rng = random.Random(f"annual-{self.size.name}")
        for indicator, item, _name, _share, method, _params in self.items:
            higher = self._direction[indicator] == "higher"
            for county in self.county_codes:
                yield (county, item, *self._input(rng, method, higher))

    @staticmethod
    def _input(rng: random.Random, method: str, higher: bool) -> tuple:
        if method == "manual":
            return _cents(rng.uniform(50, 100)), None
        if method == "ratio":
            target = _cents(rng.uniform(50, 500))
            return _cents(float(target) * rng.uniform(0.6, 1.3)), target
        if method == "linear":
            return _cents(rng.uniform(0, 12)), _cents(rng.uniform(4, 8))
        if method == "deduction":
            return Decimal(rng.randint(0, 12)), None
        if method == "tiers":
            return _cents(rng.uniform(0, 100)), None
        if method == "binary":
            return _cents(rng.uniform(0, 100)), Decimal(60 if higher else 40)
        return _cents(rng.uniform(0, 1000)), None  # relative, rank

    def progress(self) -> Iterator[tuple[str, str, str, Decimal]]:
        """(round, county, indicator, progress); about 2 % of counties do not report."""
        rng = random.Random(f"progress-{self.size.name}")
        for round_code, centre in (("april", 36.0), ("august", 70.0)):
            for indicator in self.indicators:
                for county in self.county_codes:
                    if rng.random() < 0.02:
                        continue
                    yield round_code, county, indicator[0], _cents(max(0, rng.gauss(centre, 10)))

    def exemptions(self) -> Iterator[tuple[str, str, str]]:
        for c, county in enumerate(self.county_codes):
            for i, indicator in enumerate(self.indicators):
                if (c * 7 + i * 3) % 101 == 0:
                    yield county, indicator[0], "不适用"

    def adjustments(self) -> Iterator[tuple[str, Decimal, str]]:
        for c, county in enumerate(self.county_codes):
            if c % 4 == 0:
                yield county, Decimal((c % 7) - 3) / 2, "专项考核"

    def vetoes(self) -> Iterator[tuple[str, str]]:
        return ((county, "一票否决") for c, county in enumerate(self.county_codes) if c % 97 == 5)


# --- straight into the database ------------------------------------------------------------


def _ensure(model, rows) -> dict[str, int]:
    """Counties or units by code (created when missing, as the importer would); code → id."""
    rows = dict(rows)
    existing = dict(model.objects.filter(code__in=list(rows)).values_list("code", "id"))
    model.objects.bulk_create(
        [model(code=c, name=n) for c, n in rows.items() if c not in existing], batch_size=5000
    )
    return dict(model.objects.filter(code__in=list(rows)).values_list("code", "id"))


@transaction.atomic
def seed(data: Synthetic) -> Cycle:
    """Write ``data`` as an active cycle straight into the database with bulk inserts."""
    now = timezone.now()
    cycle = Cycle.objects.create(
        year=data.year, status=Cycle.Status.ACTIVE, total_points=Decimal(TOTAL_POINTS)
    )
    county_id = _ensure(County, data.counties())
    unit_id = _ensure(Unit, data.units())
    through = Cycle.counties.through
    insert_rows(through, ["cycle_id", "county_id"], ((cycle.id, c) for c in county_id.values()))
    Round.objects.bulk_create(
        [Round(cycle=cycle, code=Round.ANNUAL_CODE, name="年度考核", kind=Round.Kind.ANNUAL)]
        + [
            Round(cycle=cycle, code=code, name=name, kind=Round.Kind.PRE)
            for code, name in PRE_ROUND_NAMES.items()
        ]
    )
    round_id = dict(Round.objects.filter(cycle=cycle).values_list("code", "id"))
    Category.objects.bulk_create(
        [Category(cycle=cycle, name=name, order=n) for n, name in enumerate(CATEGORIES)]
    )
    category_id = dict(Category.objects.filter(cycle=cycle).values_list("name", "id"))
    approved = Indicator.RulesStatus.APPROVED
    Indicator.objects.bulk_create(
        Indicator(
            cycle=cycle, code=code, name=name, category_id=category_id[category], weight=weight,
            unit_id=unit_id[unit], direction=direction, rules_status=approved, order=n,
        )
        for n, (code, name, category, weight, unit, direction) in enumerate(data.indicators, 1)
    )  # fmt: skip
    indicator_id = dict(Indicator.objects.filter(cycle=cycle).values_list("code", "id"))
    RuleItem.objects.bulk_create(
        RuleItem(
            cycle=cycle, indicator_id=indicator_id[ind], code=code, name=name, share=share,
            method=method, params=params, order=n,
        )
        for n, (ind, code, name, share, method, params) in enumerate(data.items, 1)
    )  # fmt: skip
    item_id = dict(RuleItem.objects.filter(cycle=cycle).values_list("code", "id"))
    insert_rows(
        AnnualInput,
        ["cycle_id", "county_id", "item_id", "actual", "target", "updated_at"],
        ((cycle.id, county_id[c], item_id[i], a, t, now) for c, i, a, t in data.annual()),
    )
    insert_rows(
        Progress,
        ["cycle_id", "round_id", "county_id", "indicator_id", "value", "updated_at"],
        (
            (cycle.id, round_id[r], county_id[c], indicator_id[i], v, now)
            for r, c, i, v in data.progress()
        ),
    )
    # Delivered as the import delivers: every indicator in each round with data.
    for code in ("annual", "april", "august"):
        deliver(
            round=Round(pk=round_id[code], cycle=cycle),
            indicator_ids=list(indicator_id.values()),
            source=Delivery.Source.IMPORT,
        )
    # The small tables through the ORM, so that their other fields keep their defaults.
    Exemption.objects.bulk_create(
        Exemption(cycle=cycle, county_id=county_id[c], indicator_id=indicator_id[i], reason=r)
        for c, i, r in data.exemptions()
    )
    Adjustment.objects.bulk_create(
        Adjustment(cycle=cycle, county_id=county_id[c], points=p, reason=r)
        for c, p, r in data.adjustments()
    )
    Veto.objects.bulk_create(
        Veto(cycle=cycle, county_id=county_id[c], reason=r) for c, r in data.vetoes()
    )
    return cycle


# --- as an import workbook -------------------------------------------------------------------


def write_workbook(data: Synthetic, path, *, sheet_rows: int | None = None) -> None:
    """Write ``data`` as the import workbook of spec/workbook.md at ``path``.

    Data sheets longer than ``sheet_rows`` (a sheet's limit by default) continue on
    numbered sheets (年度数据2, …), as the spec says.
    """
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:

        def sheet(spec: SheetSpec, rows) -> None:
            headers = [column.zh for column in spec.columns]
            names = continuation_names(spec.zh)
            ws, row_number = None, 0
            limit = sheet_rows or SHEET_DATA_ROWS
            for row in rows:
                if ws is None or row_number > limit:
                    ws = book.add_worksheet(next(names))
                    ws.write_row(0, 0, headers)
                    row_number = 1
                ws.write_row(row_number, 0, [_cell(v) for v in row])
                row_number += 1
            if ws is None:
                book.add_worksheet(spec.zh).write_row(0, 0, headers)

        sheet(SETTINGS, data.settings())
        sheet(COUNTIES, data.counties())
        sheet(UNITS, data.units())
        sheet(
            INDICATORS,
            ((c, n, cat, w, u, DIRECTION_NAMES[d]) for c, n, cat, w, u, d in data.indicators),
        )
        sheet(
            RULE_ITEMS,
            ((i, c, n, s, METHOD_NAMES[m], p) for i, c, n, s, m, p in data.items),
        )
        sheet(ANNUAL, data.annual())
        sheet(PROGRESS, ((ROUND_NAMES[r], c, i, v) for r, c, i, v in data.progress()))
        sheet(EXEMPTIONS, data.exemptions())
        sheet(ADJUSTMENTS, data.adjustments())
        sheet(VETOES, data.vetoes())


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
