"""Closing a pre-assessment round and issuing its warnings (spec/scoring.md, last part).

``close_round`` is the one code path behind the management command, the Celery job and the
lead department's button. It is idempotent: closing again with the same data changes nothing;
closing again after the data changed replaces exactly the warnings that no longer hold.
"""

import copy
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from alerts.delivery import schedule_notification
from alerts.models import DiagnosisFlag, Warning
from alerts.reminders import schedule_late_reminders
from assessment.audit import record_change, record_event
from assessment.bulk import insert_rows
from assessment.models import Round
from assessment.refusals import Refused
from assessment.services import ensure_cycle_writable
from indicators.models import Indicator
from scoring.entry.delivery import delivered_ids, undelivered
from scoring.models import Exemption, Progress
from scoring.results.engine import RoundWarnings, WarningFigures, round_warnings


class NotAPreAssessment(Refused):
    """Warnings are issued for a pre-assessment round only."""


class NoExpectedProgress(Refused):
    """A round with a blank expected progress and no default for its code."""


def expected_progress(rnd: Round) -> Decimal:
    """The round's expected progress e: its own, else the spec's default for its code."""
    if rnd.expected_progress is not None:
        return rnd.expected_progress
    try:
        return Round.DEFAULT_EXPECTED[rnd.code]
    except KeyError:
        raise NoExpectedProgress(rnd.code) from None


@dataclass(frozen=True)
class CloseSummary:
    warnings: int  # current warnings of the round after closing
    created: int
    replaced: int
    flagged: int  # counties flagged for diagnosis
    # Indicator codes whose units have not delivered the round data (单位未报送): no warning
    # of any reason for any county on them (spec/scoring.md, 未报送); their units are reminded.
    undelivered: tuple[str, ...] = ()


# What makes two warnings the same: a current warning whose figures differ is replaced. The
# expected progress is part of the warning (its gap): a change after reopening replaces the
# warning even when its reasons stay the same.
COMPARED = (
    "expected", "bottom_three", "behind_target", "not_reported", "progress", "place", "reported",
)  # fmt: skip


def _figures(f: WarningFigures, expected: Decimal) -> tuple:
    """The values of :data:`COMPARED` for the engine's figures ``f``."""
    return (
        expected, f.bottom_three, f.behind_target, f.not_reported, f.progress, f.place, f.reported,
    )  # fmt: skip


def compute_round(rnd: Round) -> tuple[RoundWarnings, dict, dict]:
    """The engine's warnings for ``rnd`` from the stored progress; no writes. Only the
    indicators whose units delivered the round data are warned on
    (:func:`scoring.entry.delivery.delivered_ids`): the others get no warning at all.

    Returns the engine result and the code → id maps of counties and of the delivered
    indicators.
    """
    cycle = rnd.cycle
    counties = dict(cycle.counties.values_list("code", "id"))
    delivered = delivered_ids(rnd)
    indicators = {
        code: pk
        for code, pk in Indicator.objects.filter(cycle=cycle)
        .order_by("order", "code")
        .values_list("code", "id")
        if pk in delivered
    }
    county_code = {v: k for k, v in counties.items()}
    indicator_code = {v: k for k, v in indicators.items()}
    # Rows pointing at another year's indicator (written past the models' checks) are not
    # progress or exemptions of this round's indicators: they are skipped.
    progress = {
        (county_code[c], indicator_code[i]): v
        for c, i, v in Progress.objects.filter(round=rnd).values_list(
            "county_id", "indicator_id", "value"
        )
        if c in county_code and i in indicator_code
    }
    exempt = {
        (county_code[c], indicator_code[i])
        for c, i in Exemption.objects.filter(cycle=cycle).values_list("county_id", "indicator_id")
        if c in county_code and i in indicator_code
    }
    figures = round_warnings(
        counties=list(counties),
        indicators=list(indicators),
        progress=progress,
        exempt=exempt,
        expected=expected_progress(rnd),
        tolerance=rnd.tolerance,
        diagnosis_threshold=rnd.diagnosis_threshold,
    )
    return figures, counties, indicators


def diff_warnings(rnd: Round, figures: RoundWarnings, county_id: dict, indicator_id: dict) -> tuple:
    """The round's current warnings ((county id, indicator id) → (pk, values)), the wanted
    ones (→ values) and the pks of the current ones that no longer hold."""
    expected = expected_progress(rnd)
    # Plain values, not model instances: a national round has hundreds of thousands.
    current = {
        (county, indicator): (pk, tuple(values))
        for pk, county, indicator, *values in Warning.objects.filter(
            round=rnd, replaced_at__isnull=True
        ).values_list("pk", "county_id", "indicator_id", *COMPARED)
    }
    wanted = {
        (county_id[c], indicator_id[i]): _figures(f, expected)
        for (c, i), f in figures.warnings.items()
    }
    stale = [
        pk for key, (pk, values) in current.items() if key not in wanted or values != wanted[key]
    ]
    return current, wanted, stale


