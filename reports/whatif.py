"""A county's what-if as its page shows it: the year loaded in bulk, the engine run again
with one indicator improved (:mod:`scoring.results.whatif`, which states the rule)."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.models import County, Cycle
from indicators.models import Indicator
from scoring.results.services import load_cycle
from scoring.results.whatif import WhatIf, Year, best_efforts, what_if


@dataclass
class CountyWhatIf:
    chosen: WhatIf | None
    best: list[WhatIf]
    indicators: dict[str, Indicator]  # code → indicator, for the names

    @property
    def best_rows(self) -> list[tuple[WhatIf, Indicator]]:
        return [(w, self.indicators[w.indicator]) for w in self.best]


def county_what_if(
    *, cycle: Cycle, county: County, amount: Decimal, indicator: str | None = None
) -> CountyWhatIf:
    """``county``'s gain from improving ``indicator`` by ``amount`` % (when given), and the
    three indicators where the same improvement gains most. Raises the loader's
    ``ResultsRefused`` or the engine's ``IncompleteInputs`` when the year cannot be
    computed as it is."""
    data = load_cycle(cycle)
    year = Year(
        counties=sorted(c.code for c in data.counties.values()), indicators=data.specs,
        inputs=data.inputs, exempt=data.exempt, adjustments=data.adjustments,
        vetoed=data.vetoed, settings=data.settings,
    )  # fmt: skip
    before = year.compute()
    chosen = None
    if indicator is not None:
        chosen = what_if(
            year=year, county=county.code, indicator=indicator, amount=amount, before=before
        )
    return CountyWhatIf(
        chosen=chosen,
        best=best_efforts(year=year, county=county.code, amount=amount, before=before),
        indicators={i.code: i for i in data.indicators.values()},
    )
