"""Which indicators' round data their units have delivered (报送) — spec/scoring.md, 未报送.

A delivery is a recorded fact per (round, indicator): the lead department approved the
unit's entry (:func:`scoring.entry.services.approve_entry`), or loaded the data with its
workbook import (an imported progress sheet delivers every indicator of the cycle in each
round it has rows for). Reopening an approved entry takes its delivery back. Closing a
round warns counties only on delivered indicators: a county is never warned for its unit's
lateness.
"""

from dataclasses import dataclass

from django.utils import timezone

from assessment.models import Round
from indicators.models import Indicator
from scoring.models import Delivery, EntryState


def deliver(*, round: Round, indicator_ids, source: str, actor=None) -> int:
    """Record the round data of ``indicator_ids`` as delivered by ``source``.

    Side effects: creates the missing :class:`~scoring.models.Delivery` rows and updates
    the source, time and person of the existing ones (one bulk upsert). The caller holds the
    transaction and audits the step that delivers (approval, import). Returns the number of
    indicators delivered.
    """
    now = timezone.now()
    rows = [
        Delivery(
            cycle_id=round.cycle_id,
            round_id=round.pk,
            indicator_id=indicator_id,
            source=Delivery.Source(source),
            delivered_at=now,
            delivered_by=actor,
        )
        for indicator_id in indicator_ids
    ]
    Delivery.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["round", "indicator"],
        update_fields=["source", "delivered_at", "delivered_by"],
        batch_size=2000,
    )
    return len(rows)


def take_back(*, round: Round, indicator_id: int) -> None:
    """Take back the delivery of an indicator whose approved entry is reopened (its data
    may change again). Side effects: deletes the row; the reopening is audited by the caller."""
    Delivery.objects.filter(round=round, indicator_id=indicator_id).delete()


def delivered_ids(round: Round) -> set[int]:
    """The ids of the indicators whose round data are delivered now: a delivery recorded
    and no entry started again that the lead department has not approved (the unit is
    changing the data delivered)."""
    pending = EntryState.objects.filter(round=round).exclude(status=EntryState.Status.APPROVED)
    return set(
        Delivery.objects.filter(round=round)
        .exclude(indicator_id__in=pending.values("indicator_id"))
        .values_list("indicator_id", flat=True)
    )


@dataclass(frozen=True)
class Undelivered:
    """An indicator whose unit has not delivered the round data, and where its entry stands."""

    indicator: Indicator
    state: EntryState | None  # None: the unit has not started

    @property
    def status_label(self) -> str:
        return self.state.get_status_display() if self.state else ""


def undelivered(round: Round) -> list[Undelivered]:
    """The indicators of the round's cycle whose units have not delivered the round data, in
    the order of the system, each with its entry (or None). Three queries."""
    delivered = delivered_ids(round)
    states = {
        s.indicator_id: s
        for s in EntryState.objects.filter(round=round).only("indicator_id", "status", "comment")
    }
    return [
        Undelivered(indicator=ind, state=states.get(ind.pk))
        for ind in Indicator.objects.filter(cycle_id=round.cycle_id)
        .select_related("unit")
        .order_by("order", "code")
        if ind.pk not in delivered
    ]
