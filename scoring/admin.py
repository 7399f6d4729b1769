from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessment.admin import ArchivedReadOnlyMixin
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
from scoring.results.services import override_grade


class CellAuditAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
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
class ExemptionAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "county", "indicator", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county", "indicator"]


class ComputedAdmin(admin.ModelAdmin):
    """Computed rows are written by the engine only; the admin shows them read-only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CountyResultAdminForm(forms.ModelForm):
    class Meta:
        model = CountyResult
        fields = ["grade_override", "override_reason"]

    def clean(self):
        cleaned = super().clean()
        # Setting and clearing an override both need a reason (it goes to the audit trail).
        if self.has_changed() and not cleaned.get("override_reason"):
            self.add_error("override_reason", _("A grade override needs a written reason."))
        return cleaned


@admin.register(CountyResult)
class CountyResultAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    form = CountyResultAdminForm
    list_display = ["cycle", "county", "total", "rank", "computed_grade", "grade_override"]
    list_filter = ["cycle", "computed_grade"]
    list_select_related = ["cycle", "county"]
    readonly_fields = [
        "cycle", "county", "indicator_points", "adjustment", "total", "rank", "vetoed",
        "computed_grade", "override_by", "override_at",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # The override is the one editable part; the service records who, when and why.
        if not form.has_changed():
            return
        override_grade(
            result=obj,
            grade=form.cleaned_data["grade_override"],
            reason=form.cleaned_data["override_reason"],
            actor=request.user,
        )


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
