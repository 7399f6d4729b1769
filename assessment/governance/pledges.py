"""Responsibility pledges (责任状) under list management: signings and spot checks against the
list, and its yearly clean-up review.

A county may be asked to sign only a matter of the list that applies to the year; a unit only
a matter it issues. Creations and deletions are audited by auditlog (PledgeItem,
PledgeSigning and PledgeCheck are registered, with a check's counties), the review by one
explicit event.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessment.audit import acting, record_event
from assessment.models import (
    County,
    Cycle,
    PledgeCheck,
    PledgeItem,
    PledgeReview,
    PledgeSigning,
    User,
)
from assessment.services import ensure_cycle_writable


def signable_items(*, year: int, user: User):
    """The matters ``user`` may ask a county to sign in ``year``: those of the list that apply
    to the year; for a unit, only those it issues."""
    items = PledgeItem.for_year(year).select_related("issuing_unit").order_by("id")
    if user.is_unit:
        items = items.filter(issuing_unit_id=user.unit_id)
    return items


def off_list_reason(item: PledgeItem, *, year: int, user: User) -> str | None:
    """Why ``user`` may not ask a county to sign ``item`` in ``year``; None when it may."""
    if not item.applies_to(year):
        return _("“%(item)s” is not on the pledge list of %(year)s: a county may be asked to sign "
                 "only a matter of the list, which the lead department keeps with its basis.") % {
            "item": item.name, "year": year,
        }  # fmt: skip
    if user.is_unit and item.issuing_unit_id != user.unit_id:
        return _("“%(item)s” is issued by %(unit)s: a unit asks counties to sign only the matters "
                 "it issues.") % {"item": item.name, "unit": item.issuing_unit.name}  # fmt: skip
    return None


def record_signing(
    *, cycle: Cycle, county: County, item: PledgeItem, signed_on: date, note: str = "", actor: User
) -> PledgeSigning:
    """Record that ``county`` signed ``item`` in ``cycle``'s year.

    Side effects: one PledgeSigning, audited with its actor. Raises ValidationError when the
    year is archived, the county is not appraised in it, the matter is not on the year's list
    (or, for a unit, not its own), or the county signed it already this year.
    """
    ensure_cycle_writable(cycle, refusal=ValidationError)
    if not cycle.counties.filter(pk=county.pk).exists():
        raise ValidationError(_("%(county)s is not appraised in %(year)s.") % {
            "county": county, "year": cycle.year,
        })  # fmt: skip
    reason = off_list_reason(item, year=cycle.year, user=actor)
    if reason:
        raise ValidationError(reason)
    try:
        with transaction.atomic(), acting(actor):
            return PledgeSigning.objects.create(
                cycle=cycle, county=county, item=item, signed_on=signed_on,
                note=note.strip(), recorded_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("%(county)s has signed “%(item)s” already in %(year)s.") % {
            "county": county.name, "item": item.name, "year": cycle.year,
        }) from None  # fmt: skip


def withdraw_signing(*, signing: PledgeSigning, actor: User) -> None:
    """Delete a signing recorded by mistake; audited with what it was."""
    ensure_cycle_writable(signing.cycle, refusal=ValidationError)
    with transaction.atomic(), acting(actor):
        signing.delete()


def record_check(
    *,
    cycle: Cycle,
    item: PledgeItem | None,
    checked_on: date,
    counties,
    findings: str,
    problems_found: bool,
    actor: User,
) -> PledgeCheck:
    """Record a spot check of the pledges in ``counties`` against ``item`` (None: the list).

    Side effects: one PledgeCheck with its counties, audited. Raises ValidationError when the
    year is archived, no county is named, the findings are empty or the matter is not on the
    year's list.
    """
    ensure_cycle_writable(cycle, refusal=ValidationError)
    counties = list(counties)
    if not counties:
        raise ValidationError(_("Name the counties checked."))
    if not findings.strip():
        raise ValidationError(_("Write the findings of the check."))
    if item is not None and not item.applies_to(cycle.year):
        raise ValidationError(_("“%(item)s” is not on the pledge list of %(year)s.") % {
            "item": item.name, "year": cycle.year,
        })  # fmt: skip
    with transaction.atomic(), acting(actor):
        check = PledgeCheck.objects.create(
            cycle=cycle, item=item, checked_on=checked_on, findings=findings.strip(),
            problems_found=problems_found, recorded_by=actor,
        )  # fmt: skip
        check.counties.set(counties)
    return check


def flagged_items(year: int) -> list[PledgeItem]:
    """The matters the yearly review flags for ``year``: those that apply to the year and have
    no basis."""
    items = PledgeItem.for_year(year).order_by("id")
    return [item for item in items if not item.basis.strip()]


def record_review(*, year: int, note: str = "", actor=None) -> PledgeReview:
    """Record the yearly clean-up review of the pledge list: the matters it flagged, by whom.

    Side effects: creates or updates the PledgeReview of ``year``; one audit event.
    """
    flagged = [{"id": item.pk, "name": item.name} for item in flagged_items(year)]
    with transaction.atomic():
        review, _created = PledgeReview.objects.update_or_create(
            year=year, defaults={"flagged": flagged, "note": note, "reviewed_by": actor}
        )
        record_event(
            review,
            summary="pledge_list_review",
            data={"year": year, "flagged": [f["name"] for f in flagged]},
            actor=actor,
        )
    return review
