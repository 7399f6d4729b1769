"""Objections (异议申诉): a county objects to one indicator's score within the period after
publication; the responsible unit answers; the lead department decides.

Each state change checks, saves and audits in one transaction. An upheld objection may
correct one input of the indicator: the input is changed and recorded in the audit trail
with the objection and the decision's reasons, and the results are recomputed (the
publication stays, marked corrected).
"""

from copy import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.audit import record_change, record_event
from assessment.models import County, Cycle, User
from assessment.refusals import Refused
from indicators.models import Indicator, RuleItem
from reports.models import Objection, Publication
from scoring.models import AnnualInput
from scoring.results.engine import IncompleteInputs, round2
from scoring.results.services import ResultsRefused, compute_results, load_cycle
from scoring.results.whatif import Year
from scoring.values import plain


class ObjectionRefused(Refused):
    """The step is not possible now; the message says why, in the user's language."""


def objection_deadline(publication: Publication | None) -> datetime | None:
    """The end of the objection period of a publication; None when not published."""
    if publication is None or not publication.published or publication.published_at is None:
        return None
    return publication.published_at + timedelta(days=publication.objection_days)


def may_object(cycle: Cycle, *, now: datetime | None = None) -> bool:
    deadline = objection_deadline(Publication.objects.filter(cycle=cycle).first())
    return deadline is not None and (now or timezone.now()) <= deadline


def _save(objection: Objection, old: Objection | None, actor: User, event: str, **data) -> None:
    with disable_auditlog():
        objection.save()
    record_change(old, objection, actor=actor, data={"event": event, **data})


def lodge(
    *,
    cycle: Cycle,
    county: County,
    indicator: Indicator,
    reasons: str,
    actor: User,
    evidence=None,
) -> Objection:
    """Lodge an objection of ``county`` to its score on ``indicator``.

    Side effects: stores the objection (and the evidence file in private storage) and records
    it. Raises :class:`ObjectionRefused` outside the objection period, or when the county has
    an open objection on the indicator already.
    """
    with transaction.atomic():
        if not may_object(cycle):
            raise ObjectionRefused(
                _("The objection period of the %(year)s results is over or has not begun.")
                % {"year": cycle.year}
            )
        if Objection.objects.filter(
            cycle=cycle, county=county, indicator=indicator, status__in=Objection.OPEN
        ).exists():
            raise ObjectionRefused(
                _("An objection to %(indicator)s is already open.") % {"indicator": indicator.name}
            )
        objection = Objection(
            cycle=cycle, county=county, indicator=indicator, reasons=reasons, lodged_by=actor
        )
        if evidence is not None:
            objection.evidence_name = evidence.name
            objection.evidence.save(evidence.name, evidence, save=False)
        _save(objection, None, actor, "objection_lodged")
    return objection


def answer(*, objection: Objection, text: str, actor: User) -> Objection:
    """The responsible unit's answer. Side effects: saves and records it; the objection
    awaits the decision. Raises :class:`ObjectionRefused` once decided."""
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if not objection.is_open:
            raise ObjectionRefused(_("The objection has been decided."))
        old = copy(objection)
        objection.answer = text
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        objection.status = Objection.Status.ANSWERED
        _save(objection, old, actor, "objection_answered")
    return objection


def decide(
    *,
    objection: Objection,
    upheld: bool,
    reason: str,
    actor: User,
    item: RuleItem | None = None,
    actual: Decimal | None = None,
    target: Decimal | None = None,
) -> Objection:
    """The lead department's decision, with its reasons.

    Upheld with a correction (``item`` of the indicator and its new ``actual``/``target``):
    the county's input is corrected and recorded (old and new values, the objection, the
    reasons) and the results are recomputed in the same transaction, which marks the
    publication corrected. Raises :class:`ObjectionRefused` when already decided, or when the
    corrected inputs cannot be computed (nothing is changed then).
    """
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if not objection.is_open:
            raise ObjectionRefused(_("The objection has been decided."))
        old = copy(objection)
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        objection.decision_reason = reason
        objection.decided_by = actor
        objection.decided_at = timezone.now()
        if upheld and item is not None:
            objection.correction = _correct(objection, item, actual, target, actor, reason)
        _save(objection, old, actor, "objection_decided")
        if objection.correction:
            try:
                compute_results(cycle=objection.cycle, actor=actor)
            except ResultsRefused as exc:
                raise ObjectionRefused(
                    _("The corrected input cannot be computed: %(problems)s")
                    % {"problems": "; ".join(str(p) for p in exc.problems)}
                ) from exc
    return objection


