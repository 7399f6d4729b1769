from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from assessment.audit import register
        from indicators.models import Category, Indicator, IndicatorProposal, RuleItem

        register(Category, Indicator, IndicatorProposal, RuleItem)
