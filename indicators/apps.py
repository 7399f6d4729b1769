from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from assessment.audit import register
        from assessment.services import register_activation_check
        from indicators.models import (
            Category,
            Indicator,
            IndicatorProposal,
            RuleItem,
            UnitEvaluation,
        )
        from indicators.services import weight_problems

        register(Category, Indicator, IndicatorProposal, RuleItem, UnitEvaluation)
        register_activation_check(weight_problems)
