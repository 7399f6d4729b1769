from django.contrib import admin

from assessment.admin import ArchivedReadOnlyInlineMixin, ArchivedReadOnlyMixin
from indicators.models import Category, Indicator, RuleItem, UnitEvaluation


@admin.register(Category)
class CategoryAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "name", "order"]
    list_filter = ["cycle"]
    list_select_related = ["cycle"]


class RuleItemInline(ArchivedReadOnlyInlineMixin, admin.TabularInline):
    model = RuleItem
    extra = 0
    fields = ["code", "name", "share", "method", "params", "order"]


@admin.register(Indicator)
class IndicatorAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "code", "name", "category", "weight", "unit", "direction"]
    list_filter = ["cycle", "unit", "direction", "rules_status"]
    list_select_related = ["cycle", "category", "unit"]
    search_fields = ["code", "name"]
    inlines = [RuleItemInline]


@admin.register(RuleItem)
class RuleItemAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "code", "indicator", "name", "share", "method", "params"]
    list_filter = ["cycle", "method"]
    list_select_related = ["cycle", "indicator"]
    search_fields = ["code", "name"]


@admin.register(UnitEvaluation)
class UnitEvaluationAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "unit", "county", "status", "updated_at"]
    list_filter = ["cycle", "status"]
    list_select_related = ["cycle", "unit", "county"]
