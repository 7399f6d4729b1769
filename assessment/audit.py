"""The audit trail: who changed what, when, from what to what.

Single-object changes (a rule edited in the admin, a grade overridden, a status changed) are
recorded by django-auditlog for every registered model. Bulk operations that bypass model
saves (an import, a computation, a round closing) record one explicit event each with
:func:`record_event`, naming what they did and how many rows they touched.

The high-volume tables (annual inputs, progress, warnings: millions of rows at national
scale) are deliberately not registered: auditlog's delete signals would stop Django from
deleting them in bulk. Their changes are recorded explicitly, cell by cell where a person
makes them (:func:`record_change`, used by the admin), and as one event per bulk operation.
"""

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model


def register_models() -> None:
    from assessment.models import (
        Adjustment,
        County,
        CountyResult,
        Cycle,
        Round,
        Unit,
        User,
        Veto,
    )
    from indicators.models import Category, Indicator, RuleItem
    from scoring.models import Exemption

    for model in (
        Adjustment, County, Cycle, Round, Unit, Veto, Category, Indicator, RuleItem,
        Exemption,
    ):  # fmt: skip
        if not auditlog.contains(model):
            auditlog.register(model)
    if not auditlog.contains(CountyResult):
        # Results are rewritten in bulk by each computation (one event per run); what a person
        # changes on a result is the grade override, which is what the entries record.
        auditlog.register(
            CountyResult,
            include_fields=["grade_override", "override_reason", "computed_grade", "total"],
        )
    if not auditlog.contains(User):
        auditlog.register(
            User,
            include_fields=["username", "role", "unit", "county", "is_active", "is_superuser"],
        )


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


def record_change(old: Model | None, new: Model, *, actor=None) -> LogEntry | None:
    """Record the field changes of one object saved outside auditlog's registry."""
    changes = model_instance_diff(old, new)
    if not changes:
        return None
    action = LogEntry.Action.CREATE if old is None else LogEntry.Action.UPDATE
    kwargs = {"action": action, "changes": changes}
    if actor is not None:
        kwargs["actor"] = actor
    return LogEntry.objects.log_create(new, **kwargs)
