"""How a county's figures came about, in words: the engine's own explanation, formatted.

:func:`scoring.results.engine.explain_county` records the steps while the scoring functions
run; this module turns each step code into a sentence in the user's language with its figures filled
in, and names the counties, indicators and items.

Explaining one county means computing the whole year again (a rank or a benchmark depends on
every county): seconds at 200 counties × 300 indicators. So the explanation is prepared once
per state of the year's data (:func:`data_stamp`) and kept in the cache with its indicators
already written as HTML: after a computation or a publication the worker prepares every
county's (:func:`explain_ahead`); a page finds it there, or prepares it once itself.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessment.models import Adjustment, County, Cycle, Veto
from indicators.models import Indicator, RuleItem
from scoring.models import AnnualInput, CountyResult, Exemption
from scoring.results.engine import (
    CountyExplanation,
    IncompleteInputs,
    compute_cycle,
    explain_county,
)
from scoring.results.services import ResultsRefused, cycle_settings, load_cycle
from scoring.values import plain

# Bump when the explanation or its HTML changes, so that kept explanations are prepared again.
VERSION = 1
TIMEOUT = 30 * 24 * 3600

PLACES = Decimal("0.0001")

# The formula of each step (spec/scoring.md), with its figures as %(name)s.
FORMULAS = {
    "manual": _("direct score: score = actual = %(a)s"),
    "ratio_higher": _("completion ratio: 100 × actual ÷ target = 100 × %(a)s ÷ %(t)s = %(raw)s"),
    "ratio_lower": _(
        "completion ratio (lower is better): 100 × target ÷ actual = 100 × %(t)s ÷ %(a)s = %(raw)s"
    ),
    "ratio_lower_zero": _(
        "completion ratio (lower is better): an actual of 0 earns the cap %(cap)s"
    ),
    "linear_higher": _(
        "increase/decrease: base + per × (actual − target) = %(base)s + %(per)s × (%(a)s − %(t)s)"
        " = %(raw)s"
    ),
    "linear_lower": _(
        "increase/decrease (lower is better): base + per × (target − actual) = "
        "%(base)s + %(per)s × (%(t)s − %(a)s) = %(raw)s"
    ),
    "deduction": _("deduction: 100 − per × count = 100 − %(per)s × %(a)s = %(raw)s"),
    "tier_higher": _(
        "tiers: actual %(a)s ≥ %(threshold)s, the first tier reached, scores %(score)s"
    ),
    "tier_lower": _(
        "tiers: actual %(a)s ≤ %(threshold)s, the first tier reached, scores %(score)s"
    ),
    "tier_none": _("tiers: actual %(a)s reaches no tier, scores 0"),
    "binary_higher_pass": _("pass/fail: actual %(a)s ≥ target %(t)s, scores 100"),
    "binary_higher_fail": _("pass/fail: actual %(a)s < target %(t)s, scores 0"),
    "binary_lower_pass": _("pass/fail: actual %(a)s ≤ target %(t)s, scores 100"),
    "binary_lower_fail": _("pass/fail: actual %(a)s > target %(t)s, scores 0"),
    "relative_higher": _("benchmark: 100 × actual ÷ best = 100 × %(a)s ÷ %(best)s = %(raw)s"),
    "relative_lower": _(
        "benchmark (lower is better): 100 × best ÷ actual = 100 × %(best)s ÷ %(a)s = %(raw)s"
    ),
    "relative_lower_zero": _("benchmark (lower is better): an actual of 0 scores 100"),
    "relative_all_zero": _("benchmark: the best actual is 0, so every county scores 100"),
    "rank_higher": _(
        "ranking: actual %(a)s is place %(rank)s of %(n)s (highest first); "
        "100 − step × (place − 1) = 100 − %(step)s × %(before)s = %(raw)s"
    ),
    "rank_lower": _(
        "ranking: actual %(a)s is place %(rank)s of %(n)s (lowest first); "
        "100 − step × (place − 1) = 100 − %(step)s × %(before)s = %(raw)s"
    ),
    "cap": _("capped: %(value)s is above the cap, so %(cap)s"),
    "floor": _("floor: %(value)s is below the floor, so %(floor)s"),
    "quota": _("excellence quota: floor(ratio × counties) = floor(%(ratio)s × %(n)s) = %(quota)s"),
    "group_taken": _(
        "total %(total)s: %(counties)s — fits the quota, excellent; %(left)s places left"
    ),
    "group_stops": _(
        "total %(total)s: %(counties)s — %(size)s counties do not fit the %(left)s places left; "
        "the walk stops here"
    ),
}


OTHERS = _("%(n)s other counties")


def number(value) -> str:
    """A figure as shown in an explanation: exact when short, else ≈ four decimals."""
    if not isinstance(value, Decimal):
        return str(value)
    rounded = value.quantize(PLACES, rounding=ROUND_HALF_UP)
    return plain(rounded) if rounded == value else f"≈{plain(rounded)}"


def sentence(code: str, figures: dict, names: dict[str, str] | None = None) -> str:
    filled = {k: number(v) for k, v in figures.items() if k != "counties"}
    if "total" in figures:
        filled["total"] = str(figures["total"])  # a total is shown as the pages show it
    if code.startswith("rank_"):
        filled["before"] = number(figures["rank"] - 1)
    if "counties" in figures:
        named = [names[c] for c in figures["counties"] if c in (names or {})]
        others = len(figures["counties"]) - len(named)
        if others:
            named.append(str(OTHERS) % {"n": others})
        filled["counties"] = "、".join(named)
        filled["size"] = len(figures["counties"])
    return str(FORMULAS[code]) % filled


@dataclass
class Explanation:
    cycle: Cycle
    county: County
    engine: CountyExplanation
    indicators: dict  # code → Indicator
    items: dict  # code → RuleItem
    names: dict  # county code → name
    stored_total: Decimal

    @property
    def indicator_points(self) -> str:
        return number(self.engine.indicator_points)

    @property
    def stale(self) -> bool:
        """The inputs changed since the stored results were computed."""
        return self.engine.total != self.stored_total


class CannotExplain(Exception):
    """The inputs no longer allow a computation (changed since the results were stored)."""


@dataclass
class _Run:
    """The year computed once, from which each county's explanation is drawn."""

    data: object  # scoring.results.services.CycleData
    arguments: dict
    result: object  # scoring.results.engine.CycleResult


