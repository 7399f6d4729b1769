"""State changes of the year's frame, and the guards every app's writes go through.

:func:`ensure_cycle_writable` is the one guard against changing an archived year: the
computation, the round closing, the workbook import and the entry of data call it.
"""

import copy
from collections.abc import Callable

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import record_change
from assessment.models import Cycle
from assessment.refusals import Refused


class CycleReadOnly(Refused):
    """The cycle is archived: nothing of it may change until it is set back to active."""

    def __init__(self, cycle: Cycle):
        self.cycle = cycle
        super().__init__(
            _(
                "The %(year)s cycle is archived and therefore read-only. The lead department "
                "can set its status back to active in the administration to change it."
            )
            % {"year": cycle.year}
        )


def ensure_cycle_writable(
    cycle: Cycle, *, refusal: Callable[[str], Exception] | None = None
) -> None:
    """Raise :class:`CycleReadOnly` when ``cycle`` is archived; reads only its status. A
    service whose callers expect its own refusal (or a form's ValidationError) names it as
    ``refusal``: it is raised with the same message, instead of being re-raised later."""
    if cycle.status == Cycle.Status.ARCHIVED:
        read_only = CycleReadOnly(cycle)
        raise read_only if refusal is None else refusal(str(read_only))


def refuse_archived_delete(sender, instance: Cycle, **kwargs) -> None:
    """``pre_delete`` receiver: an archived cycle is not deleted, in the admin, by a replacing
    import or anywhere else (the deletion's transaction rolls back)."""
    ensure_cycle_writable(instance)


# Checks a cycle must pass to become active: callables ``check(cycle) -> list[str]`` that
# return the problems (empty when fine). Higher apps register theirs in ``AppConfig.ready``
# (indicators: the weights sum to the total points), so this app never imports them.
activation_checks: list[Callable[[Cycle], list[str]]] = []


def register_activation_check(check: Callable[[Cycle], list[str]]) -> None:
    """Add ``check`` to the checks of :func:`set_cycle_status` (once)."""
    if check not in activation_checks:
        activation_checks.append(check)


def activation_problems(cycle: Cycle) -> list[str]:
    """Every reason ``cycle`` (with its settings as they are in memory) cannot be active."""
    return [problem for check in activation_checks for problem in check(cycle)]


def set_cycle_status(*, cycle: Cycle, status: str, actor=None) -> Cycle:
    """Move ``cycle`` to ``status`` (draft, active, archived).

    Becoming active runs every registered activation check. Side effects: saves the status
    and records who changed it, from what to what, in one transaction; nothing is written
    when it does not change. Raises ``ValidationError`` (on ``status``) listing the checks'
    problems; then nothing is written. Returns ``cycle`` with its new status.
    """
    status = Cycle.Status(status)
    with transaction.atomic():
        old = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if old.status == status:
            cycle.status = status
            return cycle
        if status == Cycle.Status.ACTIVE:
            problems = activation_problems(old)
            if problems:
                raise ValidationError({"status": problems})
        new = copy.copy(old)
        new.status = status
        # auditlog would record the save without the actor outside a request.
        with disable_auditlog():
            new.save(update_fields=["status"])
        record_change(old, new, actor=actor)
    cycle.status = status
    return cycle
