from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from alerts.audit import register_models

        register_models()

        from alerts.workbooks import register_job_kinds

        register_job_kinds()

        from alerts import tasks  # noqa: F401 (registers what a given-up job is audited on)
