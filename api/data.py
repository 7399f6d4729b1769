"""A round's data written and read through the interface, with the entry grid's services.

The write is the entry grid's save (``scoring.entry.services.save_grid``): the same value
checks (the engine's one input check, ``scoring.values.value_messages``), the same lock guard
(cycle not archived, round open, entry not approved), one audit entry per changed cell, a
submitted entry taken back to draft by a unit's change. Like the unit's workbook upload, a
value sent overwrites the cell (a deliberate overwrite, not a stale save) and a field left
out is left as it is. All or nothing: every problem is collected, each located in the request
(``annual[3].actual``), and then nothing is written.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import transaction
from django.utils.translation import gettext as _

from assessment.models import Round, User
from assessment.refusals import Refused
from assessment.review.services import Locked
from indicators.models import Indicator, RuleItem
from indicators.params import NEEDS_TARGET
from scoring.entry import services as entry
from scoring.models import AnnualInput, EntryState, Exemption, Progress
from scoring.values import value_messages

# The stored values' precision (scoring.models VALUE): 24 digits, 6 after the point.
_DIGITS = DecimalValidator(max_digits=24, decimal_places=6)


@dataclass(frozen=True)
class Problem:
    location: str
    message: str


class DataRefused(Refused):
    """Nothing was written; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def writable_indicators(*, round: Round, user: User) -> list[Indicator]:
    """The indicators of ``round``'s cycle that ``user`` enters data for, as on the entry
    pages: the lead department every one, a unit its own, a county none."""
    indicators = Indicator.objects.filter(cycle=round.cycle).order_by("order", "code")
    if user.is_lead:
        return list(indicators)
    if user.is_unit:
        return list(indicators.filter(unit_id=user.unit_id))
    return []


def _digits_problem(value: Decimal) -> str | None:
    try:
        _DIGITS(value)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@dataclass
class _Scope:
    counties: dict  # code → County
    indicators: dict  # code → Indicator (writable)
    items: dict  # code → RuleItem (of the writable indicators)
    exempt: set  # (county id, indicator id)


def _scope(round: Round, user: User) -> _Scope:
    indicators = {i.code: i for i in writable_indicators(round=round, user=user)}
    ids = [i.id for i in indicators.values()]
    items = {
        i.code: i for i in RuleItem.objects.filter(indicator_id__in=ids).select_related("indicator")
    }
    exempt = set(
        Exemption.objects.filter(indicator_id__in=ids).values_list("county_id", "indicator_id")
    )
    counties = {c.code: c for c in round.cycle.counties.all()}
    return _Scope(counties, indicators, items, exempt)


def _check_numbers(where: str, row: dict, fields: tuple, problems: list) -> None:
    for name in fields:
        value = row.get(name)
        if value is not None and (message := _digits_problem(value)):
            problems.append(Problem(f"{where}.{name}", message))


def _annual_cells(round, rows, scope, problems) -> dict:
    """indicator id → {(county id, column key): value} of the annual rows, checked."""
    cells: dict = defaultdict(dict)
    seen = set()
    stored = {
        (c, i): (a, t)
        for c, i, a, t in AnnualInput.objects.filter(
            item__in=[i.id for i in scope.items.values()]
        ).values_list("county_id", "item_id", "actual", "target")
    }
    for n, row in enumerate(rows):
        where = f"annual[{n}]"
        county = scope.counties.get(row["county"])
        item = scope.items.get(row["item"])
        if county is None:
            problems.append(Problem(f"{where}.county", _no_county(row["county"], round)))
        if item is None:
            problems.append(
                Problem(
                    f"{where}.item",
                    _("no rule item “%(item)s” among the indicators you enter in %(year)s")
                    % {"item": row["item"], "year": round.cycle.year},
                )
            )
        if county is None or item is None:
            continue
        before = len(problems)
        if (county.id, item.indicator_id) in scope.exempt:
            problems.append(Problem(where, _exempt(county, item.indicator)))
            continue
        if (county.id, item.id) in seen:
            problems.append(Problem(where, _("the same county and item are sent twice")))
            continue
        seen.add((county.id, item.id))
        actual, target = row.get("actual"), row.get("target")
        if actual is None and target is None:
            problems.append(Problem(where, _("neither an actual nor a target is sent")))
            continue
        if target is not None and item.method not in NEEDS_TARGET:
            problems.append(
                Problem(f"{where}.target", _("the method of item %(item)s takes no target")
                        % {"item": item.code})
            )  # fmt: skip
        _check_numbers(where, row, ("actual", "target"), problems)
        if len(problems) > before:
            continue
        was_actual, was_target = stored.get((county.id, item.id), (None, None))
        merged_actual = was_actual if actual is None else actual
        merged_target = was_target if target is None else target
        for name, message in value_messages(item.method, merged_actual, merged_target).items():
            problems.append(Problem(f"{where}.{name}", message))
        if len(problems) > before:
            continue
        if actual is not None:
            cells[item.indicator_id][(county.id, f"a{item.id}")] = actual
        if target is not None:
            cells[item.indicator_id][(county.id, f"t{item.id}")] = target
    return cells


