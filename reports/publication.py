"""Publishing and withdrawing a cycle's annual results, and the checks every page makes.

Before publication no county and no unit sees any annual result of the year; the lead
department sees everything at any time. Each state change checks, saves and audits in one
transaction.
"""

from copy import copy

from auditlog.context import disable_auditlog
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.audit import record_change
from assessment.models import Cycle, User
from assessment.refusals import Refused
from reports.models import DEFAULT_OBJECTION_DAYS, Publication


class PublicationRefused(Refused):
    """The state change is not possible now; the message says why, in the user's language."""


def _save(publication: Publication, **kwargs) -> None:
    # Recorded explicitly by the caller (with the actor and the reason), not twice.
    with disable_auditlog():
        publication.save(**kwargs)


def publication_of(cycle: Cycle) -> Publication | None:
    """The publication row of ``cycle`` (one query), None when never published."""
    return Publication.objects.filter(cycle=cycle).first()


def is_published(cycle: Cycle) -> bool:
    return Publication.objects.filter(cycle=cycle, published=True).exists()


def published_cycle_ids() -> set[int]:
    """Ids of the cycles whose results are published (one query)."""
    return set(Publication.objects.filter(published=True).values_list("cycle_id", flat=True))


def may_see_results(user: User, cycle: Cycle) -> bool:
    """The lead department sees results at any time; everyone else once they are published."""
    return user.is_lead or is_published(cycle)


def require_results_visible(user: User, cycle: Cycle) -> None:
    """Raise 404 unless ``user`` may see the annual results of ``cycle``."""
    if not may_see_results(user, cycle):
        raise Http404


def publish(*, cycle: Cycle, actor: User, objection_days: int = DEFAULT_OBJECTION_DAYS):
    """Publish the annual results of ``cycle``.

    Side effects: creates or updates the cycle's :class:`Publication` (published now, by
    ``actor``, with the objection period) and records the change in the audit trail. Raises
    :class:`PublicationRefused` when the results have not been computed or are published.
    """
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.results_computed_at is None:
            raise PublicationRefused(
                _("The %(year)s results have not been computed yet.") % {"year": cycle.year}
            )
        with disable_auditlog():
            publication, created = Publication.objects.get_or_create(cycle=cycle)
        if publication.published:
            raise PublicationRefused(
                _("The %(year)s results are already published.") % {"year": cycle.year}
            )
        old = None if created else copy(publication)
        publication.published = True
        publication.published_at = timezone.now()
        publication.published_by = actor
        publication.withdrawn_at = None
        publication.corrected_at = None
        publication.objection_days = objection_days
        _save(publication)
        record_change(old, publication, actor=actor, data={"event": "publish_results"})
        # The counties' own view of the charts (their neighbours as places) is new.
        from reports.ahead import schedule_ahead  # ahead reads publication's helpers

        schedule_ahead(cycle)
    return publication


def withdraw(*, cycle: Cycle, actor: User, reason: str):
    """Withdraw the publication of ``cycle``: its results become private again.

    Side effects: marks the :class:`Publication` withdrawn now and records the change with
    ``reason`` in the audit trail. Raises :class:`PublicationRefused` when not published.
    """
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update().filter(cycle=cycle, published=True).first()
        )
        if publication is None:
            raise PublicationRefused(
                _("The %(year)s results are not published.") % {"year": cycle.year}
            )
        old = copy(publication)
        publication.published = False
        publication.withdrawn_at = timezone.now()
        _save(publication)
        record_change(
            old, publication, actor=actor, data={"event": "withdraw_results", "reason": reason}
        )
    return publication


def mark_corrected(*, cycle: Cycle, actor=None) -> None:
    """Note that the published results of ``cycle`` were recomputed (publication stays).

    Side effects: sets ``corrected_at`` to now and records it, when the cycle is published.
    """
    publication = Publication.objects.filter(cycle=cycle, published=True).first()
    if publication is None:
        return
    old = copy(publication)
    publication.corrected_at = timezone.now()
    _save(publication, update_fields=["corrected_at"])
    record_change(old, publication, actor=actor, data={"event": "results_corrected"})
