"""The entry grid of a round and an indicator, and the lock guard of every entry change.

One :class:`~scoring.models.EntryState` per (round, indicator) says where the data stands;
every change of a value goes through :func:`save_grid`, which checks the one lock guard
(:func:`entry_lock`), writes, and audits in one transaction. The status changes are in
:mod:`scoring.entry.services`, which re-exports this module's names.

The grid is read and written in bulk: a fixed number of queries whatever the number of
counties and items. Saves are optimistic: each cell comes with the value it had when the page
was loaded, and a save that would overwrite a value someone else changed meanwhile is refused
with what changed (:class:`StaleSave`); nothing is silently overwritten.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import County, Round
from assessment.refusals import Refused
from assessment.review import services as review
from assessment.review.services import Lock, Locked, cycle_lock
from indicators.methods import HUNDRED, input_problems, item_scores, round2
from indicators.models import Indicator, RuleItem
from indicators.params import NEEDS_TARGET, ParamError, parse_params, plain
from scoring.models import AnnualInput, EntryState, Exemption, Progress

Status = EntryState.Status
BATCH = 5000


# --- the lock guard --------------------------------------------------------------------------


def entry_lock(*, round: Round, state: EntryState | None) -> Lock | None:
    """The one lock guard of entry: the cycle is not archived, the round is open and the
    entry is not approved. None when the entry may change."""
    lock = cycle_lock(round.cycle)
    if lock is not None:
        return lock
    if round.status == Round.Status.PENDING:
        return Lock(
            "round_pending",
            _("The round “%(round)s” is not open yet.") % {"round": round.name},
            _("The lead department opens the round."),
        )
    if round.status == Round.Status.CLOSED:
        return Lock(
            "round_closed",
            _("The round “%(round)s” is closed.") % {"round": round.name},
            _("Only the lead department can reopen the round."),
        )
    if state is not None and state.status == Status.APPROVED:
        who = state.reviewed_by.username if state.reviewed_by else _("the lead department")
        when = date_format(timezone.localtime(state.reviewed_at), "Y-m-d H:i")
        return Lock(
            "approved",
            _("Approved by %(who)s on %(when)s: the data are locked.") % {"who": who, "when": when},
            _("Only the lead department can reopen it, with a reason."),
        )
    return None


def ensure_entry_writable(*, round: Round, state: EntryState | None) -> None:
    """Raise :class:`Locked` unless the entry may change."""
    lock = entry_lock(round=round, state=state)
    if lock is not None:
        raise Locked(lock)


def _review_lock(state: EntryState, reopening: bool) -> Lock | None:
    """What stops a change of ``state`` now; the approval itself does not stop its reopening."""
    lock = entry_lock(round=state.round, state=state)
    return None if lock is not None and reopening and lock.reason == "approved" else lock


# --- the grid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the grid: the actual or the target of an item, or the progress."""

    key: str  # "a<item id>", "t<item id>" or "p"
    field: str  # "actual", "target" or "progress"
    item: RuleItem | None = None


@dataclass
class Grid:
    """The entry grid of one indicator in one round, as stored now."""

    round: Round
    indicator: Indicator
    state: EntryState | None
    counties: list[County]
    items: list[RuleItem]
    columns: list[Column]
    exempt: set[int]  # county ids
    values: dict[tuple[int, str], Decimal | None]  # (county id, column key) → value
    changed_by: dict[tuple[int, str], tuple[str, object]] = field(default_factory=dict)

    @property
    def annual(self) -> bool:
        return self.round.kind == Round.Kind.ANNUAL

    @property
    def lock(self) -> Lock | None:
        return entry_lock(round=self.round, state=self.state)

    def empty_cells(self) -> list[tuple[County, Column]]:
        """The cells a submission still needs: every non-exempt county's missing values."""
        missing = []
        for county in self.counties:
            if county.id in self.exempt:
                continue
            if not self.annual:
                if self.values.get((county.id, "p")) is None:
                    missing.append((county, self.columns[0]))
                continue
            for item in self.items:
                actual = self.values.get((county.id, f"a{item.id}"))
                target = self.values.get((county.id, f"t{item.id}"))
                codes = input_problems(item.method, actual, target)
                for column in self.columns:
                    if column.item is item and f"missing_{column.field}" in codes:
                        missing.append((county, column))
        return missing


