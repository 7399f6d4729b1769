from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from assessment.audit import register
        from reports import signals  # noqa: F401  (connects the receivers)
        from reports.models import ForecastShare, Objection, Publication

        register(ForecastShare, Objection, Publication)

        from reports.services import register_job_kinds

        register_job_kinds()
