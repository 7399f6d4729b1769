"""Detailed rules (考核细则): a unit writes the rule items of its indicators and submits
them; the lead department approves (freezes) or returns them with a comment, and reopens
approved rules with a reason — the review workflow of the frame (``assessment.review``) with
the rules' :data:`RULES` (its locks: :func:`rules_lock` for the unit's changes, the cycle's
for a review). Every change checks, saves and audits in one transaction.
"""

from decimal import Decimal

from auditlog.context import set_actor
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.refusals import Refused
from assessment.review import services as review
from assessment.review.services import Lock, Locked, cycle_lock
from indicators.models import Indicator, RuleItem
from indicators.params import ParamError, parse_params, plain

Status = Indicator.RulesStatus
HUNDRED = Decimal(100)


class RulesError(Refused):
    """Rules that cannot be saved or submitted; ``messages`` lists every problem."""


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
                *(
                    _("Item %(code)s already has entered data and cannot be removed.") % {"code": c}
                    for c in used
                )
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


def _relock(indicator: Indicator) -> Indicator:
    return Indicator.objects.select_for_update().select_related("cycle").get(pk=indicator.pk)


def _check(indicator: Indicator) -> None:
    problems = rules_problems(indicator, list(indicator.items.order_by("order", "code")))
    if problems:
        raise RulesError(*problems)


RULES = review.Workflow(
    status="rules_status",
    comment="rules_comment",
    relock=_relock,
    edit_lock=rules_lock,
    review_lock=lambda indicator, reopening: cycle_lock(indicator.cycle),
    check=_check,
    wrong_status=gettext_lazy("Not possible while the rules are %(status)s."),
    resubmitted=gettext_lazy("The rules are submitted and wait for the lead department's review."),
)


def submit_rules(*, indicator: Indicator, actor) -> None:
    """Submit the rules for review. Side effects: status submitted, audited. Raises
    :class:`Locked`, or :class:`RulesError` listing what is wrong with the rules."""
    review.submit(RULES, indicator, actor=actor)
    indicator.refresh_from_db()


def approve_rules(*, indicator: Indicator, actor) -> None:
    """Approve submitted rules: they are frozen and appear in the booklet. Audited."""
    review.approve(RULES, indicator, actor=actor)
    indicator.refresh_from_db()


def return_rules(*, indicator: Indicator, actor, comment: str) -> None:
    """Return submitted rules to the unit with ``comment``. Audited with the comment."""
    review.return_(RULES, indicator, actor=actor, comment=comment)
    indicator.refresh_from_db()


def reopen_rules(*, indicator: Indicator, actor, reason: str) -> None:
    """Reopen approved rules for changes (back to draft). Audited with ``reason``."""
    review.reopen(RULES, indicator, actor=actor, reason=reason)
    indicator.refresh_from_db()
