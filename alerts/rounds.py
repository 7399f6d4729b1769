"""The round calendar: opening, closing and reopening the rounds — the pre-assessments and
the annual round — by hand or on their dates (services). Closing a pre-assessment issues its
warnings; closing the annual round locks the entry of the annual data.

The daily job (:func:`run_calendar`, Celery beat ``alerts.run_round_calendar``) opens every
pending round whose opening date has come and closes every round whose closing date has come
and that has never been closed, in the time zone of the cycle (``settings.TIME_ZONE``).
A round the lead department reopened keeps its ``closed_at``: the calendar leaves it open
until the lead department closes it again with the button. Closing always goes through
:func:`alerts.services.close_round`, as ``manage.py close_round`` does.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.services import CloseSummary, NoExpectedProgress, close_round, reopen_round
from assessment.audit import record_event
from assessment.models import Cycle, Round
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable

logger = logging.getLogger(__name__)


class RoundRefused(Refused):
    """A transition that the round's state or its cycle does not allow; the message says why."""


def open_round(*, round: Round, actor=None) -> bool:
    """Open a pending round (pre-assessment or annual) for data entry.

    Side effects: sets the round open and writes one audit event. Returns False (and changes
    nothing) when the round is not pending. Raises :class:`RoundRefused` in an archived cycle.
    """
    ensure_cycle_writable(round.cycle, refusal=RoundRefused)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=round.pk)
        if rnd.status != Round.Status.PENDING:
            return False
        rnd.status = Round.Status.OPEN
        rnd.save(update_fields=["status"])
        record_event(rnd, summary="open_round", actor=actor)
    round.refresh_from_db()
    return True


def close_round_by_hand(*, round: Round, actor) -> CloseSummary | None:
    """The lead department's close button: the same code path as the job and the command
    (the annual round: :func:`close_annual_round`, which returns None)."""
    ensure_cycle_writable(round.cycle, refusal=RoundRefused)
    if round.kind == Round.Kind.ANNUAL:
        close_annual_round(round=round, actor=actor)
        return None
    return close_round(round=round, actor=actor)


def close_annual_round(*, round: Round, actor=None) -> bool:
    """Close the annual round: the units' entry of the annual data is locked; no warnings
    (the results are computed by the button or the nightly ranking, spec/scoring.md).

    Side effects: sets the round closed (keeping the first closing time) and writes one audit
    event. Returns False (and changes nothing) when the round is closed already. Raises
    :class:`RoundRefused` in an archived cycle.
    """
    ensure_cycle_writable(round.cycle, refusal=RoundRefused)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=round.pk)
        if rnd.kind != Round.Kind.ANNUAL or rnd.status == Round.Status.CLOSED:
            return False
        rnd.status = Round.Status.CLOSED
        rnd.closed_at = rnd.closed_at or timezone.now()
        rnd.save(update_fields=["status", "closed_at"])
        record_event(rnd, summary="close_round", data={"kind": "annual"}, actor=actor)
    round.refresh_from_db()
    return True


def reopen_round_by_hand(*, round: Round, reason: str, actor) -> None:
    """Reopen a closed round with a written reason (audited by :func:`reopen_round`)."""
    round.refresh_from_db()
    ensure_cycle_writable(round.cycle, refusal=RoundRefused)
    if round.status != Round.Status.CLOSED:
        raise RoundRefused(_("Only a closed round can be reopened."))
    if not reason.strip():
        raise RoundRefused(_("Say why the round is reopened."))
    reopen_round(round=round, reason=reason.strip(), actor=actor)


@dataclass
class CalendarRun:
    opened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run_calendar(*, today: date | None = None) -> CalendarRun:
    """Open and close the rounds (pre-assessment and annual) whose dates have come.

    ``today`` defaults to the date in the cycle's time zone (``settings.TIME_ZONE``). Only
    rounds of cycles that are not archived move. Idempotent: a second run the same day finds
    nothing to do. Side effects: those of :func:`open_round` and :func:`close_round` (the
    warnings, their audit events, and the county notifications after the commit) and of
    :func:`close_annual_round`.
    """
    today = today or timezone.localdate()
    run = CalendarRun()
    live = Round.objects.exclude(cycle__status=Cycle.Status.ARCHIVED)
    to_open = live.filter(
        status=Round.Status.PENDING, opens_on__lte=today, closed_at__isnull=True
    ).exclude(closes_on__lte=today)
    for rnd in to_open.select_related("cycle").order_by("cycle__year", "opens_on", "code"):
        if open_round(round=rnd):
            run.opened.append(f"{rnd.cycle.year} {rnd.code}")
    to_close = live.filter(closes_on__lte=today, closed_at__isnull=True).exclude(
        status=Round.Status.CLOSED
    )
    for rnd in to_close.select_related("cycle").order_by("cycle__year", "closes_on", "code"):
        if rnd.kind == Round.Kind.ANNUAL:
            if close_annual_round(round=rnd):
                run.closed.append(f"{rnd.cycle.year} {rnd.code}")
            continue
        try:
            summary = close_round(round=rnd)
        except NoExpectedProgress:
            # One round set up without an expected progress must not stop the others.
            logger.error(
                "calendar cannot close %s %s: no expected progress", rnd.cycle.year, rnd.code
            )
            run.failed.append(f"{rnd.cycle.year} {rnd.code}")
            continue
        run.closed.append(f"{rnd.cycle.year} {rnd.code}")
        logger.info(
            "calendar closed %s %s: %s warnings, %s flagged",
            rnd.cycle.year, rnd.code, summary.warnings, summary.flagged,
        )  # fmt: skip
    return run
