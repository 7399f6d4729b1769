"""Detailed rules (考核细则): a unit writes the rule items of its indicators and submits
them; the lead department approves (freezes) or returns them with a comment, and reopens
approved rules with a reason. Every change checks :func:`rules_lock`, saves and audits in one
transaction.

:class:`Lock` and :func:`cycle_lock` are shared with the entry of scores
(``scoring.entry.services``), which builds its guard on them.
"""

from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import disable_auditlog, set_actor
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import record_change
from assessment.models import Cycle
from assessment.services import CycleReadOnly, ensure_cycle_writable
from indicators.models import Indicator, RuleItem
from indicators.params import ParamError, parse_params, plain

Status = Indicator.RulesStatus
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Lock:
    """Why something cannot change now, and who can change that."""

    reason: str  # "cycle_archived", "round_pending", "round_closed" or "approved"
    message: str
    who: str


class Locked(Exception):
    def __init__(self, lock: Lock):
        self.lock = lock
        super().__init__(lock.message)


class RulesError(ValueError):
    """Rules that cannot be saved or submitted, or a status change that does not apply;
    ``messages`` lists every problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def cycle_lock(cycle: Cycle) -> Lock | None:
    """The lock of an archived cycle (the frame's guard, ensure_cycle_writable): its rules
    and data are kept as they were."""
    try:
        ensure_cycle_writable(cycle)
    except CycleReadOnly as exc:
        return Lock("cycle_archived", str(exc), "")
    return None


def rules_lock(indicator: Indicator) -> Lock | None:
    """Whether the rules of ``indicator`` can be edited: not in an archived cycle, not while
    submitted (the lead department is reviewing them), not once approved."""
    lock = cycle_lock(indicator.cycle)
    if lock is not None:
        return lock
    if indicator.rules_status == Status.APPROVED:
        return Lock(
            "approved",
            _("The rules are approved and frozen."),
            _("Only the lead department can reopen them, with a reason."),
        )
    if indicator.rules_status == Status.SUBMITTED:
        return Lock(
            "submitted",
            _("The rules are submitted and wait for the lead department's review."),
            _("The lead department approves them or returns them to the unit."),
        )
    return None


def rules_problems(indicator: Indicator, items: list[RuleItem]) -> list[str]:
    """What stops the rules from being submitted: no item, shares not summing to 100,
    parameters that do not parse for the indicator's direction."""
    if not items:
        return [_("The indicator has no rule item.")]
    problems = []
    total = sum((item.share for item in items), Decimal(0))
    if total != HUNDRED:
        problems.append(
            _("The shares of the items sum to %(total)s, not 100.") % {"total": plain(total)}
        )
    for item in items:
        try:
            parse_params(item.method, item.params, indicator.direction)
        except ParamError as exc:
            problems.append(
                _("Item %(code)s: %(errors)s")
                % {"code": item.code, "errors": "; ".join(exc.messages)}
            )
    return problems


def save_rules(
    *, indicator: Indicator, direction: str, items: list[dict], delete: list[RuleItem], actor
) -> None:
    """Save the rule items of ``indicator`` as the rules form has checked them.

    ``items`` holds one dict per item to create or update (``instance`` None for a new one;
    code, name, content, share, method, params, order); ``delete`` the items removed.
    Side effects: writes the items and the direction, each change audited (auditlog) with
    ``actor``. Raises :class:`Locked` when the rules cannot be edited and :class:`RulesError`
    when an item is deleted that already has entered data.
    """
    with transaction.atomic(), set_actor(actor):
        locked = Indicator.objects.select_for_update().select_related("cycle").get(pk=indicator.pk)
        lock = rules_lock(locked)
        if lock is not None:
            raise Locked(lock)
        used = [item.code for item in delete if item.inputs.exists()]
        if used:
            raise RulesError(
                [
                    _("Item %(code)s already has entered data and cannot be removed.") % {"code": c}
                    for c in used
                ]
            )
        for item in delete:
            item.delete()
        if locked.direction != direction:
            locked.direction = direction
            locked.save(update_fields=["direction"])
        for values in items:
            item = values.pop("instance") or RuleItem(cycle_id=locked.cycle_id, indicator=locked)
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
    indicator.refresh_from_db()


def _set_status(indicator: Indicator, actor, data: dict | None, **fields) -> None:
    old = Indicator.objects.get(pk=indicator.pk)
    for name, value in fields.items():
        setattr(indicator, name, value)
    # One entry with the reason instead of auditlog's own entry without it.
    with disable_auditlog():
        indicator.save(update_fields=list(fields))
    record_change(old, indicator, actor=actor, data=data)


def _locked(indicator: Indicator) -> Indicator:
    return Indicator.objects.select_for_update().select_related("cycle").get(pk=indicator.pk)


def _expect(indicator: Indicator, *statuses: str) -> None:
    if indicator.rules_status not in statuses:
        raise RulesError(
            [
                _("Not possible while the rules are %(status)s.")
                % {"status": indicator.get_rules_status_display()}
            ]
        )


def submit_rules(*, indicator: Indicator, actor) -> None:
    """Submit the rules for review. Side effects: status submitted, audited. Raises
    :class:`Locked`, or :class:`RulesError` listing what is wrong with the rules."""
    with transaction.atomic():
        locked = _locked(indicator)
        lock = rules_lock(locked)
        if lock is not None:
            raise Locked(lock)
        problems = rules_problems(locked, list(locked.items.order_by("order", "code")))
        if problems:
            raise RulesError(problems)
        _set_status(locked, actor, None, rules_status=Status.SUBMITTED)
    indicator.refresh_from_db()


def _review(indicator: Indicator, actor, expect: str, data: dict | None, **fields) -> None:
    with transaction.atomic():
        locked = _locked(indicator)
        lock = cycle_lock(locked.cycle)
        if lock is not None:
            raise Locked(lock)
        _expect(locked, expect)
        _set_status(locked, actor, data, **fields)
    indicator.refresh_from_db()


def approve_rules(*, indicator: Indicator, actor) -> None:
    """Approve submitted rules: they are frozen and appear in the booklet. Audited."""
    _review(
        indicator, actor, Status.SUBMITTED, None, rules_status=Status.APPROVED, rules_comment=""
    )


def return_rules(*, indicator: Indicator, actor, comment: str) -> None:
    """Return submitted rules to the unit with ``comment``. Audited with the comment."""
    _review(
        indicator, actor, Status.SUBMITTED, {"comment": comment},
        rules_status=Status.RETURNED, rules_comment=comment,
    )  # fmt: skip


def reopen_rules(*, indicator: Indicator, actor, reason: str) -> None:
    """Reopen approved rules for changes (back to draft). Audited with ``reason``."""
    _review(
        indicator, actor, Status.APPROVED, {"reason": reason},
        rules_status=Status.DRAFT, rules_comment=reason,
    )  # fmt: skip