def _issue_warnings(
    rnd: Round, current: dict, wanted: dict, stale: set, *, now, notify: bool
) -> int:
    """Insert the ``wanted`` warnings that are not current or whose current one is ``stale``
    (marked to be emailed with ``notify``); return how many."""
    return insert_rows(
        Warning,
        ["cycle_id", "round_id", "county_id", "indicator_id", *COMPARED, "status",
         "issued_at", "to_notify"],
        (
            (rnd.cycle_id, rnd.id, c, i, *values, Warning.Status.ISSUED.value, now, notify)
            for (c, i), values in wanted.items()
            if (c, i) not in current or current[(c, i)][0] in stale
        ),
    )  # fmt: skip


def _replace_flags(rnd: Round, diagnosis: dict, county_id: dict, now) -> int:
    """Mark replaced the round's current diagnosis flags that no longer hold and create the
    missing ones (``diagnosis``: county code → warning count); return how many counties are
    flagged."""
    flags = {
        f.county_id: f for f in DiagnosisFlag.objects.filter(round=rnd, replaced_at__isnull=True)
    }
    wanted = {county_id[c]: n for c, n in diagnosis.items()}
    stale = [f.pk for c, f in flags.items() if wanted.get(c) != f.warning_count]
    DiagnosisFlag.objects.filter(pk__in=stale).update(replaced_at=now)
    DiagnosisFlag.objects.bulk_create(
        DiagnosisFlag(cycle_id=rnd.cycle_id, round=rnd, county_id=c, warning_count=n)
        for c, n in wanted.items()
        if c not in flags or flags[c].pk in stale
    )
    return len(wanted)


def close_round(*, round: Round, actor=None, notify: bool = True) -> CloseSummary:
    """Close ``round`` and issue its warnings and diagnosis flags.

    Side effects: sets the round closed (keeping the first closing time), creates the
    warnings and flags that do not exist yet, marks replaced those that no longer hold, and
    writes one audit event; with ``notify``, marks the new warnings to be emailed (the outbox,
    in the same transaction) and, after the commit, queues their emails
    (:func:`alerts.delivery.schedule_notification`; the periodic sweep sends them if the
    broker was unreachable), and the units the indicators they have not delivered
    (:func:`alerts.reminders.schedule_late_reminders`, once per round and indicator).
    Undelivered indicators get no warning for any county. Safe to run twice or
    concurrently: the round row is locked and a current warning is unique per (round,
    county, indicator). Raises :class:`NotAPreAssessment` for the annual round,
    :class:`NoExpectedProgress` for a round with neither an expected progress nor a default
    for its code, and :class:`~assessment.services.CycleReadOnly` when the round's cycle is
    archived.
    """
    if round.kind != Round.Kind.PRE:
        raise NotAPreAssessment(round.code)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().select_related("cycle").get(pk=round.pk)
        ensure_cycle_writable(rnd.cycle)
        figures, county_id, indicator_id = compute_round(rnd)
        now = timezone.now()
        current, wanted, stale = diff_warnings(rnd, figures, county_id, indicator_id)
        Warning.objects.filter(pk__in=stale).update(replaced_at=now)
        created = _issue_warnings(rnd, current, wanted, set(stale), now=now, notify=notify)

        flagged = _replace_flags(rnd, figures.diagnosis, county_id, now)
        first_close = rnd.status != Round.Status.CLOSED
        if first_close:
            rnd.status = Round.Status.CLOSED
            rnd.closed_at = rnd.closed_at or now
            rnd.save(update_fields=["status", "closed_at"])
        late = undelivered(rnd)
        summary = CloseSummary(
            warnings=len(wanted),
            created=created,
            replaced=len(stale),
            flagged=flagged,
            undelivered=tuple(u.indicator.code for u in late),
        )
        if first_close or created or stale:
            data = {**asdict(summary), "undelivered": list(summary.undelivered)}
            record_event(rnd, summary="close_round", data=data, actor=actor)
        if notify:
            schedule_notification(rnd)
            if late:
                schedule_late_reminders(rnd)
    round.refresh_from_db()
    return summary


def reopen_round(*, round: Round, reason: str, actor=None) -> None:
    """Reopen a closed round so that its data can change; its warnings stay until it closes.

    Side effects: sets the round open and audits the change with ``reason``. Raises
    :class:`~assessment.services.CycleReadOnly` when the round's cycle is archived.
    """
    with transaction.atomic():
        rnd = Round.objects.select_for_update().select_related("cycle").get(pk=round.pk)
        ensure_cycle_writable(rnd.cycle)
        rnd.status = Round.Status.OPEN
        rnd.save(update_fields=["status"])
        record_event(rnd, summary="reopen_round", data={"reason": reason}, actor=actor)
    round.refresh_from_db()


def set_warning_status(*, warning: Warning, status: str, actor=None) -> Warning:
    """Move ``warning`` to ``status`` (issued, read, answered, closed).

    Side effects: saves the status and records who changed it, when, from what to what
    (warnings are not in auditlog's registry: see ``assessment/audit.py``), in one
    transaction. Nothing is written when the status does not change. Returns the warning.
    """
    status = Warning.Status(status)
    with transaction.atomic():
        old = Warning.objects.select_for_update().get(pk=warning.pk)
        warning.status = status
        if old.status == status:
            return warning
        new = copy.copy(old)
        new.status = status
        new.save(update_fields=["status"])
        record_change(old, new, actor=actor)
    return warning
