"""The routine assessment archive (平时考核): observations of each county team through the
year, positive or negative, with private attachments. The lead department's alone."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessment.audit import acting
from assessment.models import County, Cycle, RoutineRecord
from assessment.services import ensure_cycle_writable
from assessment.uploads import safe_name


def record_observation(
    *, cycle: Cycle, county: County, observed_on, source: str, polarity: str, text: str,
    attachment=None, actor=None,
) -> RoutineRecord:  # fmt: skip
    """Add an observation to ``county``'s archive in ``cycle``.

    Side effects: one RoutineRecord (audited) and its private attachment. Raises
    ValidationError when the year is archived, the county is not in it, or the text is empty.
    """
    ensure_cycle_writable(cycle, refusal=ValidationError)
    if not cycle.counties.filter(pk=county.pk).exists():
        raise ValidationError(_("%(county)s is not appraised in %(year)s.") % {
            "county": county, "year": cycle.year,
        })  # fmt: skip
    if not text.strip():
        raise ValidationError(_("Write what was observed."))
    with transaction.atomic(), acting(actor):
        record = RoutineRecord(
            cycle=cycle, county=county, observed_on=observed_on, source=source,
            polarity=polarity, text=text.strip(), recorded_by=actor,
        )  # fmt: skip
        if attachment is not None:
            record.attachment_name = safe_name(attachment.name)
            record.attachment.save(record.attachment_name, attachment, save=False)
        record.save()
    return record


def counts_by_county(cycle: Cycle) -> dict[int, tuple[int, int]]:
    """County id → (positive, negative) records of ``cycle``. One query."""
    rows = (
        RoutineRecord.objects.filter(cycle=cycle)
        .values("county_id")
        .annotate(
            positive=Count("id", filter=Q(polarity=RoutineRecord.Polarity.POSITIVE)),
            negative=Count("id", filter=Q(polarity=RoutineRecord.Polarity.NEGATIVE)),
        )
    )
    return {row["county_id"]: (row["positive"], row["negative"]) for row in rows}
