"""Score and progress entry by the responsible units, and its review by the lead department.

One :class:`~scoring.models.EntryState` per (round, indicator) says where the data stands:
draft → submitted → approved (locked), or returned to the unit with a comment; an approved
entry changes again only after the lead department reopens it with a reason. Every change —
of a value, of a status — goes through a function that checks the one lock guard
(:func:`entry_lock`), writes, and audits in one transaction.

The grid — the lock guard, loading, scoring and saving the values — is in
:mod:`scoring.entry.grid`; its names are re-exported here, so that callers find every entry
service in one module. This module holds the status changes and what the computations may use.
"""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import County, Round
from assessment.refusals import Refused
from assessment.review import services as review
from indicators.methods import input_problems
from indicators.models import Indicator, RuleItem
from scoring.entry.delivery import deliver, take_back
from scoring.entry.grid import BATCH as BATCH
from scoring.entry.grid import ENTRY as ENTRY
from scoring.entry.grid import Column as Column
from scoring.entry.grid import Conflict as Conflict
from scoring.entry.grid import EntryIncomplete as EntryIncomplete
from scoring.entry.grid import Grid as Grid
from scoring.entry.grid import GridScores as GridScores
from scoring.entry.grid import SaveSummary as SaveSummary
from scoring.entry.grid import StaleSave as StaleSave
from scoring.entry.grid import _locked_state
from scoring.entry.grid import columns_for as columns_for
from scoring.entry.grid import ensure_entry_writable as ensure_entry_writable
from scoring.entry.grid import entry_lock as entry_lock
from scoring.entry.grid import grid_scores as grid_scores
from scoring.entry.grid import load_grid as load_grid
from scoring.entry.grid import save_grid as save_grid
from scoring.models import AnnualInput, Delivery, EntryState, Exemption, Progress

Status = EntryState.Status

# --- status changes ------------------------------------------------------------------------


def submit_entry(*, round: Round, indicator: Indicator, actor) -> EntryState:
    """Submit the data of ``indicator`` in ``round`` for review.

    Side effects: sets the state submitted and audits it. Raises :class:`Locked`,
    :class:`WrongStatus` when already submitted, :class:`EntryIncomplete` listing the empty
    cells of non-exempt counties.
    """
    with transaction.atomic():
        state, _created = _locked_state(round, indicator)
        return review.submit(ENTRY, state, actor=actor)


def approve_entry(*, state: EntryState, actor) -> EntryState:
    """Approve submitted data: they are locked and delivered (scoring.entry.delivery).
    Side effects: state approved, audited; the delivery recorded."""
    with transaction.atomic():
        review.approve(ENTRY, state, actor=actor)
        state.refresh_from_db()
        deliver(
            round=state.round,
            indicator_ids=[state.indicator_id],
            source=Delivery.Source.APPROVAL,
            actor=actor,
        )
    return state


def submitted_entries(round: Round) -> list[EntryState]:
    """The entries of ``round`` waiting for the lead department's review, in the order of
    the status matrix (unit, then indicator)."""
    return list(
        EntryState.objects.filter(round=round, status=Status.SUBMITTED)
        .select_related("indicator__unit", "submitted_by", "round__cycle")
        .order_by("indicator__unit__code", "indicator__order", "indicator__code")
    )


def approve_entries(*, round: Round, indicator_ids, actor) -> tuple[list, list]:
    """Approve in one step the submitted entries of ``round`` on ``indicator_ids`` (the
    lead department saw the list first). Each goes through :func:`approve_entry` (locked,
    delivered, audited one by one), all in one transaction.

    Returns (approved states, (state, reason) of those refused — no longer submitted, or the
    round locked). Returns stay one by one, each with its comment (:func:`return_entry`).
    """
    wanted = set(indicator_ids)
    approved, refused = [], []
    with transaction.atomic():
        for state in submitted_entries(round):
            if state.indicator_id not in wanted:
                continue
            try:
                approved.append(approve_entry(state=state, actor=actor))
            except Refused as exc:
                refused.append((state, str(exc)))
    return approved, refused


def return_entry(*, state: EntryState, actor, comment: str) -> EntryState:
    """Return submitted data to the unit with ``comment``. Side effects: state returned,
    audited with the comment."""
    review.return_(ENTRY, state, actor=actor, comment=comment)
    state.refresh_from_db()
    return state


def reopen_entry(*, state: EntryState, actor, reason: str) -> EntryState:
    """Reopen approved data so that the unit can change them again (back to draft).

    Side effects: state draft with the reason as the lead department's comment, audited
    with the reason; its delivery taken back. The round must be open and the cycle not
    archived.
    """
    with transaction.atomic():
        review.reopen(ENTRY, state, actor=actor, reason=reason)
        state.refresh_from_db()
        take_back(round=state.round, indicator_id=state.indicator_id)
    return state


# --- what the computations may use ---------------------------------------------------------


def unapproved_entries(round: Round) -> list[EntryState]:
    """The entries of ``round`` that units started but the lead department has not approved.

    An indicator with no entry state has data only from the lead department's own workbook
    import, which needs no approval.
    """
    return list(
        EntryState.objects.filter(round=round)
        .exclude(status=Status.APPROVED)
        .select_related("indicator__unit")
        .order_by("indicator__order", "indicator__code")
    )


def describe_unapproved(states: list[EntryState]) -> list[str]:
    return [
        _("indicator %(code)s %(name)s (%(unit)s): %(status)s, not approved yet")
        % {
            "code": s.indicator.code,
            "name": s.indicator.name,
            "unit": s.indicator.unit.name,
            "status": s.get_status_display(),
        }
        for s in states
    ]


def empty_counties(round: Round, indicators: list[Indicator]) -> dict[int, list[County]]:
    """For the status matrix: indicator id → the non-exempt counties still without complete
    data in ``round``. A fixed number of queries for any number of indicators."""
    counties = list(round.cycle.counties.order_by("code"))
    exempt = defaultdict(set)
    for cid, iid in Exemption.objects.filter(cycle=round.cycle).values_list(
        "county_id", "indicator_id"
    ):
        exempt[iid].add(cid)
    complete: dict[int, set] = defaultdict(set)
    if round.kind == Round.Kind.ANNUAL:
        items = defaultdict(list)
        method = {}
        for item_id, ind_id, m in RuleItem.objects.filter(cycle=round.cycle).values_list(
            "id", "indicator_id", "method"
        ):
            items[ind_id].append(item_id)
            method[item_id] = m
        done = defaultdict(int)  # (indicator id, county id) → items complete
        indicator_of = {i: ind for ind, ids in items.items() for i in ids}
        for cid, item_id, actual, target in AnnualInput.objects.filter(
            cycle=round.cycle
        ).values_list("county_id", "item_id", "actual", "target"):
            if not input_problems(method[item_id], actual, target):
                done[(indicator_of[item_id], cid)] += 1
        for (ind_id, cid), n in done.items():
            if n == len(items[ind_id]):
                complete[ind_id].add(cid)
    else:
        for cid, ind_id in Progress.objects.filter(round=round).values_list(
            "county_id", "indicator_id"
        ):
            complete[ind_id].add(cid)
    return {
        ind.id: [c for c in counties if c.id not in complete[ind.id] and c.id not in exempt[ind.id]]
        for ind in indicators
    }
