"""The warnings of a closing pre-assessment round (spec/scoring.md): pure functions over plain
values, like the engine (:mod:`scoring.results.engine`), which re-exports them.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from indicators.methods import competition_rank

# The reasons of a warning, in the order of the spec.
REASONS = ("bottom_three", "behind_target", "not_reported")


def warning_reasons(bottom_three: bool, behind_target: bool, not_reported: bool) -> tuple:
    """The reason codes whose flag is set, in the order of :data:`REASONS`."""
    flags = (bottom_three, behind_target, not_reported)
    return tuple(code for code, flag in zip(REASONS, flags, strict=True) if flag)


@dataclass(frozen=True)
class WarningFigures:
    bottom_three: bool
    behind_target: bool
    not_reported: bool
    progress: Decimal | None
    place: int | None  # among the counties that reported; 1 = the most advanced
    reported: int  # how many counties reported on the indicator

    @property
    def reasons(self) -> tuple[str, ...]:
        return warning_reasons(self.bottom_three, self.behind_target, self.not_reported)


@dataclass
class RoundWarnings:
    warnings: dict[tuple[str, str], WarningFigures]  # (county, indicator) → figures
    diagnosis: dict[str, int]  # county → number of indicators warned, flagged counties only


def round_warnings(
    *,
    counties: Iterable[str],
    indicators: Iterable[str],
    progress: Mapping[tuple[str, str], Decimal],
    exempt: Iterable[tuple[str, str]] = (),
    expected: Decimal,
    tolerance: Decimal,
    diagnosis_threshold: int,
) -> RoundWarnings:
    """The warnings of a closing pre-assessment round (spec/scoring.md).

    Exempt (county, indicator) pairs neither get nor influence warnings.
    """
    counties = list(counties)
    exempt = set(exempt)
    line = expected - tolerance
    warnings: dict[tuple[str, str], WarningFigures] = {}
    for ind in indicators:
        applicable = [c for c in counties if (c, ind) not in exempt]
        reported = {c: progress[(c, ind)] for c in applicable if (c, ind) in progress}
        from_bottom = competition_rank(reported, descending=False)
        place = competition_rank(reported, descending=True)
        ranked = len(reported) >= 4
        for c in applicable:
            v = reported.get(c)
            bottom_three = ranked and v is not None and from_bottom[c] <= 3
            behind_target = v is not None and v < line
            # Most counties get no warning: build the figures only for those that do.
            if bottom_three or behind_target or v is None:
                warnings[(c, ind)] = WarningFigures(
                    bottom_three=bottom_three,
                    behind_target=behind_target,
                    not_reported=v is None,
                    progress=v,
                    place=place.get(c),
                    reported=len(reported),
                )
    counts: dict[str, int] = defaultdict(int)
    for c, _ind in warnings:
        counts[c] += 1
    diagnosis = {c: n for c, n in counts.items() if n >= diagnosis_threshold}
    return RoundWarnings(warnings=warnings, diagnosis=diagnosis)
