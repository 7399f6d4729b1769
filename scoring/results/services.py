"""Computing and storing the annual results of a cycle.

Loads the whole cycle with one query per table, hands plain values to the engine and writes
what it returns in bulk. The management command ``compute_results``, the Celery task and the
web button all call :func:`compute_results`.
"""

import copy
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.audit import record_change, record_event
from assessment.bulk import insert_rows
from assessment.models import Cycle, Round
from assessment.services import ensure_cycle_writable
from scoring.models import (
    CountyResult,
    Grade,
    IndicatorResult,
    IndicatorStat,
    ItemScore,
    ResultsRefusal,
)
from scoring.results.engine import (
    CycleResult,
    IncompleteInputs,
    InputProblem,
    compute_cycle,
    round2,
)
from scoring.results.load import CycleData as CycleData
from scoring.results.load import ResultsRefused as ResultsRefused
from scoring.results.load import cycle_settings as cycle_settings
from scoring.results.load import load_cycle as load_cycle
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
            "interruptions": 0,
            "worker": "",
        },
    )
    return refusal


def record_given_up(
    *, cycle: Cycle, attempts: int, worker: str, started_at: datetime
) -> ResultsRefusal | None:
    """Keep that a computation of ``cycle`` was lost with its worker ``attempts`` times and
    given up by the lease sweep (replacing the previous refusal, whose problems no longer
    describe the latest computation): the results page shows it to every lead user in place
    of "computing", until a computation succeeds or is refused. The sweep audits it
    (:func:`assessment.jobs.leases.on_given_up`, registered by :mod:`scoring.tasks`).

    Nothing is kept (None) when the cycle was computed or refused since ``started_at``, the
    start of the last attempt: that attempt answered, and its worker was lost after."""
    computed = cycle.results_computed_at
    if (computed is not None and computed >= started_at) or ResultsRefusal.objects.filter(
        cycle=cycle, refused_at__gte=started_at
    ).exists():
        return None
    refusal, _created = ResultsRefusal.objects.update_or_create(
        cycle=cycle,
        defaults={
            "refused_at": timezone.now(),
            "problems": [],
            "problem_count": 0,
            "by_unit": [],
            "interruptions": attempts,
            "worker": worker,
        },
    )
    return refusal


def refusal_problems(refusal: ResultsRefusal, limit: int | None = None) -> list:
    """The kept problems of a stored refusal (the first ``limit``) as :class:`MissingInput`
    rows or sentences."""
    return [MissingInput(**p) if "problem" in p else p["text"] for p in refusal.problems[:limit]]


def _store(data: CycleData, result: CycleResult) -> None:
    """Replace the stored results of ``data.cycle`` with ``result`` and stamp the cycle."""
    county_id = {c.code: cid for cid, c in data.counties.items()}
    with transaction.atomic():  # within compute_results' transaction; atomic on its own too
        _store_scores(data, result, county_id)
        _store_county_results(data, result, county_id)
        data.cycle.results_computed_at = timezone.now()
        data.cycle.save(update_fields=["results_computed_at"])


def _rate(result: CycleResult, exempt: set, weight: dict, c: str, i: str) -> Decimal:
    """The stored rate S_ci of county ``c`` on indicator ``i``. An exempt indicator has no
    S_ci of its own: the rate its imputed points imply (``weight``: by indicator code)."""
    value = result.points[c, i] * 100 / weight[i] if (c, i) in exempt else result.percent[c, i]
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _store_scores(data: CycleData, result: CycleResult, county_id: dict) -> None:
    """Replace the item scores, indicator results and indicator statistics of the cycle."""
    cycle, exempt = data.cycle, data.exempt
    indicator_id = {i.code: iid for iid, i in data.indicators.items()}
    item_id = {i.code: iid for iid, i in data.items.items()}
    weight = {i.code: i.weight for i in data.indicators.values()}
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
                _rate(result, exempt, weight, c, i),
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


def _store_county_results(data: CycleData, result: CycleResult, county_id: dict) -> None:
    """Upsert one CountyResult per county (a grade override is kept) and delete the results
    of counties no longer in the cycle."""
    cycle = data.cycle
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
            "indicator_points", "adjustment", "total", "rank", "vetoed", "computed_grade",
        ],
        batch_size=BATCH,
    )  # fmt: skip


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
