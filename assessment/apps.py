from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_delete

        from assessment import audit, checks  # noqa: F401 (registers the system checks)
        from assessment.middleware import mark_session_renewed
        from assessment.models import Cycle
        from assessment.services import refuse_archived_delete

        audit.register_models()
        pre_delete.connect(refuse_archived_delete, sender=Cycle, dispatch_uid="archived_cycle")
        user_logged_in.connect(mark_session_renewed, dispatch_uid="session_renewed")
