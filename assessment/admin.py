from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from assessment.models import Adjustment, County, Cycle, Round, Unit, User, Veto, VetoItem


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


@admin.register(VetoItem)
class VetoItemAdmin(admin.ModelAdmin):
    list_display = ["name", "first_year", "last_year", "basis"]


@admin.register(Veto)
class VetoAdmin(admin.ModelAdmin):
    list_display = ["cycle", "county", "item", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county"]
