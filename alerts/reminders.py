"""Reminding the responsible units by email of the round data they owe (services).

Two kinds, each sent at most once per (round, indicator) — the
:class:`~alerts.models.UnitReminder` row is the claim, taken in the transaction that sends:

- **due**: the daily job (:func:`remind_due`) reminds a unit, ``UNIT_REMINDER_DAYS`` days
  before an open round's closing date, of the entries it has not submitted yet (not
  started, draft, or returned to it);
- **late**: closing a round reminds each unit of the indicators whose data it has not
  delivered (单位未报送): no county is warned on them until they are delivered.

Each unit gets one email listing its indicators, in each of its users' languages.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alerts.models import UnitReminder
from assessment.mail import send_to_users
from assessment.models import Cycle, Round, User
from assessment.queue import enqueue_on_commit
from scoring.entry.delivery import Undelivered, undelivered
from scoring.models import EntryState

Kind = UnitReminder.Kind
# Entries the unit still has to act on (a submitted one waits for the lead department).
UNSUBMITTED = {None, EntryState.Status.DRAFT, EntryState.Status.RETURNED}


def owed(*, round: Round, kind: str) -> list[Undelivered]:
    """What the units owe in ``round`` for a reminder of ``kind``: every indicator not
    delivered (late), or those not submitted yet (due)."""
    late = undelivered(round)
    if kind == Kind.LATE:
        return late
    return [u for u in late if (u.state.status if u.state else None) in UNSUBMITTED]


def remind_units(*, round: Round, kind: str) -> int:
    """Email each unit the indicators of ``round`` it owes (:func:`owed`) and has not been
    reminded of with ``kind`` yet.

    Side effects: creates one :class:`UnitReminder` per indicator reminded and sends one
    email per unit whose users have an address, inside the claim (a failed send rolls the
    claim back, so a retry sends). Safe to run again or concurrently. Returns the number of
    emails sent.
    """
    by_unit: dict[int, list[Undelivered]] = defaultdict(list)
    for u in owed(round=round, kind=kind):
        by_unit[u.indicator.unit_id].append(u)
    sent = 0
    for unit_id, items in sorted(by_unit.items()):
        sent += _remind_unit(round=round, kind=kind, unit_id=unit_id, items=items)
    return sent


def _remind_unit(*, round: Round, kind: str, unit_id: int, items: list[Undelivered]) -> int:
    try:
        with transaction.atomic():
            done = set(
                UnitReminder.objects.filter(
                    round=round, kind=kind, indicator_id__in=[u.indicator.pk for u in items]
                ).values_list("indicator_id", flat=True)
            )
            new = [u for u in items if u.indicator.pk not in done]
            if not new:
                return 0
            UnitReminder.objects.bulk_create(
                UnitReminder(cycle_id=round.cycle_id, round=round, indicator=u.indicator, kind=kind)
                for u in new
            )
            return _send(round=round, kind=kind, unit_id=unit_id, items=new)
    except IntegrityError:
        # Another run claimed them between our read and our insert: it sends.
        return 0


def _send(*, round: Round, kind: str, unit_id: int, items: list[Undelivered]) -> int:
    """One email per language of the unit's users (:func:`assessment.mail.send_to_users`)."""
    entry_url = settings.SITE_URL.rstrip("/") + reverse(
        "scoring:entry", kwargs={"year": round.cycle.year}
    )
    context = {
        "round": round,
        "unit": items[0].indicator.unit,
        "items": items,
        "late": kind == Kind.LATE,
        "entry_url": entry_url,
    }

    def render() -> tuple[str, str]:
        return (
            render_to_string("alerts/email/unit_reminder_subject.txt", context),
            render_to_string("alerts/email/unit_reminder_body.txt", context),
        )

    users = User.objects.filter(unit_id=unit_id, is_active=True).exclude(email="")
    return send_to_users(users=users, render=render)


def schedule_late_reminders(rnd: Round) -> None:
    """Remind the units of what they did not deliver, once the closing commits (with the
    broker unreachable, the daily job :func:`remind_due` sends them)."""
    from alerts.tasks import remind_units_task

    enqueue_on_commit(remind_units_task, round_id=rnd.pk, kind=Kind.LATE)


def rounds_due(*, today: date | None = None) -> list[Round]:
    """The open rounds of cycles not archived whose closing date is within
    ``settings.UNIT_REMINDER_DAYS`` days from ``today`` (the cycle's time zone)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.UNIT_REMINDER_DAYS)
    return list(
        Round.objects.filter(status=Round.Status.OPEN, closes_on__gte=today, closes_on__lte=horizon)
        .exclude(cycle__status=Cycle.Status.ARCHIVED)
        .select_related("cycle")
        .order_by("cycle__year", "closes_on", "code")
    )


def remind_due(*, today: date | None = None) -> int:
    """The daily job: remind the units of the entries not submitted in every round closing
    soon (:func:`rounds_due`), and of the data not delivered in every round closed within
    ``settings.UNIT_REMINDER_DAYS`` days (in case the closing could not queue its reminders),
    once per round and entry. Returns the emails sent."""
    today = today or timezone.localdate()
    sent = sum(remind_units(round=rnd, kind=Kind.DUE) for rnd in rounds_due(today=today))
    since = today - timedelta(days=settings.UNIT_REMINDER_DAYS)
    closed = (
        Round.objects.filter(
            kind=Round.Kind.PRE, status=Round.Status.CLOSED, closed_at__date__gte=since
        )
        .exclude(cycle__status=Cycle.Status.ARCHIVED)
        .select_related("cycle")
        .order_by("cycle__year", "closes_on", "code")
    )
    return sent + sum(remind_units(round=rnd, kind=Kind.LATE) for rnd in closed)
