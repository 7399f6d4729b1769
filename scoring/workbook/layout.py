"""The layout of the import workbook (``spec/workbook.md``, "Import workbook").

Sheet names, columns with their Chinese names and English aliases, settings keys and the
words used for methods, directions and rounds: shared by the importer
(:mod:`scoring.workbook.importer`) and the writer
(:mod:`scoring.workbook.exporter`), so that what one writes the other reads.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from assessment.models import Round


def fold(text: str) -> str:
    """Header and sheet names compare case-folded, with ideographic spaces as plain ones."""
    return text.replace("\u3000", " ").strip().casefold()


# --- the layout --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = True


@dataclass(frozen=True)
class SheetSpec:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    required: bool = False

    def lookup(self) -> dict[str, str]:
        """Header text (Chinese or English alias, case-folded) → column key."""
        names: dict[str, str] = {}
        for column in self.columns:
            names[fold(column.zh)] = column.key
            names[fold(column.en)] = column.key
        return names


SETTINGS = SheetSpec(
    "settings",
    "参数",
    "settings",
    (Column("key", "项目", "key"), Column("value", "值", "value")),
    True,
)
COUNTIES = SheetSpec(
    "counties",
    "县区",
    "counties",
    (Column("code", "代码", "code"), Column("name", "名称", "name")),
    True,
)
UNITS = SheetSpec(
    "units",
    "责任单位",
    "units",
    (Column("code", "代码", "code"), Column("name", "名称", "name")),
    True,
)
INDICATORS = SheetSpec(
    "indicators",
    "指标",
    "indicators",
    (
        Column("code", "代码", "code"),
        Column("name", "名称", "name"),
        Column("category", "类别", "category"),
        Column("weight", "分值", "weight"),
        Column("unit", "责任单位", "unit"),
        Column("direction", "方向", "direction"),
    ),
    True,
)
RULE_ITEMS = SheetSpec(
    "rule_items",
    "细则",
    "rule_items",
    (
        Column("indicator", "指标代码", "indicator"),
        Column("code", "项目代码", "code"),
        Column("name", "项目名称", "name"),
        Column("share", "占比", "share"),
        Column("method", "计分方法", "method"),
        Column("params", "参数", "params", required=False),
    ),
    True,
)
ANNUAL = SheetSpec(
    "annual_data",
    "年度数据",
    "annual_data",
    (
        Column("county", "县区代码", "county"),
        Column("item", "项目代码", "item"),
        Column("actual", "实际值", "actual"),
        Column("target", "目标值", "target", required=False),
    ),
)
PROGRESS = SheetSpec(
    "progress",
    "预考核数据",
    "progress",
    (
        Column("round", "轮次", "round"),
        Column("county", "县区代码", "county"),
        Column("indicator", "指标代码", "indicator"),
        Column("progress", "进度", "progress"),
    ),
)
EXEMPTIONS = SheetSpec(
    "exemptions",
    "免考",
    "exemptions",
    (
        Column("county", "县区代码", "county"),
        Column("indicator", "指标代码", "indicator"),
        Column("reason", "原因", "reason", required=False),
    ),
)
ADJUSTMENTS = SheetSpec(
    "adjustments",
    "加减分",
    "adjustments",
    (
        Column("county", "县区代码", "county"),
        Column("points", "分值", "points"),
        Column("reason", "事由", "reason", required=False),
    ),
)
VETOES = SheetSpec(
    "vetoes",
    "一票否决",
    "vetoes",
    (Column("county", "县区代码", "county"), Column("reason", "事由", "reason", required=False)),
)
SHEETS = (
    SETTINGS, COUNTIES, UNITS, INDICATORS, RULE_ITEMS, ANNUAL, PROGRESS, EXEMPTIONS, ADJUSTMENTS,
    VETOES,
)  # fmt: skip


@dataclass(frozen=True)
class Setting:
    key: str
    zh: str
    default: Decimal | int | None


# The keys of the settings sheet in the order the template lists them, with the defaults of
# spec/scoring.md. The year has no default: it is required.
SETTING_KEYS = (
    Setting("year", "年度", None),
    Setting("total_points", "总分", Decimal("100")),
    Setting("excellent_ratio", "优秀比例", Decimal("0.30")),
    Setting("excellent_line", "优秀线", None),
    Setting("good_line", "良好线", Decimal("0.80")),
    Setting("fair_line", "一般线", Decimal("0.60")),
    Setting("bonus_cap", "加减分上限", None),
    Setting("april_expected", "4月预期进度", Round.DEFAULT_EXPECTED["april"]),
    Setting("august_expected", "8月预期进度", Round.DEFAULT_EXPECTED["august"]),
    Setting("tolerance", "预警容差", Decimal("10")),
    Setting("diagnosis_threshold", "会诊阈值", 3),
)

DIRECTIONS = {"正向": "higher", "higher": "higher", "逆向": "lower", "lower": "lower"}
DIRECTION_NAMES = {"higher": "正向", "lower": "逆向"}
METHOD_NAMES = {
    "manual": "直接评分",
    "ratio": "完成率",
    "relative": "标杆",
    "linear": "增减",
    "rank": "排名",
    "deduction": "扣分",
    "tiers": "分档",
    "binary": "达标",
}
METHODS = {**{zh: code for code, zh in METHOD_NAMES.items()}, **{c: c for c in METHOD_NAMES}}
ROUND_NAMES = {"april": "4月", "august": "8月"}
ROUNDS = {
    "4月": "april",
    "april": "april",
    "4月预考核": "april",
    "8月": "august",
    "august": "august",
    "8月预考核": "august",
}
ANNUAL_ROUND_NAME = "年度考核"
PRE_ROUND_NAMES = {"april": "4月预考核", "august": "8月预考核"}

# A sheet holds at most this many data rows below its header row. A data sheet that needs
# more continues on sheets named like it with a number after it (年度数据2, 年度数据3, …,
# or annual_data2, …), each with the same header row (spec/workbook.md).
SHEET_DATA_ROWS = 1_048_575
# The sheets that may continue: the data sheets of one row per county and item or indicator.
CONTINUED = frozenset({ANNUAL.key, PROGRESS.key})


def continuation_names(name: str) -> Iterator[str]:
    """The names of a data sheet and of its continuations: name, name2, name3, …"""
    yield name
    yield from (f"{name}{n}" for n in itertools.count(2))
