"""The units' evaluation opinions (评价意见, article 4.6): after the annual round each responsible
unit may write, for each county, a short evaluation on its indicators — strengths, weaknesses,
advice — which the lead department reviews with the frame's review workflow
(``assessment.review``: submit, approve, return with a comment, reopen with a reason). An
approved evaluation is published on the county's feedback page with the unit's name.

Every change is audited: saves by auditlog (UnitEvaluation is registered), each status change
by the workflow's one entry with its comment or reason.
"""

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import County, Cycle, Round, Unit, User
from assessment.refusals import Refused
from assessment.review import services as review
from assessment.review.services import Lock, Locked, cycle_lock
from indicators.models import UnitEvaluation

Status = UnitEvaluation.Status
TEXTS = ("strengths", "weaknesses", "advice")


def evaluating_units(cycle: Cycle) -> QuerySet[Unit]:
    """The units that evaluate the counties of ``cycle``: those responsible for an indicator."""
    return Unit.objects.filter(indicators__cycle=cycle).distinct().order_by("code")


def annual_round_open(cycle: Cycle) -> bool:
    """Whether the annual round of ``cycle`` has opened (evaluations are written after it)."""
    return (
        Round.objects.filter(cycle=cycle, kind=Round.Kind.ANNUAL)
        .exclude(status=Round.Status.PENDING)
        .exists()
    )


def evaluation_lock(evaluation: UnitEvaluation) -> Lock | None:
    """What stops the unit from changing or submitting ``evaluation`` now: an archived year, an
    annual round not yet open, a submission under review, a publication."""
    lock = cycle_lock(evaluation.cycle)
    if lock is not None:
        return lock
    if not annual_round_open(evaluation.cycle):
        return Lock(
            "round_pending",
            _("The annual round has not opened yet: the units evaluate the counties after it."),
            _("The lead department opens the annual round."),
        )
    if evaluation.status == Status.APPROVED:
        return Lock(
            "approved",
            _("The evaluation is published on the county's feedback page."),
            _("Only the lead department can reopen it, with a reason."),
        )
    if evaluation.status == Status.SUBMITTED:
        return Lock(
            "submitted",
            _("The evaluation is submitted and waits for the lead department's review."),
            _("The lead department publishes it or returns it to the unit."),
        )
    return None


def get_evaluation(*, cycle: Cycle, unit: Unit, county: County) -> UnitEvaluation:
    """The evaluation of ``county`` by ``unit`` in ``cycle``; a new unsaved one if none yet."""
    found = (
        UnitEvaluation.objects.select_related("cycle", "unit", "county")
        .filter(cycle=cycle, unit=unit, county=county)
        .first()
    )
    return found or UnitEvaluation(cycle=cycle, unit=unit, county=county)


def save_evaluation(
    *, cycle: Cycle, unit: Unit, county: County, actor: User, **texts: str
) -> UnitEvaluation:
    """Save the unit's strengths, weaknesses and advice on the county (a returned evaluation
    stays returned until it is submitted again).

    Side effects: creates or updates the UnitEvaluation, audited by auditlog with ``actor``.
    Raises :class:`Locked` while the unit may not change it and :class:`Refused` when the unit
    has no indicator in the year or the county is not appraised in it.
    """
    if not evaluating_units(cycle).filter(pk=unit.pk).exists():
        raise Refused(_("%(unit)s has no indicator in %(year)s.") % {
            "unit": unit.name, "year": cycle.year,
        })  # fmt: skip
    if not cycle.counties.filter(pk=county.pk).exists():
        raise Refused(_("%(county)s is not appraised in %(year)s.") % {
            "county": county.name, "year": cycle.year,
        })  # fmt: skip
    with transaction.atomic(), set_actor(actor):
        evaluation = get_evaluation(cycle=cycle, unit=unit, county=county)
        if evaluation.pk:
            evaluation = _relock(evaluation)
        lock = evaluation_lock(evaluation)
        if lock is not None:
            raise Locked(lock)
        for name in TEXTS:
            setattr(evaluation, name, texts.get(name, "").strip())
        evaluation.save()
    return evaluation


def _relock(evaluation: UnitEvaluation) -> UnitEvaluation:
    return (
        UnitEvaluation.objects.select_for_update()
        .select_related("cycle", "unit", "county")
        .get(pk=evaluation.pk)
    )


def _check(evaluation: UnitEvaluation) -> None:
    if not any(getattr(evaluation, name).strip() for name in TEXTS):
        raise Refused(_("Write the strengths, the weaknesses or the advice before submitting."))


def _stamps(evaluation: UnitEvaluation, status: str, actor) -> dict:
    return {"reviewed_at": timezone.now()} if status != review.SUBMITTED else {}


EVALUATION = review.Workflow(
    status="status",
    comment="comment",
    relock=_relock,
    edit_lock=evaluation_lock,
    review_lock=lambda evaluation, reopening: cycle_lock(evaluation.cycle),
    check=_check,
    wrong_status=gettext_lazy("Not possible while the evaluation is %(status)s."),
    resubmitted=gettext_lazy(
        "The evaluation is submitted and waits for the lead department's review."
    ),
    stamps=_stamps,
    audited=("status", "comment"),
)


def submit_evaluation(*, evaluation: UnitEvaluation, actor) -> UnitEvaluation:
    """Submit the evaluation for review. Side effects: status submitted, audited. Raises
    :class:`Locked`, or :class:`Refused` when it is empty."""
    return review.submit(EVALUATION, evaluation, actor=actor)


def approve_evaluation(*, evaluation: UnitEvaluation, actor) -> UnitEvaluation:
    """Publish a submitted evaluation on the county's feedback page. Audited."""
    return review.approve(EVALUATION, evaluation, actor=actor)


def return_evaluation(*, evaluation: UnitEvaluation, actor, comment: str) -> UnitEvaluation:
    """Return a submitted evaluation to its unit with ``comment``. Audited with the comment."""
    return review.return_(EVALUATION, evaluation, actor=actor, comment=comment)


def reopen_evaluation(*, evaluation: UnitEvaluation, actor, reason: str) -> UnitEvaluation:
    """Withdraw a published evaluation for changes (back to draft). Audited with the reason."""
    return review.reopen(EVALUATION, evaluation, actor=actor, reason=reason)


def published_evaluations(*, cycle: Cycle, county: County) -> QuerySet[UnitEvaluation]:
    """The approved evaluations of ``county`` in ``cycle``, with their units, for its feedback
    page."""
    return (
        UnitEvaluation.objects.filter(cycle=cycle, county=county, status=Status.APPROVED)
        .select_related("unit")
        .order_by("unit__code")
    )
