"""The audit trail: who changed what, when, from what to what.

Single-object changes (a rule edited in the admin, a grade overridden, a status changed) are
recorded by django-auditlog for every registered model. Bulk operations that bypass model
saves (an import, a computation, a round closing) record one explicit event each with
:func:`indicators.audit.record_event`, naming what they did and how many rows they touched.

The high-volume tables (annual inputs, progress, warnings: millions of rows at national
scale) are deliberately not registered: auditlog's delete signals would stop Django from
deleting them in bulk. Their changes are recorded explicitly, cell by cell where a person
makes them (:func:`indicators.audit.record_change`), and as one event per bulk operation.
"""

from auditlog.registry import auditlog


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
        # Everything that grants or withdraws a permission: the role and its binding, the
        # account's state, admin access, and Django's groups and permissions.
        auditlog.register(
            User,
            include_fields=[
                "username", "role", "unit", "county", "is_active", "is_staff", "is_superuser",
            ],
            m2m_fields={"groups", "user_permissions"},
        )  # fmt: skip