def _progress_cells(round, rows, scope, problems) -> dict:
    cells: dict = defaultdict(dict)
    for n, row in enumerate(rows):
        where = f"progress[{n}]"
        county = scope.counties.get(row["county"])
        indicator = scope.indicators.get(row["indicator"])
        if county is None:
            problems.append(Problem(f"{where}.county", _no_county(row["county"], round)))
        if indicator is None:
            problems.append(
                Problem(
                    f"{where}.indicator",
                    _("no indicator “%(indicator)s” among those you enter in %(year)s")
                    % {"indicator": row["indicator"], "year": round.cycle.year},
                )
            )
        if county is None or indicator is None:
            continue
        if (county.id, indicator.id) in scope.exempt:
            problems.append(Problem(where, _exempt(county, indicator)))
            continue
        if (county.id, "p") in cells[indicator.id]:
            problems.append(Problem(where, _("the same county and indicator are sent twice")))
            continue
        value = row["progress"]
        if value < 0:
            problems.append(Problem(f"{where}.progress", _("Progress must not be negative.")))
            continue
        if message := _digits_problem(value):
            problems.append(Problem(f"{where}.progress", message))
            continue
        cells[indicator.id][(county.id, "p")] = value
    return cells


def _no_county(code: str, round: Round) -> str:
    return _("no county “%(county)s” in %(year)s") % {"county": code, "year": round.cycle.year}


def _exempt(county, indicator) -> str:
    return _("county %(county)s is exempt from indicator %(indicator)s: no value is needed") % {
        "county": county.code,
        "indicator": indicator.code,
    }


@dataclass(frozen=True)
class WriteSummary:
    changed: int  # cells written
    indicators: list[tuple[str, str]]  # (code, entry status) of each indicator touched


def write_round_data(
    *, round: Round, user: User, annual: list[dict], progress: list[dict]
) -> WriteSummary:
    """Write the values of ``annual`` ({county, item, actual, target}) or ``progress``
    ({county, indicator, progress}) rows into ``round`` as ``user``.

    Side effects: through ``entry.save_grid`` per indicator, in one transaction: upserts the
    inputs, creates draft entry states, takes a unit's submitted entry back to draft, writes
    one audit entry per changed cell. Raises :class:`DataRefused` with every problem (rows
    of the wrong kind for the round, unknown or foreign counties, items and indicators,
    exempt pairs, duplicates, values the method refuses, locked entries) and writes nothing.
    """
    problems: list[Problem] = []
    annual_round = round.kind == Round.Kind.ANNUAL
    wrong, right = ("progress", "annual") if annual_round else ("annual", "progress")
    if progress if annual_round else annual:
        problems.append(
            Problem(
                wrong,
                _("the round “%(round)s” takes %(kind)s rows only")
                % {"round": round.name, "kind": right},
            )
        )
    rows = annual if annual_round else progress
    if not rows:
        problems.append(Problem(right, _("no values to write")))
    scope = _scope(round, user)
    cells = (_annual_cells if annual_round else _progress_cells)(round, rows, scope, problems)
    if problems:
        raise DataRefused(problems)
    indicators = {i.id: i for i in scope.indicators.values()}
    changed, touched = 0, []
    with transaction.atomic():
        for indicator_id in sorted(cells, key=lambda i: (indicators[i].order, indicators[i].code)):
            indicator = indicators[indicator_id]
            values = cells[indicator_id]
            current = entry.load_grid(round=round, indicator=indicator).values
            loaded = {cell: current.get(cell) for cell in values}
            try:
                summary = entry.save_grid(
                    round=round, indicator=indicator, values=values, loaded=loaded, actor=user
                )
            except Locked as exc:
                problems.append(Problem(f"indicator {indicator.code}", exc.lock.message))
                continue
            changed += summary.changed
            touched.append((indicator.code, summary.state.status))
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise DataRefused(problems)
    return WriteSummary(changed=changed, indicators=touched)


@dataclass(frozen=True)
class RoundData:
    annual: list[dict]
    progress: list[dict]
    entries: list[dict]


def read_round_data(*, round: Round, user: User) -> RoundData:
    """The values entered in ``round`` on the indicators ``user`` enters, with each
    indicator's entry status (a fixed number of queries)."""
    indicators = writable_indicators(round=round, user=user)
    ids = [i.id for i in indicators]
    states = dict(
        EntryState.objects.filter(round=round, indicator_id__in=ids).values_list(
            "indicator_id", "status"
        )
    )
    entries = [
        {"indicator": i.code, "status": states.get(i.id, EntryState.Status.DRAFT)}
        for i in indicators
    ]
    annual, progress = [], []
    if round.kind == Round.Kind.ANNUAL:
        rows = (
            AnnualInput.objects.filter(item__indicator_id__in=ids)
            .order_by("item__indicator__order", "item__indicator__code", "item__order",
                      "item__code", "county__code")
            .values_list("county__code", "item__code", "actual", "target")
        )  # fmt: skip
        annual = [{"county": c, "item": i, "actual": a, "target": t} for c, i, a, t in rows]
    else:
        rows = (
            Progress.objects.filter(round=round, indicator_id__in=ids)
            .order_by("indicator__order", "indicator__code", "county__code")
            .values_list("county__code", "indicator__code", "value")
        )
        progress = [{"county": c, "indicator": i, "progress": v} for c, i, v in rows]
    return RoundData(annual=annual, progress=progress, entries=entries)
