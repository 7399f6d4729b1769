"""The audit trail: who changed what, when, from what to what.

Single-object changes (a rule edited in the admin, a grade overridden, a status changed) are
recorded by django-auditlog for every registered model; each app registers its own models in
its ``AppConfig.ready`` with :func:`register`. Bulk operations that bypass model saves (an
import, a computation, a round closing) record one explicit event each with
:func:`record_event`, naming what they did and how many rows they touched.

The high-volume tables (annual inputs, progress, warnings: millions of rows at national
scale) are deliberately not registered: auditlog's delete signals would stop Django from
deleting them in bulk. Their changes are recorded explicitly, cell by cell where a person
makes them (:func:`record_change`), and as one event per bulk operation.

These helpers live in the lowest app so that every app may call them.
"""

from contextlib import AbstractContextManager, nullcontext

from auditlog.context import set_actor
from auditlog.diff import get_field_value, model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model


def register(*models: type[Model], **options) -> None:
    """Have auditlog track ``models`` (once; ``options`` as auditlog.register takes them)."""
    for model in models:
        if not auditlog.contains(model):
            auditlog.register(model, **options)


def register_models() -> None:
    """Track the frame of the year: counties, units, cycles, rounds, adjustments, vetoes and
    every field of a user that grants or withdraws a permission."""
    from assessment.models import (
        Adjustment,
        AssessmentTeam,
        Assessor,
        AssessorPosting,
        AssessorTraining,
        County,
        Cycle,
        PlannedActivity,
        PledgeCheck,
        PledgeItem,
        PledgeSigning,
        Round,
        RoutineRecord,
        SpecialScore,
        SpecialTask,
        Unit,
        User,
        Veto,
        VetoItem,
    )

    register(Adjustment, County, Cycle, Round, RoutineRecord, SpecialScore, SpecialTask)
    register(Unit, Veto, VetoItem)
    # The plan's counties are what the duplicate check and the counties' view depend on.
    register(PlannedActivity, m2m_fields={"counties"})
    register(PledgeItem, PledgeSigning)
    register(PledgeCheck, m2m_fields={"counties"})
    register(Assessor, AssessorPosting, AssessorTraining)
    register(AssessmentTeam, m2m_fields={"members", "counties"})
    # Everything that grants or withdraws a permission: the role and its binding, the
    # account's state, admin access, and Django's groups and permissions.
    register(
        User,
        include_fields=[
            "username", "role", "unit", "county", "is_active", "is_staff", "is_superuser",
        ],
        m2m_fields={"groups", "user_permissions"},
    )  # fmt: skip


def record_event(
    instance: Model,
    *,
    summary: str,
    data: dict | None = None,
    action: int = LogEntry.Action.UPDATE,
    actor=None,
) -> LogEntry:
    """Write one audit entry about ``instance`` for an operation done in bulk.

    ``summary`` is a short description; ``data`` holds the figures (rows written, file name).
    The actor defaults to the user of the current request (auditlog's middleware), or none
    for a management command.
    """
    kwargs = {
        "action": action,
        "changes": {"event": [None, summary]},
        "additional_data": data or {},
    }
    if actor is not None:
        kwargs["actor"] = actor
    return LogEntry.objects.log_create(instance, force_log=True, **kwargs)


def record_change(
    old: Model | None,
    new: Model,
    *,
    actor=None,
    data: dict | None = None,
    fields: tuple[str, ...] | None = None,
) -> LogEntry | None:
    """Record the field changes of one object saved outside auditlog's registry.

    ``data`` is kept with the entry (a reason, for instance); ``fields`` limits the entry to
    those fields. Nothing is written when no field changed.
    """
    changes = _diff(old, new)
    if fields is not None:
        changes = {name: change for name, change in changes.items() if name in fields}
    if not changes:
        return None
    action = LogEntry.Action.CREATE if old is None else LogEntry.Action.UPDATE
    kwargs = {"action": action, "changes": changes}
    if data:
        kwargs["additional_data"] = data
    if actor is not None:
        kwargs["actor"] = actor
    return LogEntry.objects.log_create(new, **kwargs)


def _diff(old: Model | None, new: Model) -> dict:
    """auditlog's diff for a registered model; for an unregistered one (auditlog's own diff
    needs the registry), every concrete field that changed, as auditlog writes it."""
    if auditlog.contains(type(new)):
        return model_instance_diff(old, new) or {}
    changes = {}
    for field in new._meta.concrete_fields:
        before = get_field_value(old, field) if old is not None else None
        after = get_field_value(new, field)
        if before != after:
            changes[field.name] = [before, after]
    return changes


def acting(actor) -> AbstractContextManager:
    """Attribute the auditlog entries written inside the block to ``actor`` (a service called
    outside a request, or by a command); no change when ``actor`` is None."""
    return set_actor(actor) if actor is not None else nullcontext()