def _correct(objection, item, actual, target, actor, reason) -> dict:
    if item.indicator_id != objection.indicator_id:
        raise ObjectionRefused(_("The corrected item must belong to the objected indicator."))
    row, _created = AnnualInput.objects.select_for_update().get_or_create(
        cycle=objection.cycle, county=objection.county, item=item
    )
    before = {"actual": row.actual, "target": row.target}
    row.actual = actual
    if target is not None:
        row.target = target
    row.updated_by = actor
    row.save()
    correction = {
        "item": item.code,
        "actual": [_text(before["actual"]), _text(row.actual)],
        "target": [_text(before["target"]), _text(row.target)],
    }
    record_event(
        objection,
        summary="objection_correction",
        data={**correction, "county": objection.county.code, "reason": reason},
        actor=actor,
    )
    return correction


def _text(value) -> str | None:
    return None if value is None else plain(Decimal(value))


@dataclass(frozen=True)
class DecisionPreview:
    """What recording a decision would change. ``item`` is None when no figure changes (a
    rejection, or upheld without a correction); otherwise the item's actual and target before
    and after, and the county's points on the indicator, total and rank before and after, as
    the engine computes them (points rounded to two places)."""

    upheld: bool
    item: RuleItem | None = None
    actual: tuple = (None, None)
    target: tuple = (None, None)
    points: tuple = (None, None)
    total: tuple = (None, None)
    rank: tuple = (None, None)


def preview_decision(
    *,
    objection: Objection,
    upheld: bool,
    item: RuleItem | None = None,
    actual: Decimal | None = None,
    target: Decimal | None = None,
) -> DecisionPreview:
    """The effect of :func:`decide` with the same arguments, computed without saving: the
    year is loaded and run through the engine as it is and with the corrected input. No side
    effects. Raises :class:`ObjectionRefused` when the objection is decided, the item is not
    the indicator's, or the year cannot be computed with the correction."""
    if not objection.is_open:
        raise ObjectionRefused(_("The objection has been decided."))
    if not upheld or item is None:
        return DecisionPreview(upheld=upheld)
    if item.indicator_id != objection.indicator_id:
        raise ObjectionRefused(_("The corrected item must belong to the objected indicator."))
    county, indicator = objection.county.code, objection.indicator.code
    try:
        data = load_cycle(objection.cycle)
        year = Year(
            counties=sorted(c.code for c in data.counties.values()), indicators=data.specs,
            inputs=data.inputs, exempt=data.exempt, adjustments=data.adjustments,
            vetoed=data.vetoed, settings=data.settings,
        )  # fmt: skip
        old_actual, old_target = data.inputs.get((county, item.code), (None, None))
        new_target = old_target if target is None else target
        inputs = {**data.inputs, (county, item.code): (actual, new_target)}
        before = year.compute()
        after = year.compute(inputs)
    except ResultsRefused as exc:
        raise ObjectionRefused(
            _("The corrected input cannot be computed: %(problems)s")
            % {"problems": "; ".join(str(p) for p in exc.problems)}
        ) from exc
    except IncompleteInputs as exc:
        raise ObjectionRefused(
            _("The corrected input cannot be computed (missing or out of range): %(items)s")
            % {"items": "; ".join(f"{p.county} {p.item}" for p in exc.problems)}
        ) from exc
    key = (county, indicator)
    return DecisionPreview(
        upheld=True,
        item=item,
        actual=(old_actual, actual),
        target=(old_target, new_target),
        points=(round2(before.points[key]), round2(after.points[key])),
        total=(before.total[county], after.total[county]),
        rank=(before.rank[county], after.rank[county]),
    )