def _run(cycle: Cycle) -> _Run:
    try:
        data = load_cycle(cycle)
    except ResultsRefused as exc:
        raise CannotExplain(str(exc)) from exc
    arguments = {
        "counties": [c.code for c in data.counties.values()],
        "indicators": data.specs,
        "inputs": data.inputs,
        "exempt": data.exempt,
        "adjustments": data.adjustments,
        "vetoed": data.vetoed,
        "settings": data.settings,
    }
    try:
        result = compute_cycle(**arguments)
    except IncompleteInputs as exc:
        raise CannotExplain(str(exc)) from exc
    return _Run(data=data, arguments=arguments, result=result)


def _explanation(run: _Run, cycle: Cycle, county: County, stored_total: Decimal) -> Explanation:
    data = run.data
    return Explanation(
        cycle=cycle,
        county=county,
        engine=explain_county(county=county.code, result=run.result, **run.arguments),
        indicators={i.code: i for i in data.indicators.values()},
        items={i.code: i for i in data.items.values()},
        names={c.code: c.name for c in data.counties.values()},
        stored_total=stored_total,
    )


def explain(*, cycle: Cycle, county: County, stored_total: Decimal) -> Explanation:
    """The explanation of ``county``'s results in ``cycle``. Reads the whole cycle."""
    return _explanation(_run(cycle), cycle, county, stored_total)


@dataclass
class ItemLine:
    code: str
    name: str
    method: str
    share: str
    actual: str
    target: str
    steps: list[str]
    score: str
    contribution: str


@dataclass
class IndicatorBlock:
    code: str
    name: str
    weight: str
    exempt: bool
    items: list[ItemLine]
    percent: str
    points: str  # exact (≈ four decimals)
    rounded: Decimal  # the figure the pages show
    earned: str = ""
    possible: str = ""


def blocks(explanation: Explanation) -> list[IndicatorBlock]:
    """The indicators of ``explanation`` with every figure written out, in page order."""
    out = []
    for ind in explanation.engine.indicators:
        indicator = explanation.indicators[ind.code]
        items = [
            ItemLine(
                code=item.code,
                name=explanation.items[item.code].name,
                method=explanation.items[item.code].get_method_display(),
                share=number(item.share),
                actual="—" if item.actual is None else number(item.actual),
                target="—" if item.target is None else number(item.target),
                steps=[sentence(code, figures) for code, figures in item.steps],
                score=number(item.score),
                contribution=number(item.contribution),
            )
            for item in ind.items
        ]
        out.append(
            IndicatorBlock(
                code=ind.code,
                name=indicator.name,
                weight=number(ind.weight),
                exempt=ind.exempt,
                items=items,
                percent="" if ind.percent is None else number(ind.percent),
                points=number(ind.points),
                rounded=ind.rounded,
                earned="" if ind.earned is None else number(ind.earned),
                possible="" if ind.possible is None else number(ind.possible),
            )
        )
    return out


def walk_sentences(explanation: Explanation, *, name_others: bool) -> list[str]:
    """The quota walk in words; other counties are named only when ``name_others`` (the lead
    department), else counted: a county learns where the line fell, not who is above it."""
    names = explanation.names
    if not name_others:
        own = explanation.county.code
        names = {own: names[own]}
    return [sentence(code, figures, names) for code, figures in explanation.engine.walk]