def columns_for(items: list[RuleItem]) -> list[Column]:
    """Annual round: the actual of every item, and its target where the method needs one."""
    columns = []
    for item in items:
        columns.append(Column(f"a{item.id}", "actual", item))
        if item.method in NEEDS_TARGET:
            columns.append(Column(f"t{item.id}", "target", item))
    return columns


def _current_values(round: Round, indicator: Indicator, items: list[RuleItem]) -> tuple:
    values: dict = {}
    changed_by: dict = {}
    if round.kind == Round.Kind.ANNUAL:
        rows = AnnualInput.objects.filter(item__in=[i.id for i in items]).values_list(
            "county_id", "item_id", "actual", "target", "updated_by__username", "updated_at"
        )
        for county_id, item_id, actual, target, who, when in rows:
            values[(county_id, f"a{item_id}")] = actual
            values[(county_id, f"t{item_id}")] = target
            changed_by[(county_id, f"a{item_id}")] = changed_by[(county_id, f"t{item_id}")] = (
                who,
                when,
            )
    else:
        rows = Progress.objects.filter(round=round, indicator=indicator).values_list(
            "county_id", "value", "updated_by__username", "updated_at"
        )
        for county_id, value, who, when in rows:
            values[(county_id, "p")] = value
            changed_by[(county_id, "p")] = (who, when)
    return values, changed_by


def load_grid(*, round: Round, indicator: Indicator, state: EntryState | None = None) -> Grid:
    """Read the grid of ``indicator`` in ``round``: a fixed number of queries."""
    if state is None:
        state = (
            EntryState.objects.filter(round=round, indicator=indicator)
            .select_related("reviewed_by", "submitted_by", "updated_by")
            .first()
        )
    counties = list(round.cycle.counties.order_by("code"))
    annual = round.kind == Round.Kind.ANNUAL
    items = list(indicator.items.order_by("order", "code")) if annual else []
    columns = columns_for(items) if annual else [Column("p", "progress")]
    exempt = set(Exemption.objects.filter(indicator=indicator).values_list("county_id", flat=True))
    values, changed_by = _current_values(round, indicator, items)
    return Grid(round, indicator, state, counties, items, columns, exempt, values, changed_by)


@dataclass(frozen=True)
class GridScores:
    """The engine's item scores and indicator points of the counties whose inputs allow it."""

    items: dict[tuple[int, int], Decimal]  # (county id, item id) → score
    points: dict[int, Decimal]  # county id → P_ci, round2


def grid_scores(grid: Grid) -> GridScores:
    """Score what is entered with the engine itself (indicators.methods.item_scores).

    Comparative methods (rank, benchmark) compare the counties entered so far, so their
    scores are provisional until the grid is complete. No queries.
    """
    scores: dict = {}
    applicable = [c.id for c in grid.counties if c.id not in grid.exempt]
    for item in grid.items:
        try:
            params = parse_params(item.method, item.params, grid.indicator.direction)
        except ParamError:
            continue
        actuals, targets = {}, {}
        for cid in applicable:
            actual = grid.values.get((cid, f"a{item.id}"))
            target = grid.values.get((cid, f"t{item.id}"))
            if not input_problems(item.method, actual, target):
                actuals[cid], targets[cid] = actual, target
        for cid, score in item_scores(
            item.method, params, grid.indicator.direction, actuals, targets
        ).items():
            scores[(cid, item.id)] = score
    points = {}
    if grid.items:
        for cid in applicable:
            if all((cid, item.id) in scores for item in grid.items):
                percent = sum(item.share * scores[(cid, item.id)] for item in grid.items) / HUNDRED
                points[cid] = round2(percent * grid.indicator.weight / HUNDRED)
    return GridScores(scores, points)


# --- saving ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A cell someone else changed after the page was loaded."""

    county: County
    column: Column
    loaded: Decimal | None
    current: Decimal | None
    yours: Decimal | None
    by: str | None
    at: object


class StaleSave(Refused):
    """The save would overwrite values changed meanwhile; nothing was written."""

    def __init__(self, conflicts: list[Conflict], grid: Grid):
        self.conflicts = conflicts
        self.grid = grid
        super().__init__(f"{len(conflicts)} cells changed meanwhile")


