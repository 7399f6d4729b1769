"""Evidence materials (佐证材料): files a county uploads for an indicator in a round.

Checked and stored through ``assessment.uploads`` (type by content, size limit, sanitized
name, private storage). Uploading and removing follow the entry's round: open, in a cycle
that is not archived.
"""

from django.db import transaction

from assessment.models import County, Round
from assessment.review.services import Lock, Locked
from assessment.uploads import safe_name, validate_upload
from indicators.models import Indicator
from scoring.models import Evidence


def evidence_lock(round: Round) -> Lock | None:
    from scoring.entry.services import entry_lock

    return entry_lock(round=round, state=None)


def upload_evidence(
    *, round: Round, indicator: Indicator, county: County, upload, note: str = "", actor
) -> Evidence:
    """Store ``upload`` as evidence of ``county`` on ``indicator`` in ``round``.

    Side effects: writes the file to the private storage and the row (audited by auditlog).
    Raises :class:`Locked` when the round is not open, ``ValidationError`` for a file that
    ``validate_upload`` refuses.
    """
    lock = evidence_lock(round)
    if lock is not None:
        raise Locked(lock)
    kind = validate_upload(upload)
    with transaction.atomic():
        return Evidence.objects.create(
            cycle_id=round.cycle_id,
            round=round,
            indicator=indicator,
            county=county,
            file=upload,
            name=safe_name(upload.name),
            kind=kind,
            size=upload.size,
            note=note,
            uploaded_by=actor,
        )


def delete_evidence(*, evidence: Evidence, actor) -> None:
    """Remove a piece of evidence and its file. Audited (auditlog). Raises :class:`Locked`
    when the round is not open."""
    lock = evidence_lock(evidence.round)
    if lock is not None:
        raise Locked(lock)
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))
