"""What closing a round would do, shown to the lead department before it confirms (services).

:func:`preview_close` runs the same computation as :func:`alerts.services.close_round`
without writing anything: the warnings it would issue by reason and by county, the counties
it would flag for diagnosis, the indicators whose units have not delivered their data (no
warnings on them) and the emails that would go out.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from alerts.models import REASON_LABELS, UnitReminder, Warning
from alerts.services import compute_round, diff_warnings
from assessment.models import County, Round, Unit, User
from scoring.entry.delivery import Undelivered, undelivered

REASONS = ("bottom_three", "behind_target", "not_reported")


@dataclass
class CountyLine:
    county: County
    warnings: int = 0
    new: int = 0  # issued now (new, or replacing one whose figures changed)
    flagged: bool = False
    emailed: bool = False  # its users get an email with their new warnings
    unreachable: bool = False  # it has new warnings but no active user with an address


@dataclass
class UnitLine:
    unit: Unit
    indicators: list = field(default_factory=list)
    emailed: bool = False  # not reminded of these yet, and has users with an address
    unreachable: bool = False  # not reminded of these yet, but no active user with an address


@dataclass
class ClosePreview:
    round: Round
    warnings: int
    created: int
    replaced: int
    by_reason: list[tuple[str, int]]  # (label, warnings with that reason)
    counties: list[CountyLine]  # the counties that will have warnings, by code
    flagged: list[CountyLine]
    undelivered: list[Undelivered]
    units: list[UnitLine]

    @property
    def county_emails(self) -> int:
        return sum(1 for line in self.counties if line.emailed)

    @property
    def unit_emails(self) -> int:
        return sum(1 for line in self.units if line.emailed)

    @property
    def emailed_unit_names(self) -> str:
        return "、".join(line.unit.name for line in self.units if line.emailed)

    @property
    def unreachable_names(self) -> str:
        """The counties and units an email is due to whose accounts have no address: told
        on the page, since nobody else will tell them."""
        return "、".join(
            [line.county.name for line in self.counties if line.unreachable]
            + [line.unit.name for line in self.units if line.unreachable]
        )


def preview_close(*, round: Round) -> ClosePreview:
    """What :func:`~alerts.services.close_round` would do to ``round`` now. No writes.
    Raises :class:`~alerts.services.NoExpectedProgress` like the closing."""
    figures, county_id, indicator_id = compute_round(round)
    current, wanted, stale = diff_warnings(round, figures, county_id, indicator_id)
    stale_set = set(stale)
    new_keys = {k for k in wanted if k not in current or current[k][0] in stale_set}
    # Kept warnings not emailed yet are emailed with the new ones.
    unsent = set(
        Warning.objects.filter(round=round, replaced_at__isnull=True, notified_at__isnull=True)
        .exclude(pk__in=stale)
        .values_list("county_id", flat=True)
    )
    with_address = _with_address("county_id", {c for c, _i in wanted})
    counties = {c.pk: c for c in County.objects.filter(pk__in={c for c, _i in wanted})}
    lines = {pk: CountyLine(county) for pk, county in counties.items()}
    for key in wanted:
        line = lines[key[0]]
        line.warnings += 1
        line.new += key in new_keys
    code_id = county_id
    for code in figures.diagnosis:
        lines[code_id[code]].flagged = True
    for pk, line in lines.items():
        due = line.new > 0 or pk in unsent
        line.emailed, line.unreachable = due and pk in with_address, due and pk not in with_address
    reasons = Counter(
        reason for f in figures.warnings.values() for reason in REASONS if getattr(f, reason)
    )
    late = undelivered(round)
    ordered = sorted(lines.values(), key=lambda line: line.county.code)
    return ClosePreview(
        round=round,
        warnings=len(wanted),
        created=len(new_keys),
        replaced=len(stale),
        by_reason=[(str(REASON_LABELS[r]), reasons[r]) for r in REASONS],
        counties=ordered,
        flagged=[line for line in ordered if line.flagged],
        undelivered=late,
        units=_unit_lines(round, late),
    )


def _with_address(field_name: str, ids: set) -> set:
    return set(
        User.objects.filter(**{f"{field_name}__in": ids}, is_active=True)
        .exclude(email="")
        .values_list(field_name, flat=True)
    )


def _unit_lines(round: Round, late: list[Undelivered]) -> list[UnitLine]:
    reminded = set(
        UnitReminder.objects.filter(round=round, kind=UnitReminder.Kind.LATE).values_list(
            "indicator_id", flat=True
        )
    )
    by_unit: dict[int, UnitLine] = {}
    fresh = defaultdict(bool)
    for u in late:
        unit = u.indicator.unit
        by_unit.setdefault(unit.pk, UnitLine(unit)).indicators.append(u.indicator)
        fresh[unit.pk] |= u.indicator.pk not in reminded
    with_address = _with_address("unit_id", set(by_unit))
    for pk, line in by_unit.items():
        line.emailed = fresh[pk] and pk in with_address
        line.unreachable = fresh[pk] and pk not in with_address
    return sorted(by_unit.values(), key=lambda line: line.unit.code)
