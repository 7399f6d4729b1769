"""Computing and storing the annual results of a cycle.

Loads the whole cycle with one query per table, hands plain values to the engine and writes
what it returns in bulk. The management command ``compute_results``, the Celery task and the
web button all call :func:`compute_results`.
"""

import copy
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.audit import record_change, record_event
from assessment.bulk import insert_rows
from assessment.models import Adjustment, County, Cycle, Round, Veto
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable
from indicators.models import Indicator, RuleItem
from indicators.params import ParamError, Params, parse_params
from scoring.models import (
    AnnualInput,
    CountyResult,
    Exemption,
    Grade,
    IndicatorResult,
    IndicatorStat,
    ItemScore,
    ResultsRefusal,
)
from scoring.results.engine import (
    CycleResult,
    CycleSettings,
    IncompleteInputs,
    IndicatorSpec,
    InputProblem,
    ItemSpec,
    compute_cycle,
    round2,
)
from scoring.signals import results_computed

BATCH = 5000

PROBLEM_LABELS = {
    "missing_actual": gettext_lazy("actual value missing"),
    "missing_target": gettext_lazy("target missing"),
    "negative_actual": gettext_lazy("actual value is negative"),
    "negative_target": gettext_lazy("target is negative"),
    "manual_range": gettext_lazy("direct score outside [0, 100]"),
    "target_not_positive": gettext_lazy("target must be greater than 0"),
}
RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class MissingInput:
    """One (county, item) that blocks the computation, with what a person needs to fix it."""

    county_code: str
    county_name: str
    indicator_code: str
    indicator_name: str
    item_code: str
    item_name: str
    unit_code: str
    unit_name: str
    problem: str  # a code of indicators.methods.input_problems

    @property
    def problem_label(self) -> str:
        return str(PROBLEM_LABELS.get(self.problem, self.problem))

    def __str__(self) -> str:
        return _(
            "county %(county)s %(county_name)s, indicator %(indicator)s %(indicator_name)s, "
            "item %(item)s %(item_name)s, unit %(unit)s %(unit_name)s: %(problem)s"
        ) % {
            "county": self.county_code,
            "county_name": self.county_name,
            "indicator": self.indicator_code,
            "indicator_name": self.indicator_name,
            "item": self.item_code,
            "item_name": self.item_name,
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "problem": self.problem_label,
        }


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
    pass :func:`parse_params` for its indicator's direction.
    """
    counties = {c.id: c for c in cycle.counties.all()}
    indicators = {
        i.id: i
        for i in Indicator.objects.filter(cycle=cycle)
        .select_related("unit")
        .order_by("order", "code")
    }
    items = {i.id: i for i in RuleItem.objects.filter(cycle=cycle).order_by("order", "code")}
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
    specs = [
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
    county_code = {cid: c.code for cid, c in counties.items()}
    item_code = {iid: i.code for iid, i in items.items()}
    indicator_code = {iid: i.code for iid, i in indicators.items()}
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


def _describe(data: CycleData, problems: list[InputProblem], all_exempt: list[str]) -> list:
    county_by_code = {c.code: c for c in data.counties.values()}
    indicator_by_code = {i.code: i for i in data.indicators.values()}
    item_by_code = {i.code: i for i in data.items.values()}
    described: list = []
    for p in sorted(problems, key=lambda p: (p.county, p.indicator, p.item)):
        county, ind, item = (
            county_by_code[p.county],
            indicator_by_code[p.indicator],
            item_by_code[p.item],
        )
        described.append(
            MissingInput(
                county_code=county.code,
                county_name=county.name,
                indicator_code=ind.code,
                indicator_name=ind.name,
                item_code=item.code,
                item_name=item.name,
                unit_code=ind.unit.code,
                unit_name=ind.unit.name,
                problem=p.problem,
            )
        )
    for code in all_exempt:
        described.append(
            _("county %(county)s %(name)s is exempt from every indicator")
            % {"county": code, "name": county_by_code[code].name}
        )
    return described


def _structure_problems(data: CycleData) -> list:
    """What is wrong with the cycle itself: no counties, no indicators, empty indicators."""
    if not data.counties:
        return [_("the cycle has no counties")]
    if not data.specs:
        return [_("the cycle has no indicators")]
    return [
        _("indicator %(code)s has no rule items") % {"code": spec.code}
        for spec in data.specs
        if not spec.items
    ]


def unapproved_problems(cycle: Cycle) -> list[str]:
    """The annual-round entries that units started and the lead department has not approved:
    the results are computed from approved data only (scoring.entry.services)."""
    from scoring.entry.services import describe_unapproved, unapproved_entries

    rounds = Round.objects.filter(cycle=cycle, kind=Round.Kind.ANNUAL)
    return [line for rnd in rounds for line in describe_unapproved(unapproved_entries(rnd))]


def compute_results(*, cycle: Cycle, actor=None) -> CycleResult:
    """Compute and store the annual results of ``cycle``.

    Side effects: replaces the cycle's item scores, indicator results and statistics, upserts
    one CountyResult per county (keeping grade overrides), removes results of counties no
    longer in the cycle, sets ``cycle.results_computed_at`` and writes one audit event, all in
    one transaction that holds the cycle's row lock, so computations of a year run one at a time.
    Raises :class:`ResultsRefused` listing every missing input and every annual entry not
    approved yet, or :class:`~assessment.services.CycleReadOnly` for an archived cycle; then
    nothing is written (the Celery job keeps the reasons: :func:`record_refusal`). A
    successful computation removes the reasons kept of an earlier refusal.
    """
    # One computation of a cycle at a time (as close_round locks its round): a second one
    # waits for the first to commit, then loads what it stored and computes again. Loading,
    # computing, storing and the audit entry are one transaction.
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        ensure_cycle_writable(locked)
        data = load_cycle(locked)
        problems = _structure_problems(data) + unapproved_problems(locked)
        if problems:
            raise ResultsRefused(problems)
        try:
            result = compute_cycle(
                counties=[c.code for c in data.counties.values()],
                indicators=data.specs,
                inputs=data.inputs,
                exempt=data.exempt,
                adjustments=data.adjustments,
                vetoed=data.vetoed,
                settings=data.settings,
            )
        except IncompleteInputs as exc:
            raise ResultsRefused(_describe(data, exc.problems, exc.all_exempt)) from exc
        _store(data, result)
        ResultsRefusal.objects.filter(cycle=locked).delete()
        record_event(
            locked,
            summary="compute_results",
            data={"counties": len(data.counties), "indicators": len(data.indicators)},
            actor=actor,
        )
        results_computed.send(sender=Cycle, cycle=locked, actor=actor)
    cycle.results_computed_at = locked.results_computed_at
    return result


def record_refusal(cycle: Cycle, problems: list) -> ResultsRefusal:
    """Keep why a computation of ``cycle`` was refused (replacing the previous refusal): the
    first :attr:`ResultsRefusal.KEPT` problems, their count and the count per unit. The job
    that the results page's button and the nightly ranking start calls it; the command
    ``compute_results`` prints the reasons instead and writes nothing."""
    by_unit = Counter((p.unit_code, p.unit_name) for p in problems if isinstance(p, MissingInput))
    refusal, _created = ResultsRefusal.objects.update_or_create(
        cycle=cycle,
        defaults={
            "refused_at": timezone.now(),
            "problems": [
                asdict(p) if isinstance(p, MissingInput) else {"text": str(p)}
                for p in problems[: ResultsRefusal.KEPT]
            ],
            "problem_count": len(problems),
            "by_unit": [[code, name, n] for (code, name), n in sorted(by_unit.items())],
        },
    )
    return refusal


def refusal_problems(refusal: ResultsRefusal, limit: int | None = None) -> list:
    """The kept problems of a stored refusal (the first ``limit``) as :class:`MissingInput`
    rows or sentences."""
    return [MissingInput(**p) if "problem" in p else p["text"] for p in refusal.problems[:limit]]


def _store(data: CycleData, result: CycleResult) -> None:
    cycle = data.cycle
    county_id = {c.code: cid for cid, c in data.counties.items()}
    indicator_id = {i.code: iid for iid, i in data.indicators.items()}
    item_id = {i.code: iid for iid, i in data.items.items()}
    exempt = data.exempt
    weight = {i.code: i.weight for i in data.indicators.values()}

    def rate(c: str, i: str) -> Decimal:
        # An exempt indicator has no S_ci of its own; show the rate its imputed points imply.
        value = (
            result.points[(c, i)] * 100 / weight[i]
            if (c, i) in exempt
            else (result.percent[(c, i)])
        )
        return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)

    with transaction.atomic():  # within compute_results' transaction; atomic on its own too
        # Plain rows written with COPY on PostgreSQL: a national cycle has over a million
        # item scores, and a model instance per row would cost more than the scoring.
        ItemScore.objects.filter(cycle=cycle).delete()
        insert_rows(
            ItemScore,
            ["cycle_id", "county_id", "item_id", "score"],
            (
                (cycle.id, county_id[c], item_id[i], score.quantize(RATE_PLACES, ROUND_HALF_UP))
                for (c, i), score in result.item_scores.items()
            ),
        )
        IndicatorResult.objects.filter(cycle=cycle).delete()
        insert_rows(
            IndicatorResult,
            ["cycle_id", "county_id", "indicator_id", "percent", "points", "exempt", "rank"],
            (
                (
                    cycle.id,
                    county_id[c],
                    indicator_id[i],
                    rate(c, i),
                    round2(points),
                    (c, i) in exempt,
                    result.indicator_rank.get((c, i)),
                )
                for (c, i), points in result.points.items()
            ),
        )
        IndicatorStat.objects.filter(cycle=cycle).delete()
        insert_rows(
            IndicatorStat,
            ["cycle_id", "indicator_id", "highest", "lowest", "average", "top", "bottom"],
            (
                (cycle.id, indicator_id[code], s.highest, s.lowest, s.average, list(s.top),
                 list(s.bottom))
                for code, s in result.stats.items()
            ),
        )  # fmt: skip
        CountyResult.objects.filter(cycle=cycle).exclude(county_id__in=county_id.values()).delete()
        CountyResult.objects.bulk_create(
            [
                CountyResult(
                    cycle=cycle,
                    county_id=county_id[c],
                    indicator_points=round2(result.indicator_points[c]),
                    adjustment=round2(result.adjustment[c]),
                    total=total,
                    rank=result.rank[c],
                    vetoed=c in data.vetoed,
                    computed_grade=result.grade[c],
                )
                for c, total in result.total.items()
            ],
            update_conflicts=True,
            unique_fields=["cycle", "county"],
            update_fields=[
                "indicator_points",
                "adjustment",
                "total",
                "rank",
                "vetoed",
                "computed_grade",
            ],
            batch_size=BATCH,
        )
        cycle.results_computed_at = timezone.now()
        cycle.save(update_fields=["results_computed_at"])


def override_grade(*, result: CountyResult, grade: str, reason: str, actor) -> CountyResult:
    """Set (``grade``) or clear (``grade=""``) the lead department's override of a grade.

    ``reason`` is required either way. Side effects: stores the override with who and when
    (clearing it clears them too) and writes one audit entry with the reason, in one
    transaction. A recomputation keeps the override. Raises ``ValidationError`` without a
    reason or with an unknown grade. Returns ``result``, refreshed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A grade override needs a written reason."), code="override_reason")
    if grade and grade not in Grade.values:
        raise ValidationError(_("Unknown grade: %(grade)s") % {"grade": grade}, code="grade")
    with transaction.atomic():
        old = CountyResult.objects.select_for_update().get(pk=result.pk)
        new = copy.copy(old)
        new.grade_override = grade or ""
        new.override_reason = reason if grade else ""
        new.override_by = actor if grade else None
        new.override_at = timezone.now() if grade else None
        # auditlog would record the save without the reason; the explicit entry has both.
        with disable_auditlog():
            new.save(
                update_fields=["grade_override", "override_reason", "override_by", "override_at"]
            )
        record_change(old, new, actor=actor, data={"reason": reason})
    result.refresh_from_db()
    return result
