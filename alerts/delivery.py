"""Point-to-point delivery of warnings (services): who sees which warnings, what is unread,
marking read, and the email each county's users get when a round closes.

The email goes out from a Celery task started after the closing commits
(:func:`schedule_notification`); the warnings the closing marked ``to_notify`` are the
outbox, which a periodic sweep (:func:`send_pending`) empties when that task could not be
queued. Each warning is claimed before the email is sent — its ``notified_at`` set under a
row lock that a second worker skips, and committed — so that running the job again, twice at
once, or after a worker died mid-send, never sends the same warning twice.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alerts.models import Rectification, Warning
from assessment.audit import record_event
from assessment.mail import county_users, send_to_users
from assessment.models import Cycle, Round, User
from assessment.queue import enqueue_on_commit

logger = logging.getLogger(__name__)


def warnings_for(user: User, qs: QuerySet[Warning]) -> QuerySet[Warning]:
    """The warnings of ``qs`` that ``user`` may open: a county its own, a unit those on its
    indicators (also as an expert of a case: the case page shows the others' as text), the
    lead department all of them. The one rule of the warning pages and of their links."""
    if user.is_county:
        return qs.filter(county_id=user.county_id)
    if user.is_unit:
        return qs.filter(indicator__unit_id=user.unit_id)
    return qs


def visible_warnings(user: User) -> QuerySet[Warning]:
    """The current warnings ``user`` may see. Related rows are joined for the lists."""
    qs = Warning.objects.filter(replaced_at__isnull=True).select_related(
        "round", "cycle", "county", "indicator__unit", "rectification"
    )
    return warnings_for(user, qs)


def unread_count(user: User, cycle: Cycle | None) -> int:
    """Current warnings of ``cycle`` to a county user's county that nobody of the county has
    opened (the inbox shows the same cycle)."""
    if not user.is_county or cycle is None:
        return 0
    return Warning.objects.filter(
        cycle=cycle, county_id=user.county_id, replaced_at__isnull=True, read_at__isnull=True
    ).count()


def mark_read(*, warning: Warning, user: User) -> bool:
    """Record that the county opened ``warning`` (the first time only).

    Side effects: sets ``read_at`` (an audit event) and, for an issued warning, the status
    read (:func:`alerts.services.set_warning_status`). Returns whether anything changed.
    Only the county's own users mark it read.
    """
    if not user.is_county or warning.read_at is not None:
        return False
    with transaction.atomic():
        claimed = Warning.objects.filter(pk=warning.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if not claimed:
            return False
        warning.refresh_from_db(fields=["read_at"])
        record_event(
            warning, summary="read", data={"read_at": warning.read_at.isoformat()}, actor=user
        )
        if warning.status == Warning.Status.ISSUED:
            # Imported here: the services import this module (close_round notifies).
            from alerts.services import set_warning_status

            set_warning_status(warning=warning, status=Warning.Status.READ, actor=user)
    return True


def county_warnings(*, county, cycle: Cycle) -> list[Warning]:
    """Every current warning of ``county`` in ``cycle`` with its rectification (or None), by
    round and indicator — for the county's feedback page and its warnings history."""
    return list(
        Warning.objects.filter(county=county, cycle=cycle, replaced_at__isnull=True)
        .select_related("round", "indicator__unit", "rectification")
        .order_by("round__closes_on", "round__code", "indicator__order", "indicator__code")
    )


def schedule_notification(rnd: Round) -> None:
    """Queue the round's emails once the current transaction commits (the warnings marked
    ``to_notify`` are the outbox: :func:`send_pending` sends them if the broker is down)."""
    from alerts.tasks import notify_round_task

    enqueue_on_commit(notify_round_task, round_id=rnd.pk)


@dataclass(frozen=True)
class NotifySummary:
    counties: int  # counties whose warnings were claimed now
    emails: int  # emails sent (a county without addresses gets none)


def notify_round(*, round: Round, pending_only: bool = False) -> NotifySummary:
    """Email each county's users the round's current warnings not notified yet (with
    ``pending_only``, only those a closing marked ``to_notify``: the outbox).

    Side effects: claims the warnings of one county at a time (``notified_at``, committed
    before the email goes, so that a warning is emailed at most once even if the worker dies
    while sending) and sends one email per language of the county's users; if sending fails,
    the claim is released and the warnings go back to the outbox. Safe to run again or
    concurrently.
    """
    pending = Warning.objects.filter(
        round=round, replaced_at__isnull=True, notified_at__isnull=True
    )
    if pending_only:
        pending = pending.filter(to_notify=True)
    counties = pending.values_list("county_id", flat=True).distinct().order_by("county_id")
    claimed = emails = 0
    for county_id in list(counties):
        sent = _notify_county(round=round, county_id=county_id, pending_only=pending_only)
        if sent is not None:
            claimed += 1
            emails += sent
    return NotifySummary(counties=claimed, emails=emails)


def send_pending() -> NotifySummary:
    """The periodic sweep of the outbox: email every round's warnings still marked
    ``to_notify`` (a closing whose job could not be queued, or whose email failed).

    Side effects: as :func:`notify_round`, for each such round."""
    rounds = Round.objects.filter(
        pk__in=Warning.objects.filter(to_notify=True, replaced_at__isnull=True).values("round_id")
    ).select_related("cycle")
    counties = emails = 0
    for rnd in rounds:
        summary = notify_round(round=rnd, pending_only=True)
        counties, emails = counties + summary.counties, emails + summary.emails
    return NotifySummary(counties=counties, emails=emails)


def _notify_county(*, round: Round, county_id: int, pending_only: bool = False) -> int | None:
    """Claim and email one county's new warnings; None when another run claimed them."""
    with transaction.atomic():
        pending = Warning.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            round=round, county_id=county_id, replaced_at__isnull=True, notified_at__isnull=True
        )
        if pending_only:
            pending = pending.filter(to_notify=True)
        warnings = list(
            pending.select_related("county", "indicator__unit").order_by(
                "indicator__order", "indicator__code"
            )
        )
        if not warnings:
            return None
        ids = [w.pk for w in warnings]
        Warning.objects.filter(pk__in=ids).update(notified_at=timezone.now(), to_notify=False)
    # The claim is committed before the email goes: a worker that dies after the mail server
    # accepted it cannot send it again. A failure to send releases the claim.
    try:
        return send_to_users(
            users=county_users(county_id), render=lambda: _message(round, warnings)
        )
    except Exception:
        Warning.objects.filter(pk__in=ids).update(notified_at=None, to_notify=True)
        raise


def _message(round: Round, warnings: list[Warning]) -> tuple[str, str]:
    """The subject and body of a county's warnings email, in the active language."""
    context = {
        "round": round,
        "county": warnings[0].county,
        "warnings": warnings,
        "inbox_url": settings.SITE_URL.rstrip("/") + reverse("alerts:inbox"),
    }
    subject = render_to_string("alerts/email/warnings_subject.txt", context)
    body = render_to_string("alerts/email/warnings_body.txt", context)
    return subject, body


def rectification_state(warning: Warning) -> Rectification | None:
    """The rectification answering ``warning``, or None."""
    try:
        return warning.rectification
    except Rectification.DoesNotExist:
        return None
