from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from alerts.audit import register_models

        register_models()

        from alerts.workbooks import run_warnings_export
        from assessment.jobs.services import register_runner
        from scoring.models import FileJob

        register_runner(FileJob.Kind.EXPORT_WARNINGS, run_warnings_export)
