from django.contrib import admin

from alerts.models import DiagnosisCase, DiagnosisFlag, Rectification, RectificationStep, Warning
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
        "read_at", "notified_at",
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


class ViewOnlyAdmin(admin.ModelAdmin):
    """Shown to the lead department for searching; the work happens on the pages (with their
    checks, history and audit), so nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DiagnosisCase)
class DiagnosisCaseAdmin(ViewOnlyAdmin):
    list_display = ["round", "county", "status", "opened_at", "sent_at", "read_at"]
    list_filter = ["round__cycle", "status"]
    list_select_related = ["round__cycle", "county"]


class RectificationStepInline(admin.TabularInline):
    model = RectificationStep
    fields = ["at", "action", "actor", "comment"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rectification)
class RectificationAdmin(ViewOnlyAdmin):
    list_display = ["county", "warning", "case", "owner", "deadline", "status", "updated_at"]
    list_filter = ["cycle", "status"]
    list_select_related = ["county", "warning__round__cycle", "case__round__cycle"]
    inlines = [RectificationStepInline]
