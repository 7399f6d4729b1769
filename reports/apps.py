from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from assessment.audit import register
        from reports import signals  # noqa: F401  (connects the receivers)
        from reports.models import Objection, Publication

        register(Objection, Publication)

        from assessment.jobs.services import register_runner
        from reports.services import run_results_export
        from scoring.models import FileJob

        register_runner(FileJob.Kind.EXPORT_RESULTS, run_results_export)