# --- prepared once per state of the data -----------------------------------------------------


def data_stamp(cycle: Cycle) -> str:
    """A digest of everything the engine reads for ``cycle``: its settings and latest
    computation, its counties, indicators, rule items, exemptions, adjustments and vetoes as
    they are, and the annual inputs by count, latest change and sums of their values (7
    queries, no row of input sent: about 40 ms at 200 counties × 300 indicators on
    PostgreSQL, most of it summing the inputs)."""
    inputs = AnnualInput.objects.filter(cycle=cycle).aggregate(
        rows=Count("id"),
        ids=Sum("id"),
        changed=Max("updated_at"),
        actuals=Sum("actual"),
        targets=Sum("target"),
    )
    material = [
        VERSION,
        cycle.pk,
        cycle.results_computed_at,
        cycle_settings(cycle),
        inputs,
        list(cycle.counties.order_by("id").values_list("id", "code", "name")),
        list(
            Indicator.objects.filter(cycle=cycle)
            .order_by("id")
            .values_list("id", "code", "name", "weight", "direction", "order")
        ),
        list(
            RuleItem.objects.filter(cycle=cycle)
            .order_by("id")
            .values_list("id", "indicator_id", "code", "name", "share", "method", "params", "order")
        ),
        list(
            Exemption.objects.filter(cycle=cycle)
            .order_by("id")
            .values_list("id", "county_id", "indicator_id")
        ),
        list(
            Adjustment.objects.filter(cycle=cycle)
            .order_by("id")
            .values_list("id", "county_id", "points")
        ),
        list(Veto.objects.filter(cycle=cycle).order_by("id").values_list("id", "county_id")),
    ]
    encoded = json.dumps(material, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass
class Prepared:
    """A county's explanation as the cache keeps it: the engine's figures without the
    indicators, which are kept as HTML (``blocks_html``) and as the points each shows."""

    engine: CountyExplanation | None  # None: the inputs cannot be explained (CannotExplain)
    names: dict
    blocks_html: str
    shown: dict  # indicator code → the points shown (rounded)
    reason: str = ""


def _key(stamp: str, county: County, language: str) -> str:
    return f"explain:{stamp}:{county.pk}:{language}"


def _prepare(explanation: Explanation) -> Prepared:
    written = blocks(explanation)
    return Prepared(
        engine=replace(explanation.engine, indicators=[]),
        names=explanation.names,
        blocks_html=render_to_string("reports/partials/explain_blocks.html", {"blocks": written}),
        shown={b.code: b.rounded for b in written},
    )


def prepared_explanation(
    *, cycle: Cycle, county: County, stored_total: Decimal
) -> tuple[Explanation, Prepared]:
    """``county``'s explanation in the current language, from the cache or prepared now and
    kept there: the explanation (without its indicators) and what was prepared. Raises
    :class:`CannotExplain` as :func:`explain` does.

    Side effects: a cache entry when it was missing.
    """
    key = _key(data_stamp(cycle), county, translation.get_language())
    prepared = cache.get(key)
    if prepared is None:
        try:
            prepared = _prepare(explain(cycle=cycle, county=county, stored_total=stored_total))
        except CannotExplain as exc:
            prepared = Prepared(engine=None, names={}, blocks_html="", shown={}, reason=str(exc))
        cache.set(key, prepared, TIMEOUT)
    if prepared.engine is None:
        raise CannotExplain(prepared.reason)
    explanation = Explanation(
        cycle=cycle,
        county=county,
        engine=prepared.engine,
        indicators={},
        items={},
        names=prepared.names,
        stored_total=stored_total,
    )
    return explanation, prepared


def explain_ahead(*, cycle: Cycle, languages: list[str] | None = None) -> int:
    """Prepare the explanation of every county of ``cycle`` with results, in ``languages``
    (default: the site's language), computing the year once. Returns how many were prepared
    (those already kept are skipped).

    Side effects: cache entries.
    """
    stamp = data_stamp(cycle)
    languages = languages or [settings.LANGUAGE_CODE]
    results = list(
        CountyResult.objects.filter(cycle=cycle).select_related("county").order_by("county__code")
    )
    missing = [
        (r, language)
        for r in results
        for language in languages
        if not cache.has_key(_key(stamp, r.county, language))
    ]
    if not missing:
        return 0
    try:
        run = _run(cycle)
    except CannotExplain:
        return 0  # a page says so when it is opened
    for result, language in missing:
        with translation.override(language):
            explanation = _explanation(run, cycle, result.county, result.total)
            cache.set(_key(stamp, result.county, language), _prepare(explanation), TIMEOUT)
    return len(missing)
