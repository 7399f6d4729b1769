from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Data interface")

    def ready(self) -> None:
        from api.models import ApiToken
        from assessment.audit import register

        # Issuing and revoking a token grants and withdraws a permission: audited. The
        # digest is not a secret worth hiding, but it says nothing to a reader either.
        register(ApiToken, exclude_fields=["digest", "last_used_at"])
