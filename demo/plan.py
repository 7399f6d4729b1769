"""The plan of the demo city: its data, read from ``demo/data/city.toml``, and the story's knobs.

Pure: reads the data file once and touches no database. ``check_plan`` says loudly when the
data breaks a rule of spec/scoring.md, before anything is written.
"""

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from indicators.params import parse_params

DATA = Path(__file__).resolve().parent / "data" / "city.toml"

PAST_YEARS = (2023, 2024, 2025)
CURRENT_YEAR = 2026
YEARS = (*PAST_YEARS, CURRENT_YEAR)
# Next year's draft, copied from the current year (demo.governance).
DRAFT_YEAR = 2027
SEED = 20230101
DEFAULT_PASSWORD = "demo1234"
BONUS_CAP = Decimal("3")
LEAD_USERNAME = "lead"
H, L = "higher", "lower"

ROUND_NAMES = {"annual": "年度考核", "april": "4月预考核", "august": "8月预考核"}

# Progress not entered in the current year: 市信访局 has not reported in August yet, and
# two figures were missing when April closed.
MISSING_APRIL = (("113", "S03"), ("106", "M05"))
LATE_UNIT_AUGUST = "XFJ"
AUGUST_GAP_RATE = 0.06
# Where each unit's August entry stands in the current year (the units missing here have
# not started; an indicator with a county still empty is a draft whatever its unit).
AUGUST_ENTRY = {
    "FGW": "approved", "TJJ": "approved", "CZJ": "submitted", "GXJ": "approved",
    "KJJ": "returned", "STHJ": "submitted", "JYJ": "approved", "WJW": "draft",
    "RSJ": "approved", "YJJ": "submitted", "ZZB": "approved",
}  # fmt: skip
RETURN_COMMENT = "部分县区进度与统计快报口径不一致，请核实后重新提交。"
# Progress points per unit of performance around the expected progress of a round.
PROGRESS_SPREAD = 6.0
# With about 40 indicators nearly every county is in some bottom three; the demo city flags
# for diagnosis only the counties warned on many indicators.
DIAGNOSIS_THRESHOLD = 8


@dataclass(frozen=True)
class CountyPlan:
    code: str
    name: str
    strength: float  # latent performance, about -1 … 1
    drift: float  # change of the strength per year
    size: float  # economic size: scales the targets of volume indicators


@dataclass(frozen=True)
class Values:
    """How a county's actual (and target) on an item are invented from its performance.

    ``level`` items: actual = center ± spread × performance, the same ``target`` for all.
    ``scaled`` items (volumes): target = center × county size × (1 + growth) ^ years, and
    actual = target × (1 ± spread × performance). The sign follows what is better.
    """

    center: float
    spread: float
    target: float | None = None
    scaled: bool = False
    growth: float = 0.0
    places: int = 1
    low: float = 0.0
    high: float | None = None


def level(center, spread, target=None, *, places=1, low=0.0, high=None) -> Values:
    return Values(center, spread, target, places=places, low=low, high=high)


def percent(center, spread, target=None, *, places=1) -> Values:
    return Values(center, spread, target, places=places, high=100.0)


def scaled(center, spread, *, growth=0.05, places=2) -> Values:
    return Values(center, spread, scaled=True, growth=growth, places=places)


def count(center, spread, *, low=0.0) -> Values:
    return Values(center, spread, places=0, low=low)


# The kinds of ``values`` the data file may name.
KINDS = {"level": level, "percent": percent, "scaled": scaled, "count": count}


@dataclass(frozen=True)
class ItemPlan:
    name: str
    method: str
    params: str
    values: Values
    content: str
    share: int = 100


@dataclass(frozen=True)
class IndicatorPlan:
    code: str
    name: str
    unit: str
    weight: str
    direction: str
    items: tuple[ItemPlan, ...]


@dataclass(frozen=True)
class ObjectionPlan:
    county: str
    indicator: str
    item: str
    reasons: str
    answer: str
    upheld: bool
    decision: str
    correction: str | None = None  # added to the actual figure when upheld


