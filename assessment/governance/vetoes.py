"""The veto list (一票否决事项) and the vetoes recorded against it.

A veto recorded here is an ``assessment.Veto`` row like the workbook's: the results service
reads every Veto of the cycle, so the engine grades the county poor. Creations and deletions
are audited by auditlog (Veto and VetoItem are registered), with the actor of the request or
the one given.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.audit import acting, record_event
from assessment.models import County, Cycle, Veto, VetoItem, VetoReview
from assessment.services import ensure_cycle_writable
from assessment.uploads import safe_name


def record_veto(
    *, cycle: Cycle, county: County, item: VetoItem, evidence: str, attachment=None, actor=None
) -> Veto:
    """Record a veto of ``county`` in ``cycle`` under ``item`` with its evidence.

    Side effects: one Veto (reason = the item's name), its private attachment if any, an
    audit entry. Raises ValidationError when the year is archived, the county is not in it,
    the item does not apply to the year, or the evidence is empty.
    """
    ensure_cycle_writable(cycle, refusal=ValidationError)
    if not cycle.counties.filter(pk=county.pk).exists():
        raise ValidationError(_("%(county)s is not appraised in %(year)s.") % {
            "county": county, "year": cycle.year,
        })  # fmt: skip
    if not item.applies_to(cycle.year):
        raise ValidationError(_("The veto item “%(item)s” does not apply to %(year)s.") % {
            "item": item.name, "year": cycle.year,
        })  # fmt: skip
    if not evidence.strip():
        raise ValidationError(_("A veto needs its evidence."))
    with transaction.atomic(), acting(actor):
        veto = Veto(
            cycle=cycle,
            county=county,
            item=item,
            reason=item.name[:500],
            evidence=evidence.strip(),
            recorded_by=actor,
        )
        if attachment is not None:
            veto.attachment_name = safe_name(attachment.name)
            veto.attachment.save(veto.attachment_name, attachment, save=False)
        veto.save()
    return veto


def withdraw_veto(*, veto: Veto, actor=None) -> None:
    """Delete a veto (a mistaken record); audited with what it was."""
    ensure_cycle_writable(veto.cycle, refusal=ValidationError)
    with transaction.atomic(), acting(actor):
        attachment = veto.attachment.name
        veto.delete()
        if attachment:
            storage = Veto._meta.get_field("attachment").storage
            transaction.on_commit(lambda: storage.delete(attachment))


def flagged_items(year: int) -> list[VetoItem]:
    """The items of the veto list that the yearly review flags for ``year``: those that apply
    to the year and have no basis."""
    return [item for item in VetoItem.for_year(year).order_by("id") if not item.basis.strip()]


def record_review(*, year: int, note: str = "", actor=None) -> VetoReview:
    """Record the yearly review of the veto list: which items it flagged (no basis), by whom.

    Side effects: creates or updates the VetoReview of ``year``; one audit event.
    """
    flagged = [{"id": item.pk, "name": item.name} for item in flagged_items(year)]
    with transaction.atomic():
        review, _created = VetoReview.objects.update_or_create(
            year=year, defaults={"flagged": flagged, "note": note, "reviewed_by": actor}
        )
        record_event(
            review,
            summary="veto_list_review",
            data={"year": year, "flagged": [f["name"] for f in flagged]},
            actor=actor,
        )
    return review