def _locked_state(round: Round, indicator: Indicator) -> tuple[EntryState, bool]:
    """The entry state row, created as a draft when missing, locked for this transaction:
    saves and status changes of one (round, indicator) run one at a time."""
    state, created = EntryState.objects.get_or_create(
        round=round, indicator=indicator, defaults={"cycle_id": round.cycle_id}
    )
    if not created:
        state = (
            EntryState.objects.select_for_update(of=("self",))
            .select_related("reviewed_by", "round", "indicator")
            .get(pk=state.pk)
        )
    return state, created


def _text(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


# Columns of auditlog's LogEntry that a cell's entry fills, in the order of the INSERT.
_CELL_COLUMNS = (
    "content_type_id", "object_pk", "object_id", "object_repr", "action", "changes_text",
    "changes", "actor_id", "timestamp", "additional_data",
)  # fmt: skip
_ROWS_PER_INSERT = 500


def _audit_cells(state: EntryState, grid: Grid, changes: dict, actor) -> None:
    """One audit entry per changed cell, about the entry state (auditlog's LogEntry, as the
    history pages read it). Written with multi-row INSERTs of plain values: a province's
    grid is 4,000 cells, and building as many model instances costs seconds."""
    content_type_id = ContentType.objects.get_for_model(EntryState).id
    actor_id = actor.pk if actor is not None else None
    county_code = {c.id: c.code for c in grid.counties}
    column_of = {c.key: c for c in grid.columns}
    timestamp = connection.ops.adapt_datetimefield_value(timezone.now())
    repr_ = f"{grid.round.code}/{grid.indicator.code}"
    rows = []
    for (county_id, key), new in changes.items():
        column = column_of[key]
        change = {column.field: [_text(grid.values.get((county_id, key))), _text(new)]}
        data = {
            "kind": "cell",
            "round": grid.round.code,
            "indicator": grid.indicator.code,
            "county": county_code[county_id],
            "item": column.item.code if column.item else None,
        }
        rows.append(
            (content_type_id, str(state.pk), state.pk, repr_, LogEntry.Action.UPDATE, "",
             json.dumps(change, ensure_ascii=False), actor_id, timestamp,
             json.dumps(data, ensure_ascii=False))
        )  # fmt: skip
    table = connection.ops.quote_name(LogEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _CELL_COLUMNS)
    one = "(" + ", ".join(["%s"] * len(_CELL_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def _upsert(model, columns: tuple, conflict: tuple, update: tuple, rows: list) -> None:
    """INSERT … ON CONFLICT DO UPDATE of plain rows, in multi-row statements (PostgreSQL and
    SQLite ≥ 3.24 share the syntax): no model instance per cell."""
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    names = ", ".join(q(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    on = ", ".join(q(c) for c in conflict)
    sets = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in update)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))} "
                f"ON CONFLICT ({on}) DO UPDATE SET {sets}",
                [value for row in chunk for value in row],
            )


def _write(grid: Grid, changes: dict, actor) -> None:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    actor_id = actor.pk if actor is not None else None
    cycle_id = grid.round.cycle_id
    if grid.annual:
        merged = {**grid.values, **changes}
        pairs = dict.fromkeys((county_id, int(key[1:])) for county_id, key in changes)
        _upsert(
            AnnualInput,
            ("cycle_id", "county_id", "item_id", "actual", "target", "updated_at",
             "updated_by_id"),
            ("item_id", "county_id"),
            ("actual", "target", "updated_at", "updated_by_id"),
            [
                (cycle_id, county_id, item_id, merged.get((county_id, f"a{item_id}")),
                 merged.get((county_id, f"t{item_id}")), now, actor_id)
                for county_id, item_id in pairs
            ],
        )  # fmt: skip
        return
    cleared = [cid for (cid, _key), value in changes.items() if value is None]
    if cleared:
        Progress.objects.filter(
            round=grid.round, indicator=grid.indicator, county_id__in=cleared
        ).delete()
    _upsert(
        Progress,
        ("cycle_id", "round_id", "indicator_id", "county_id", "value", "updated_at",
         "updated_by_id"),
        ("round_id", "indicator_id", "county_id"),
        ("value", "updated_at", "updated_by_id"),
        [
            (cycle_id, grid.round.pk, grid.indicator.pk, cid, value, now, actor_id)
            for (cid, _key), value in changes.items()
            if value is not None
        ],
    )  # fmt: skip


@dataclass(frozen=True)
class SaveSummary:
    state: EntryState
    changed: int  # cells written


