from django.contrib import admin

from alerts.models import DiagnosisFlag, Warning
from alerts.services import set_warning_status
from assessment.admin import ArchivedReadOnlyMixin


@admin.register(Warning)
class WarningAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "round", "county", "indicator", "bottom_three", "behind_target", "not_reported",
        "progress", "status", "replaced_at",
    ]  # fmt: skip
    list_filter = ["round__cycle", "round__code", "status"]
    list_select_related = ["round__cycle", "county", "indicator"]
    readonly_fields = [
        "cycle", "round", "county", "indicator", "bottom_three", "behind_target",
        "not_reported", "progress", "place", "reported", "expected", "issued_at", "replaced_at",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # The status is the one editable field; the service saves and audits it.
        set_warning_status(warning=obj, status=obj.status, actor=request.user)


@admin.register(DiagnosisFlag)
class DiagnosisFlagAdmin(admin.ModelAdmin):
    list_display = ["round", "county", "warning_count", "flagged_at", "replaced_at"]
    list_filter = ["round__cycle", "round__code"]
    list_select_related = ["round__cycle", "county"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
