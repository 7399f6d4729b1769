"""The indicator system of a year, as every role reads it (without any score)."""

from collections import defaultdict
from decimal import Decimal

from django.views.generic import TemplateView

from assessment.access import ALL_ROLES, RoleRequiredMixin, get_cycle_or_404
from assessment.models import Cycle
from indicators.describe import describe_rule
from indicators.models import Category, Indicator, RuleItem


class IndicatorSystemView(RoleRequiredMixin, TemplateView):
    """Categories, indicators and rule items of a year. Every role reads it; a unit sees its
    own indicators highlighted. No score appears here."""

    access_roles = ALL_ROLES
    template_name = "indicators/system.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = get_cycle_or_404(self.kwargs["year"])
        indicators = list(
            Indicator.objects.filter(cycle=cycle).select_related("unit").order_by("order", "code")
        )
        items_by_indicator = defaultdict(list)
        for item in RuleItem.objects.filter(cycle=cycle).order_by("order", "code"):
            items_by_indicator[item.indicator_id].append(item)
        by_category = defaultdict(list)
        for ind in indicators:
            ind.rule_items = items_by_indicator[ind.id]
            for item in ind.rule_items:
                item.explained = describe_rule(item.method, item.params, ind.direction)
            by_category[ind.category_id].append(ind)
        categories = []
        for category in Category.objects.filter(cycle=cycle).order_by("order", "id"):
            category.indicator_list = by_category[category.id]
            category.weights = sum((i.weight for i in category.indicator_list), Decimal(0))
            categories.append(category)
        weights = sum((i.weight for i in indicators), Decimal(0))
        user = self.request.user
        context.update(
            cycle=cycle,
            years=list(Cycle.objects.order_by("-year").values_list("year", flat=True)),
            categories=categories,
            indicator_count=len(indicators),
            weights=weights,
            weights_ok=weights == cycle.total_points,
            own_unit_id=user.unit_id if user.is_unit else None,
        )
        return context
