from django.contrib import admin

from assessment.audit import record_change
from scoring.models import (
    AnnualInput,
    CountyResult,
    Exemption,
    IndicatorResult,
    IndicatorStat,
    ItemScore,
    Progress,
)


class CellAuditAdmin(admin.ModelAdmin):
    """Inputs are not in auditlog's registry (see assessment/audit.py); record edits here."""

    def save_model(self, request, obj, form, change) -> None:
        old = type(obj).objects.get(pk=obj.pk) if change else None
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        record_change(old, obj, actor=request.user)


@admin.register(AnnualInput)
class AnnualInputAdmin(CellAuditAdmin):
    list_display = ["cycle", "county", "item", "actual", "target", "updated_at"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county", "item"]
    raw_id_fields = ["item", "county", "updated_by"]


@admin.register(Progress)
class ProgressAdmin(CellAuditAdmin):
    list_display = ["round", "county", "indicator", "value", "updated_at"]
    list_filter = ["cycle", "round__code"]
    list_select_related = ["round__cycle", "county", "indicator"]
    raw_id_fields = ["indicator", "county", "updated_by", "round"]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["cycle", "county", "indicator", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county", "indicator"]


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
