from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    Adjustment,
    County,
    CountyResult,
    Cycle,
    IndicatorResult,
    IndicatorStat,
    ItemScore,
    Round,
    Unit,
    User,
    Veto,
)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "role", "unit", "county", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    list_select_related = ["unit", "county"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Role"), {"fields": ("role", "unit", "county")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("role", "unit", "county")}),
    )


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "total_points", "excellent_ratio", "results_computed_at"]
    list_filter = ["status"]
    filter_horizontal = ["counties"]
    inlines = [RoundInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["cycle", "code", "name", "kind", "status", "opens_on", "closes_on"]
    list_filter = ["kind", "status", "cycle"]
    list_select_related = ["cycle"]


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin):
    list_display = ["cycle", "county", "points", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county"]


@admin.register(Veto)
class VetoAdmin(admin.ModelAdmin):
    list_display = ["cycle", "county", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county"]


class ComputedAdmin(admin.ModelAdmin):
    """Computed rows are written by the engine only; the admin shows them read-only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CountyResult)
class CountyResultAdmin(admin.ModelAdmin):
    list_display = ["cycle", "county", "total", "rank", "computed_grade", "grade_override"]
    list_filter = ["cycle", "computed_grade"]
    list_select_related = ["cycle", "county"]
    readonly_fields = [
        "cycle", "county", "indicator_points", "adjustment", "total", "rank", "vetoed",
        "computed_grade", "override_by", "override_at",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ComputedAdmin):
    list_display = ["cycle", "county", "indicator", "points", "rank", "exempt"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county", "indicator"]


@admin.register(ItemScore)
class ItemScoreAdmin(ComputedAdmin):
    list_display = ["cycle", "county", "item", "score"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county", "item"]


@admin.register(IndicatorStat)
class IndicatorStatAdmin(ComputedAdmin):
    list_display = ["cycle", "indicator", "highest", "lowest", "average"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "indicator"]
