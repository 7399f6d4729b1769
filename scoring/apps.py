from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from assessment.audit import register
        from indicators.preview import register_engine
        from indicators.signals import cycle_copied
        from scoring.models import CountyResult, Evidence, Exemption
        from scoring.results.engine import input_problems, score_one
        from scoring.signals import copy_targets
        from scoring.workbook.jobs import register_job_kinds

        cycle_copied.connect(copy_targets, dispatch_uid="scoring.copy_targets")
        # The rules form previews a sample value with the engine itself.
        register_engine(score_one=score_one, input_problems=input_problems)

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
