from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from assessment.audit import register
        from indicators.signals import cycle_copied
        from scoring import tasks  # noqa: F401 (registers what a given-up computation does)
        from scoring.models import CountyResult, Evidence, Exemption
        from scoring.signals import copy_targets
        from scoring.workbook.jobs import register_job_kinds

        # A plug-in of the year copy (indicators/signals.py): scoring copies what it owns.
        cycle_copied.connect(copy_targets, dispatch_uid="scoring.copy_targets")

        register_job_kinds()

        register(Exemption)
        register(Evidence, exclude_fields=["file"])
        # Results are rewritten in bulk by each computation (one event per run); what a person
        # changes on a result is the grade override, which is what the entries record.
        register(
            CountyResult,
            include_fields=[
                "grade_override", "override_reason", "override_by", "override_at", "computed_grade",
                "total",
            ],
        )  # fmt: skip