def save_grid(
    *, round: Round, indicator: Indicator, values: dict, loaded: dict, actor
) -> SaveSummary:
    """Save the cells of a grid that the user changed.

    ``values`` maps (county id, column key) to the value typed (None for an empty cell),
    ``loaded`` to the value the cell had when the page was loaded; the values must have
    passed the form's checks. A cell whose typed value equals its loaded one is left as it
    is now. Side effects: upserts the changed inputs (deletes cleared progress), creates the
    entry state as a draft when missing (a submitted one goes back to draft, unless the lead
    department corrects it while reviewing), writes one audit entry per changed cell. Raises
    :class:`Locked` when the guard refuses, :class:`StaleSave` — writing nothing — when
    a changed cell was changed by someone else since it was loaded.
    """
    with transaction.atomic():
        state, created = _locked_state(round, indicator)
        ensure_entry_writable(round=round, state=state)
        grid = load_grid(round=round, indicator=indicator, state=state)
        typed = {cell: value for cell, value in values.items() if value != loaded.get(cell)}
        conflicts = [
            cell
            for cell, value in typed.items()
            if grid.values.get(cell) not in (loaded.get(cell), value)
        ]
        if conflicts:
            raise StaleSave(_conflicts(grid, conflicts, typed, loaded), grid)
        changes = {cell: v for cell, v in typed.items() if grid.values.get(cell) != v}
        if created:
            LogEntry.objects.log_create(
                state,
                force_log=True,
                action=LogEntry.Action.CREATE,
                changes={"status": [None, state.status]},
                actor=actor,
                additional_data=None,
            )
        if changes:
            _write(grid, changes, actor)
            _audit_cells(state, grid, changes, actor)
            if state.status == Status.SUBMITTED and not getattr(actor, "is_lead", False):
                # A unit's change after submitting takes the submission back: submit again.
                # The lead department's corrections during the review keep it submitted.
                review.set_status(ENTRY, state, actor=actor, status=Status.DRAFT, updated_by=actor)
        if created or changes:
            state.updated_by = actor
            state.save(update_fields=["updated_by", "updated_at"])
    return SaveSummary(state=state, changed=len(changes) if changes else 0)


def _conflicts(grid: Grid, cells: list, typed: dict, loaded: dict) -> list[Conflict]:
    county = {c.id: c for c in grid.counties}
    column = {c.key: c for c in grid.columns}
    return [
        Conflict(
            county=county[cid],
            column=column[key],
            loaded=loaded.get((cid, key)),
            current=grid.values.get((cid, key)),
            yours=typed[(cid, key)],
            by=grid.changed_by.get((cid, key), (None, None))[0],
            at=grid.changed_by.get((cid, key), (None, None))[1],
        )
        for cid, key in sorted(cells, key=lambda cell: (county[cell[0]].code, cell[1]))
    ]


# --- the review workflow of an entry (its status changes: scoring.entry.services) ----------


class EntryIncomplete(Refused):
    """Submit refused: these cells are still empty."""

    def __init__(self, missing: list):
        self.missing = missing
        super().__init__(f"{len(missing)} empty cells")


def _relock(state: EntryState) -> EntryState:
    locked, _created = _locked_state(state.round, state.indicator)
    return locked


def _check(state: EntryState) -> None:
    missing = load_grid(round=state.round, indicator=state.indicator, state=state).empty_cells()
    if missing:
        raise EntryIncomplete(missing)


def _stamps(state: EntryState, status: str, actor) -> dict:
    if status == Status.SUBMITTED:
        return {"submitted_at": timezone.now(), "submitted_by": actor, "updated_by": actor}
    return {"reviewed_at": timezone.now(), "reviewed_by": actor, "updated_by": actor}


ENTRY = review.Workflow(
    status="status",
    comment="comment",
    relock=_relock,
    edit_lock=lambda state: entry_lock(round=state.round, state=state),
    review_lock=_review_lock,
    check=_check,
    wrong_status=gettext_lazy(
        "This is possible only for data that are %(expected)s (they are %(status)s)."
    ),
    resubmitted=gettext_lazy("The data have already been submitted."),
    stamps=_stamps,
    # EntryState is not in auditlog's registry (its cells are audited in bulk): its entries
    # record the status and the comment.
    audited=("status", "comment"),
)
