from django.contrib import admin

from indicators.audit import record_change
from scoring.models import AnnualInput, Exemption, Progress


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
