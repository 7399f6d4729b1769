"""Audit helpers every app can call: one entry per bulk operation, or per object changed.

They live in the lowest app so that every app may import them (imports flow
indicators → scoring → assessment → alerts → reports). Which models django-auditlog tracks
by itself is declared in ``assessment/audit.py``.
"""

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.db.models import Model


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
