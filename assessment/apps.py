from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from assessment import audit, checks  # noqa: F401 (registers the system checks)

        audit.register_models()