@dataclass(frozen=True)
class CityPlan:
    """Everything ``city.toml`` says, as plain values keyed by codes."""

    city: str
    counties: tuple[CountyPlan, ...]
    units: tuple[tuple[str, str], ...]  # (code, name)
    categories: tuple[tuple[str, tuple[IndicatorPlan, ...]], ...]
    exemptions: tuple[tuple[str, str, str], ...]  # (county, indicator, reason)
    adjustments: dict[int, tuple[tuple[str, str, str], ...]]  # year → (county, points, reason)
    vetoes: dict[int, tuple[tuple[str, str], ...]]  # year → (county, reason)
    override: tuple[str, str, str]  # (county, grade, reason)
    objections: tuple[ObjectionPlan, ...]


def _values(raw: dict) -> Values:
    args = dict(raw)
    return KINDS[args.pop("kind")](**args)


def _indicator(raw: dict) -> IndicatorPlan:
    items = tuple(ItemPlan(**{**item, "values": _values(item["values"])}) for item in raw["items"])
    return IndicatorPlan(**{**raw, "items": items})


def _by_year(rows: list[dict], *fields: str) -> dict[int, tuple]:
    years: dict[int, list] = {}
    for row in rows:
        years.setdefault(row["year"], []).append(tuple(row[f] for f in fields))
    return {year: tuple(rows) for year, rows in years.items()}


def load_plan(path: Path) -> CityPlan:
    """A city's data file read as plans (no check: see :func:`check_plan`)."""
    with path.open("rb") as file:
        raw = tomllib.load(file)
    override = raw["override"]
    return CityPlan(
        city=raw["city"],
        counties=tuple(CountyPlan(**c) for c in raw["counties"]),
        units=tuple((u["code"], u["name"]) for u in raw["units"]),
        categories=tuple(
            (c["name"], tuple(_indicator(i) for i in c["indicators"])) for c in raw["categories"]
        ),
        exemptions=tuple((e["county"], e["indicator"], e["reason"]) for e in raw["exemptions"]),
        adjustments=_by_year(raw["adjustments"], "county", "points", "reason"),
        vetoes=_by_year(raw["vetoes"], "county", "reason"),
        override=(override["county"], override["grade"], override["reason"]),
        objections=tuple(ObjectionPlan(**o) for o in raw["objections"]),
    )


@cache
def city_plan() -> CityPlan:
    """The demo city's data file read once, as plans (the same object on every call)."""
    return load_plan(DATA)


def indicator_plans(city: CityPlan | None = None) -> list[tuple[str, IndicatorPlan]]:
    """Every indicator with the name of its category, in the order of the system."""
    city = city or city_plan()
    return [(category, plan) for category, plans in city.categories for plan in plans]


def check_plan(city: CityPlan | None = None) -> None:
    """Fail loudly if the data (the demo city's by default) breaks a rule of spec/scoring.md
    or names an unknown unit or county: a mistake in the data file, said before anything is
    written."""
    city = city or city_plan()
    units = {code for code, _name in city.units}
    counties = {c.code for c in city.counties}
    total = sum(Decimal(plan.weight) for _category, plan in indicator_plans(city))
    if total != 100:
        raise ValueError(f"the demo weights sum to {total}, not 100")
    named = [code for code, *_rest in city.exemptions]
    named += [
        row[0] for rows in (*city.adjustments.values(), *city.vetoes.values()) for row in rows
    ]
    named += [city.override[0], *(o.county for o in city.objections)]
    if unknown := sorted(set(named) - counties):
        raise ValueError(f"unknown counties: {', '.join(unknown)}")
    for _category, plan in indicator_plans(city):
        if plan.unit not in units:
            raise ValueError(f"{plan.code}: unknown unit {plan.unit}")
        if sum(item.share for item in plan.items) != 100:
            raise ValueError(f"{plan.code}: the item shares do not sum to 100")
        for item in plan.items:
            parse_params(item.method, item.params, plan.direction)
