"""The shapes the data interface reads and writes (its OpenAPI description is made from
these). Figures are exact decimals, written as strings in responses (``"86.00"``) and read
from numbers or strings in requests."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema

# A figure sent in a request: a JSON number, or a string of plain decimal notation.
Number = Annotated[
    Decimal,
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}]}
    ),
]


class Problem(Schema):
    location: str = Field(description="where in the request: `annual[3].actual`, `path.year`")
    message: str


class ErrorOut(Schema):
    detail: str
    problems: list[Problem] = []


class CycleOut(Schema):
    year: int
    status: str
    total_points: Decimal
    excellent_ratio: Decimal
    excellent_line: Decimal | None
    good_line: Decimal
    fair_line: Decimal
    bonus_cap: Decimal | None
    published: bool = Field(description="the annual results are published")


class RoundOut(Schema):
    code: str
    name: str
    kind: str = Field(description="`annual` or `pre` (a pre-assessment)")
    status: str = Field(description="`pending`, `open` or `closed`")
    expected_progress: Decimal | None
    tolerance: Decimal
    opens_on: date | None
    closes_on: date | None


class RuleItemOut(Schema):
    code: str
    name: str
    content: str
    share: Decimal
    method: str
    params: str
    needs_target: bool
    explained: str = Field(description="how the item is scored, in words")


class IndicatorOut(Schema):
    code: str
    name: str
    category: str
    weight: Decimal
    direction: str
    unit: str = Field(description="the responsible unit's code")
    unit_name: str
    rules_status: str
    items: list[RuleItemOut]


class IndicatorSystemOut(Schema):
    year: int
    total_points: Decimal
    indicators: list[IndicatorOut]


class IndicatorPointsOut(Schema):
    indicator: str
    points: Decimal
    percent: Decimal
    exempt: bool
    rank: int | None


class CountyResultOut(Schema):
    county: str
    name: str
    indicator_points: Decimal
    adjustment: Decimal
    total: Decimal
    rank: int
    grade: str = Field(description="`excellent`, `good`, `fair` or `poor` (after an override)")
    computed_grade: str
    grade_overridden: bool
    vetoed: bool


class CountyDetailOut(CountyResultOut):
    indicators: list[IndicatorPointsOut]


class ResultsOut(Schema):
    year: int
    published: bool
    computed_at: datetime | None
    county_count: int
    results: list[CountyResultOut]


class StatOut(Schema):
    indicator: str
    name: str
    highest: Decimal
    lowest: Decimal
    average: Decimal
    top: list[str] = Field(description="county codes, ties at third place included")
    bottom: list[str]


class StatisticsOut(Schema):
    year: int
    statistics: list[StatOut]


class AnnualValue(Schema):
    county: str = Field(max_length=32)
    item: str = Field(max_length=32, description="the rule item's code")
    actual: Number | None = None
    target: Number | None = None


class ProgressValue(Schema):
    county: str = Field(max_length=32)
    indicator: str = Field(max_length=32)
    progress: Number = Field(description="percent of the year's task done (≥ 0)")


class EntryOut(Schema):
    indicator: str
    status: str = Field(description="`draft`, `submitted`, `returned` or `approved`")


class RoundDataOut(Schema):
    year: int
    round: str
    annual: list[AnnualValue]
    progress: list[ProgressValue]
    entries: list[EntryOut]


class RoundDataIn(Schema):
    annual: list[AnnualValue] = Field(
        default=[], max_length=100_000, description="the annual round's values"
    )
    progress: list[ProgressValue] = Field(
        default=[], max_length=100_000, description="a pre-assessment's progress"
    )


class WriteOut(Schema):
    changed: int = Field(description="cells whose value changed")
    entries: list[EntryOut]
