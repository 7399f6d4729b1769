from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from assessment.models import (
    Adjustment,
    AssessmentTeam,
    Assessor,
    AssessorPosting,
    AssessorTraining,
    County,
    Cycle,
    PledgeCheck,
    PledgeItem,
    PledgeReview,
    PledgeSigning,
    Round,
    Unit,
    User,
    Veto,
    VetoItem,
)
from assessment.services import set_cycle_status


def is_archived(obj) -> bool:
    """Whether ``obj`` (a cycle, or an object with a ``cycle``) belongs to an archived year."""
    cycle = obj if isinstance(obj, Cycle) else getattr(obj, "cycle", None)
    return cycle is not None and cycle.status == Cycle.Status.ARCHIVED


def _year_label(obj) -> str:
    label, year = str(obj), str(obj.cycle.year)
    return label if label.startswith(year) else f"{year} · {label}"


class ArchivedReadOnlyMixin:
    """The objects of an archived cycle are shown read-only (assessment.services), and the
    choices of a year's objects (indicators, items, rounds, categories) show their year, so
    that a row is not pointed at another year by mistake (the models refuse it anyway)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        year_bound = related is not Cycle and any(
            f.name == "cycle" for f in related._meta.get_fields()
        )
        if year_bound and db_field.name not in getattr(self, "raw_id_fields", ()):
            kwargs.setdefault(
                "queryset",
                related._default_manager.select_related("cycle").order_by("-cycle__year", "pk"),
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if year_bound and hasattr(formfield, "label_from_instance"):
            formfield.label_from_instance = _year_label
        return formfield

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and is_archived(obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and is_archived(obj))


class ArchivedReadOnlyInlineMixin(ArchivedReadOnlyMixin):
    """An inline under an archived cycle (``obj`` is the parent) takes no new rows either."""

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and is_archived(obj))


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
        (_("Role"), {"fields": ("role", "unit", "county", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ("role", "unit", "county", "language")}),
    )


class RoundInline(ArchivedReadOnlyInlineMixin, admin.TabularInline):
    model = Round
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "total_points", "excellent_ratio", "results_computed_at"]
    list_filter = ["status"]
    filter_horizontal = ["counties"]
    inlines = [RoundInline]

    def get_readonly_fields(self, request, obj=None):
        # An archived year keeps its settings and counties; only its status can change back.
        # The stored status decides: after a refused POST, ``obj`` holds the submitted one.
        if (
            obj is not None
            and Cycle.objects.filter(pk=obj.pk, status=Cycle.Status.ARCHIVED).exists()
        ):
            return [
                f.name
                for f in Cycle._meta.fields
                if f.editable and not f.primary_key and f.name != "status"
            ] + ["counties"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # The form's clean (Cycle.clean) has run the activation checks; the status itself
        # changes through the service, which audits it with its actor.
        if not change or "status" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        status = obj.status
        obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        set_cycle_status(cycle=obj, status=status, actor=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # The cycle itself stays editable (that is where it is set back to active), but an
        # archived one is not deleted (assessment.services.refuse_archived_delete).
        return super().has_delete_permission(request, obj) and not (obj and is_archived(obj))

    def delete_queryset(self, request, queryset) -> None:
        archived = queryset.filter(status=Cycle.Status.ARCHIVED)
        if archived.exists():
            self.message_user(
                request,
                _("Archived cycles are not deleted: %(years)s.")
                % {"years": ", ".join(str(c.year) for c in archived)},
                level=messages.ERROR,
            )
            return
        super().delete_queryset(request, queryset)


@admin.register(Round)
class RoundAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "code", "name", "kind", "status", "opens_on", "closes_on"]
    list_filter = ["kind", "status", "cycle"]
    list_select_related = ["cycle"]


@admin.register(Adjustment)
class AdjustmentAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "county", "points", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county"]


@admin.register(VetoItem)
class VetoItemAdmin(admin.ModelAdmin):
    list_display = ["name", "first_year", "last_year", "basis"]


@admin.register(Veto)
class VetoAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "county", "item", "reason"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county"]


@admin.register(PledgeItem)
class PledgeItemAdmin(admin.ModelAdmin):
    list_display = ["name", "issuing_unit", "first_year", "last_year", "basis"]
    list_select_related = ["issuing_unit"]


@admin.register(PledgeReview)
class PledgeReviewAdmin(admin.ModelAdmin):
    list_display = ["year", "reviewed_at", "reviewed_by"]


@admin.register(PledgeSigning)
class PledgeSigningAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "county", "item", "signed_on"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "county", "item"]


@admin.register(PledgeCheck)
class PledgeCheckAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "checked_on", "item", "problems_found"]
    list_filter = ["cycle", "problems_found"]
    list_select_related = ["cycle", "item"]


class AssessorPostingInline(admin.TabularInline):
    model = AssessorPosting
    extra = 0


class AssessorTrainingInline(admin.TabularInline):
    model = AssessorTraining
    extra = 0


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "home_county", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["unit", "home_county"]
    inlines = [AssessorPostingInline, AssessorTrainingInline]


@admin.register(AssessmentTeam)
class AssessmentTeamAdmin(ArchivedReadOnlyMixin, admin.ModelAdmin):
    list_display = ["cycle", "kind", "name", "leader"]
    list_filter = ["cycle", "kind"]
    list_select_related = ["cycle", "leader"]
