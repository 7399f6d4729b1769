"""Audit of the alerts' own objects.

Diagnosis cases and rectifications (with their steps) are few, so django-auditlog tracks
every change of them (registered in :class:`alerts.apps.AlertsConfig`); the services name
the actor with :func:`audit_actor`, so that a change made by a job or a test is attributed
as one made in a request is. Warnings are many: their status changes are explicit events.
"""

import contextlib

from auditlog.context import set_actor


def audit_actor(actor):
    """Attribute the audit entries written inside the block to ``actor`` (none: unchanged)."""
    return set_actor(actor) if actor is not None else contextlib.nullcontext()


def register_models() -> None:
    from alerts.models import DiagnosisCase, Rectification, RectificationStep
    from assessment.audit import register

    register(DiagnosisCase, m2m_fields={"experts"})
    register(Rectification, RectificationStep)
