"""End-to-end acceptance test of the workbook commands, written from the specs alone.

The test builds a cycle workbook in the layout of ``spec/workbook.md``, runs the management
commands, reads the exported workbooks back and compares them with figures computed here by
a small, separate reference implementation of ``spec/scoring.md`` (the ``ref_*`` functions).
"""

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from io import StringIO

import openpyxl
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl.utils import get_column_letter

D = Decimal
HIGHER, LOWER = "higher", "lower"

# ---------------------------------------------------------------------------------------------
# Reference implementation of spec/scoring.md
# ---------------------------------------------------------------------------------------------


def round2(x):
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def ranks_of(values, *, descending):
    """Competition ranking (1, 2, 2, 4): one plus the number of strictly better values."""
    better = (lambda o, v: o > v) if descending else (lambda o, v: o < v)
    return {k: 1 + sum(better(o, v) for o in values.values()) for k, v in values.items()}


DEFAULTS = {
    "ratio": {"cap": "100", "floor": "0"},
    "relative": {"floor": "0"},
    "linear": {"base": "100", "per": "1", "cap": "100", "floor": "0"},
    "rank": {"step": "5", "floor": "0"},
    "deduction": {"per": "10"},
}


def ref_item_scores(method, params, direction, inputs):
    """Scores (100-point scale) of one rule item; ``inputs`` = {county: (a, t)}, not exempt."""
    raw = dict(DEFAULTS.get(method, {}))
    raw.update(part.split("=", 1) for part in params.split(";") if part)
    tiers = [tuple(D(x) for x in t.split(":")) for t in raw.pop("tiers", "").split(",") if t]
    p = {k: D(v) for k, v in raw.items()}
    hi = direction == HIGHER
    actual = {c: a for c, (a, _) in inputs.items()}
    rank = ranks_of(actual, descending=hi)
    best = max(actual.values()) if hi else min(actual.values())

    def score(c, a, t):
        if method == "manual":
            return a
        if method == "ratio":
            if hi:
                s = min(100 * a / t, p["cap"])
            else:
                s = p["cap"] if a == 0 else min(100 * t / a, p["cap"])
            return max(s, p["floor"])
        if method == "relative":
            if hi:
                s = D(100) if best == 0 else 100 * a / best
            else:
                s = D(100) if a == 0 else 100 * best / a
            return max(s, p["floor"])
        if method == "linear":
            s = p["base"] + p["per"] * ((a - t) if hi else (t - a))
            return min(max(s, p["floor"]), p["cap"])
        if method == "rank":
            return max(100 - p["step"] * (rank[c] - 1), p["floor"])
        if method == "deduction":
            return max(100 - p["per"] * a, D(0))
        if method == "tiers":
            return next((s for th, s in tiers if (a >= th if hi else a <= th)), D(0))
        if method == "binary":
            return D(100) if (a >= t if hi else a <= t) else D(0)
        raise AssertionError(method)

    return {c: score(c, a, t) for c, (a, t) in inputs.items()}


def ref_results(sc):
    """Totals, ranks, grades, per-indicator points and statistics of a scenario."""
    counties = [c for c, _ in sc["counties"]]
    exempt = set(sc["exemptions"])
    weight = {i["code"]: i["weight"] for i in sc["indicators"]}
    percent = {(c, i): D(0) for c in counties for i in weight}
    for it in sc["items"]:
        ind = next(i for i in sc["indicators"] if i["code"] == it["indicator"])
        inputs = {
            c: sc["annual"][(c, it["code"])] for c in counties if (c, ind["code"]) not in exempt
        }
        for c, s in ref_item_scores(it["method"], it["params"], ind["direction"], inputs).items():
            percent[(c, ind["code"])] += it["share"] * s / 100
    points = {}
    for c in counties:
        own = {i: percent[(c, i)] * w / 100 for i, w in weight.items() if (c, i) not in exempt}
        rate = sum(own.values()) / sum(weight[i] for i in own)
        for i, w in weight.items():
            points[(c, i)] = own.get(i, w * rate)
    cap = sc["settings"].get("bonus_cap")
    totals = {}
    for c in counties:
        adj = sum((p for cc, p, _ in sc["adjustments"] if cc == c), D(0))
        if cap is not None:
            adj = min(max(adj, -cap), cap)
        totals[c] = round2(sum(points[(c, i)] for i in weight) + adj)
    rank = ranks_of(totals, descending=True)
    grade = ref_grades(sc["settings"], totals, set(sc["vetoes"]))
    stats = {}
    for i in weight:
        pts = {c: round2(points[(c, i)]) for c in counties if (c, i) not in exempt}
        down, up = ranks_of(pts, descending=True), ranks_of(pts, descending=False)
        top = sorted((c for c in pts if down[c] <= 3), key=lambda c: (-pts[c], c))
        bottom = sorted((c for c in pts if up[c] <= 3), key=lambda c: (pts[c], c))
        mean = round2(sum(pts.values()) / len(pts))
        stats[i] = (max(pts.values()), min(pts.values()), mean, top, bottom)
    return {"points": points, "totals": totals, "rank": rank, "grade": grade, "stats": stats}


def ref_grades(settings, totals, vetoed):
    """Vetoed → poor; excellent by whole groups of equal totals within the quota; then lines."""
    T, p = settings["total"], settings.get("excellent_ratio", D("0.30"))
    line = settings.get("excellent_line")
    quota = len(totals) if p == 1 else int((p * len(totals)).to_integral_value(ROUND_FLOOR))
    grade = dict.fromkeys(vetoed, "较差")
    candidates = [
        c for c in totals if c not in vetoed and (line is None or totals[c] >= round2(line * T))
    ]
    left = quota
    for total in sorted({totals[c] for c in candidates}, reverse=True):
        group = [c for c in candidates if totals[c] == total]
        if len(group) > left:
            break
        grade.update(dict.fromkeys(group, "优秀"))
        left -= len(group)
    good = round2(settings.get("good_line", D("0.80")) * T)
    fair = round2(settings.get("fair_line", D("0.60")) * T)
    for c, total in totals.items():
        grade.setdefault(c, "良好" if total >= good else "一般" if total >= fair else "较差")
    return grade


def ref_warnings(sc, round_kind):
    """{(county, indicator): (reasons, progress)} and {county: warned indicators} for D."""
    s = sc["settings"]
    default = {"april": D("33.33"), "august": D("66.67")}[round_kind]
    expected, tol = s.get(f"{round_kind}_expected", default), s.get("tolerance", D(10))
    counties = [c for c, _ in sc["counties"]]
    warnings = {}
    for ind in sc["indicators"]:
        i = ind["code"]
        reported = {c: v for r, c, ii, v in sc["progress"] if r == round_kind and ii == i}
        up = ranks_of(reported, descending=False)
        for c in counties:
            if (c, i) in sc["exemptions"]:
                continue
            v = reported.get(c)
            reasons = []
            if v is not None and len(reported) >= 4 and up[c] <= 3:
                reasons.append("后三名")
            if v is not None and v < expected - tol:
                reasons.append("进度滞后")
            if v is None:
                reasons.append("未报送")
            if reasons:
                warnings[(c, i)] = ("、".join(reasons), v)
    count = {c: sum(1 for cc, _ in warnings if cc == c) for c in counties}
    threshold = s.get("diagnosis_threshold", 3)
    return warnings, {c: n for c, n in count.items() if n >= threshold}


# ---------------------------------------------------------------------------------------------
# The scenario: 7 counties, 7 indicators, every method, both directions
# ---------------------------------------------------------------------------------------------

COUNTIES = [
    ("101", "东城区"),
    ("102", "西城区"),
    ("103", "南城区"),
    ("104", "北城区"),
    ("105", "新区"),
    ("106", "山区县"),
    ("107", "湖滨县"),
]
UNITS = [("U01", "市发改委"), ("U02", "市生态环境局"), ("U03", "市教育局")]
# code, name, category, weight out of 1000, unit, direction
INDICATORS = [
    ("GDP", "地区生产总值", "经济发展", 300, "U01", HIGHER),
    ("ENE", "单位GDP能耗", "绿色发展", 200, "U02", LOWER),
    ("EDU", "教育质量", "社会民生", 150, "U03", HIGHER),
    ("SAF", "安全生产", "社会民生", 100, "U02", LOWER),
    ("PAR", "党建工作", "党的建设", 100, "U01", HIGHER),
    ("ENV", "空气质量达标", "绿色发展", 80, "U02", HIGHER),
    ("POL", "污染物排放", "绿色发展", 70, "U02", LOWER),
]
# indicator, code, name, share, method, params
ITEMS = [
    ("GDP", "G1", "GDP增速完成率", 50, "ratio", "cap=120;floor=40"),
    ("GDP", "G2", "GDP总量排名", 30, "rank", "step=10;floor=60"),
    ("GDP", "G3", "人均GDP标杆", 20, "relative", ""),
    ("ENE", "E1", "能耗增速", 50, "linear", "base=80;per=2;cap=120"),
    ("ENE", "E2", "能耗强度", 30, "ratio", ""),
    ("ENE", "E3", "能耗总量控制", 20, "binary", ""),
    ("EDU", "T1", "教育质量评估", 100, "tiers", "tiers=95.5:100,85.3:90,70:75,0:60"),
    ("SAF", "D1", "安全事故", 100, "deduction", "per=12.345"),
    ("PAR", "M1", "党建考评", 100, "manual", ""),
    ("ENV", "B1", "优良天数比例", 100, "binary", ""),
    ("POL", "R1", "排放强度标杆", 50, "relative", "floor=50"),
    ("POL", "K1", "排放量排名", 30, "rank", "step=10"),
    ("POL", "T2", "超标次数", 20, "tiers", "tiers=1:100,3:80,6:50"),
]
# item: {county: (actual, target)}; 103 and 104 are alike everywhere; 105 is exempt from GDP
# but has G2/G3 values (larger than anyone's), which the rank and the benchmark must ignore.
# Traps: 85.3 sits exactly on a tier threshold, and 92.505, 60.045 and per=12.345 make points
# that end in 5 at the third decimal (round half up; a sum of rounded points differs).
ANNUAL = {
    "G1": {"101": (125, 100), "102": (110, 100), "103": (98, 100), "104": (98, 100),
           "106": (60, 100), "107": (30, 100)},
    "G2": {"101": (500, None), "102": (420, None), "103": (380, None), "104": (380, None),
           "105": (600, None), "106": (380, None), "107": (200, None)},
    "G3": {"101": (9.5, None), "102": (8.8, None), "103": (7.6, None), "104": (7.6, None),
           "105": (12, None), "106": (5.2, None), "107": (4.1, None)},
    "E1": {"101": (0, 25), "102": (2.5, 3), "103": (3, 3), "104": (3, 3), "105": (4.5, 3),
           "106": (8, 3), "107": (45, 3)},
    "E2": {"101": (0.4, 0.5), "102": (0.5, 0.5), "103": (0.6, 0.5), "104": (0.6, 0.5),
           "105": (0, 0.5), "106": (0.8, 0.5), "107": (1.2, 0.5)},
    "E3": {"101": (9, 10), "102": (10, 10), "103": (11, 10), "104": (11, 10), "105": (5, 10),
           "106": (12, 10), "107": (10, 10)},
    "T1": {"101": (96, None), "102": (95.5, None), "103": (85.3, None), "104": (85.3, None),
           "105": (84.99, None), "106": (70, None), "107": (50, None)},
    "D1": {"101": (0, None), "102": (1, None), "103": (2, None), "104": (2, None),
           "105": (3, None), "106": (9, None), "107": (4, None)},
    "M1": {"101": (95, None), "102": (92.505, None), "103": (88, None), "104": (88, None),
           "105": (90, None), "106": (70.25, None), "107": (60.045, None)},
    "B1": {"101": (85, 80), "102": (80, 80), "103": (79, 80), "104": (79, 80), "105": (70, 80),
           "106": (60, 80), "107": (81, 80)},
    "R1": {"101": (12, None), "102": (15, None), "103": (20, None), "104": (20, None),
           "105": (10, None), "106": (30, None), "107": (40, None)},
    "K1": {"101": (3, None), "102": (4, None), "103": (5, None), "104": (5, None),
           "105": (2, None), "106": (8, None), "107": (9, None)},
    "T2": {"101": (1, None), "102": (3, None), "103": (4, None), "104": (4, None),
           "105": (0, None), "106": (7, None), "107": (6, None)},
}  # fmt: skip
EXEMPTIONS = [("105", "GDP", "行政区划调整")]
# county, points out of 1000, reason: 102 over the cap, 106 under minus the cap
ADJUSTMENTS = [
    ("102", 15, "省级表彰"),
    ("102", 10, "创新奖"),
    ("103", 3, "专项奖励"),
    ("104", 1, "专项奖励"),
    ("104", 2, "专项奖励"),
    ("106", -30, "督查通报"),
    ("101", 5, "专项奖励"),
]
VETOES = [("101", "重大安全事故")]
# April progress per indicator and county (absent = not reported); a few August rows too.
# 23.33 sits exactly on e − d = 33.33 − 10: not behind target.
APRIL = {
    "GDP": {"101": 40, "102": 30, "103": 30, "104": 25, "106": 20},
    "ENE": {"101": 35, "102": 36, "103": 50, "104": 34, "105": 34, "106": 23.33, "107": 22},
    "EDU": {"101": 10, "102": 12, "103": 40},
    "SAF": {"101": 33.33, "102": 40, "103": 45, "104": 45, "105": 50, "106": 15, "107": 60},
    "PAR": {"101": 30, "102": 31, "103": 32, "104": 33, "105": 34, "107": 100},
    "ENV": {"101": 60, "102": 61, "103": 62, "104": 63, "105": 64, "106": 65, "107": 66},
    "POL": {"101": 50, "102": 50, "103": 50, "104": 55, "105": 56, "106": 57, "107": 58},
}
AUGUST = [("101", "GDP", 70), ("106", "GDP", 1), ("107", "EDU", 0)]


def scenario(settings):
    """The scenario for a cycle of ``settings["total"]`` points (weights, adjustments scaled)."""
    scale = settings["total"] / 1000

    def dec(v):
        return None if v is None else D(str(v))

    progress = [("april", c, i, dec(v)) for i, row in APRIL.items() for c, v in row.items()]
    progress += [("august", c, i, dec(v)) for c, i, v in AUGUST]
    return {
        "settings": settings,
        "counties": COUNTIES,
        "indicators": [
            dict(zip(("code", "name", "category", "weight", "unit", "direction"), row, strict=True))
            | {"weight": row[3] * scale}
            for row in INDICATORS
        ],
        "items": [
            dict(zip(("indicator", "code", "name", "share", "method", "params"), r, strict=True))
            | {"share": D(r[3])}
            for r in ITEMS
        ],
        "annual": {
            (c, item): (dec(a), dec(t)) for item, row in ANNUAL.items() for c, (a, t) in row.items()
        },
        "exemptions": {(c, i): reason for c, i, reason in EXEMPTIONS},
        "adjustments": [(c, p * scale, reason) for c, p, reason in ADJUSTMENTS],
        "vetoes": dict(VETOES),
        "progress": progress,
    }


# ---------------------------------------------------------------------------------------------
# The workbook: Chinese or English names, shuffled headers, an ignored column, numeric codes
# ---------------------------------------------------------------------------------------------

# Chinese sheet name: (English alias, column order with shuffled headers, {English: Chinese}).
NOTE = "备注"  # an extra column, not in the spec: ignored
SHEETS = {
    "参数": ("settings", ["value", NOTE, "key"], {"key": "项目", "value": "值"}),
    "县区": ("counties", ["name", NOTE, "code"], {"code": "代码", "name": "名称"}),
    "责任单位": ("units", ["name", "code", NOTE], {"code": "代码", "name": "名称"}),
    "指标": (
        "indicators",
        ["direction", "name", "code", NOTE, "weight", "category", "unit"],
        {"code": "代码", "name": "名称", "category": "类别", "weight": "分值", "unit": "责任单位",
         "direction": "方向"},
    ),
    "细则": (
        "rule_items",
        ["code", "indicator", "name", "share", "method", NOTE, "params"],
        {"indicator": "指标代码", "code": "项目代码", "name": "项目名称", "share": "占比",
         "method": "计分方法", "params": "参数"},
    ),
    "年度数据": (
        "annual_data",
        ["item", "county", "target", NOTE, "actual"],
        {"county": "县区代码", "item": "项目代码", "actual": "实际值", "target": "目标值"},
    ),
    "预考核数据": (
        "progress",
        ["progress", "indicator", "county", NOTE, "round"],
        {"round": "轮次", "county": "县区代码", "indicator": "指标代码", "progress": "进度"},
    ),
    "免考": ("exemptions", ["indicator", "county", "reason"],
             {"county": "县区代码", "indicator": "指标代码", "reason": "原因"}),
    "加减分": ("adjustments", ["reason", "points", "county"],
               {"county": "县区代码", "points": "分值", "reason": "事由"}),
    "一票否决": ("vetoes", ["county", "reason"], {"county": "县区代码", "reason": "事由"}),
}  # fmt: skip
SETTING_NAMES = {
    "year": ("年度", "year"),
    "total": ("总分", "total_points"),
    "excellent_ratio": ("优秀比例", "excellent_ratio"),
    "excellent_line": ("优秀线", "excellent_line"),
    "good_line": ("良好线", "good_line"),
    "fair_line": ("一般线", "fair_line"),
    "bonus_cap": ("加减分上限", "bonus_cap"),
    "april_expected": ("4月预期进度", "april_expected"),
    "august_expected": ("8月预期进度", "august_expected"),
    "tolerance": ("预警容差", "tolerance"),
    "diagnosis_threshold": ("会诊阈值", "diagnosis_threshold"),
}
DIRECTION_NAMES = {HIGHER: ("正向", HIGHER), LOWER: ("逆向", LOWER)}
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


def number(v):
    """How a person types a number in Excel: an int when whole, else a float."""
    if v is None:
        return None
    v = D(v)
    return int(v) if v == v.to_integral_value() else float(v)


def name_in(style, i, zh, en):
    """The name a workbook of ``style`` uses; "mixed" alternates Chinese and English."""
    return zh if style == "zh" or (style == "mixed" and i % 2 == 0) else en


def sheet_name(style, zh):
    return name_in(style, list(SHEETS).index(zh), zh, SHEETS[zh][0])


def rows_of(sc, year, style):
    """{Chinese sheet name: [row as {English column: cell value}]}; ``{}`` is an empty row.

    County codes are typed as numbers (``101``); words alternate between the languages."""
    s = sc["settings"]
    keys = [("year", year)] + [(k, number(v)) for k, v in s.items()]
    annual = [
        {"county": int(c), "item": r[1], "actual": number(a), "target": number(t)}
        for r in ITEMS
        for (c, item), (a, t) in sorted(sc["annual"].items())
        if item == r[1]
    ]
    annual.insert(20, {})
    return {
        "参数": [{"key": name_in(style, n, *SETTING_NAMES[k]), "value": v}
                 for n, (k, v) in enumerate(keys)],
        "县区": [{"code": int(c), "name": n} for c, n in sc["counties"]],
        "责任单位": [{"code": c, "name": n} for c, n in UNITS],
        "指标": [
            i | {"weight": number(i["weight"]),
                 "direction": name_in(style, n, *DIRECTION_NAMES[i["direction"]])}
            for n, i in enumerate(sc["indicators"])
        ],
        "细则": [
            it | {"share": number(it["share"]),
                  "method": name_in(style, n, METHOD_NAMES[it["method"]], it["method"])}
            for n, it in enumerate(sc["items"])
        ],
        "年度数据": annual,
        "预考核数据": [
            {"round": name_in(style, n, {"april": "4月", "august": "8月"}[r], r), "county": int(c),
             "indicator": i, "progress": number(v)}
            for n, (r, c, i, v) in enumerate(sc["progress"])
        ],
        "免考": [{"county": int(c), "indicator": i, "reason": r}
                 for (c, i), r in sc["exemptions"].items()],
        "加减分": [{"county": int(c), "points": number(p), "reason": r}
                   for c, p, r in sc["adjustments"]],
        "一票否决": [{"county": int(c), "reason": r} for c, r in sc["vetoes"].items()],
    }  # fmt: skip


def write_workbook(path, rows, style):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for zh, sheet_rows in rows.items():
        _, columns, chinese = SHEETS[zh]
        ws = wb.create_sheet(sheet_name(style, zh))
        ws.append([name_in(style, j, chinese.get(col, col), col) for j, col in enumerate(columns)])
        for row in sheet_rows:
            ws.append([row.get(col, "x" if row and col == NOTE else None) for col in columns])
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# Running the commands and reading the exports
# ---------------------------------------------------------------------------------------------


def run(*args):
    """Run a command; return (ok, every line it printed or raised)."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        ok, message = True, ""
    except CommandError as exc:
        ok, message = False, str(exc)
    except SystemExit as exc:
        ok, message = exc.code in (0, None), ""
    text = "\n".join((out.getvalue(), err.getvalue(), message))
    return ok, [line for line in text.splitlines() if line.strip()]


def read_sheet(path, name):
    ws = openpyxl.load_workbook(path)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], [r for r in rows[1:] if any(v is not None for v in r)]


def num(v):
    """A numeric cell as a Decimal; text, booleans and blanks are failures."""
    assert isinstance(v, int | float) and not isinstance(v, bool), f"not a number: {v!r}"
    return D(str(v))


def db_snapshot():
    """Every row of every model of our apps, to show that a refused command wrote nothing."""
    labels = ("indicators", "scoring", "assessment", "alerts", "reports")
    return {
        m._meta.label: list(m.objects.order_by("pk").values_list())
        for label in labels
        for m in apps.get_app_config(label).get_models()
    }


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------

SETTINGS = {
    # 1000 points, 30% excellence, no line: quota floor(0.3 × 7) = 2; 101 is vetoed, 102 is
    # excellent, and the tie 103 = 104 does not fit in the one place left.
    "quota tie": {
        "total": D(1000),
        "excellent_ratio": D("0.30"),
        "good_line": D("0.72"),
        "fair_line": D("0.50"),
        "bonus_cap": D(20),
        "april_expected": D("33.33"),
        "tolerance": D(10),
        "diagnosis_threshold": 4,
    },
    # 100 points, quota floor(0.6 × 7) = 4, and an excellence line that stops the walk at 105.
    "line": {
        "total": D(100),
        "excellent_ratio": D("0.6"),
        "excellent_line": D("0.735"),
        "good_line": D("0.70"),
        "fair_line": D("0.50"),
        "bonus_cap": D(2),
    },
    # 1000 points, no bonus cap, quota floor(0.43 × 7) = 3: the vetoed county counts in N
    # (floor(0.43 × 6) would be 2), so the tie 103 = 104 fits after 102.
    "vetoed in N": {
        "total": D(1000),
        "excellent_ratio": D("0.43"),
        "good_line": D("0.72"),
        "fair_line": D("0.50"),
        "april_expected": D("33.33"),
        "tolerance": D(10),
    },
}
EXCELLENT = {
    "quota tie": ["102"],
    "line": ["102", "103", "104"],
    "vetoed in N": ["102", "103", "104"],
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "style"), [("quota tie", "mixed"), ("line", "en"), ("vetoed in N", "zh")]
)
def test_workbook_commands_match_reference_figures(tmp_path, case, style):
    year = 2024
    sc = scenario(SETTINGS[case])
    ref = ref_results(sc)
    warnings, diagnosis = ref_warnings(sc, "april")
    _check_scenario_covers_the_brief(sc, ref, warnings, diagnosis, EXCELLENT[case])

    path = write_workbook(tmp_path / "cycle.xlsx", rows_of(sc, year, style), style)
    ok, lines = run("import_workbook", str(path))
    assert ok, lines
    ok, lines = run("compute_results", str(year))
    assert ok, lines
    assert run("export_results", str(year), "--out", str(tmp_path / "results.xlsx"))[0]

    codes = [i["code"] for i in sc["indicators"]]
    header, rows = read_sheet(tmp_path / "results.xlsx", "结果")
    assert header == ["县区代码", "县区名称", "总分", "排名", "等次", *codes]
    got = [[r[0], r[1], num(r[2]), num(r[3]), r[4], *(num(v) for v in r[5:])] for r in rows]
    names = dict(sc["counties"])
    order = sorted(names, key=lambda c: (ref["rank"][c], c))
    assert got == [
        [c, names[c], ref["totals"][c], ref["rank"][c], ref["grade"][c]]
        + [round2(ref["points"][(c, i)]) for i in codes]
        for c in order
    ]

    header, rows = read_sheet(tmp_path / "results.xlsx", "指标统计")
    assert header == ["指标代码", "指标名称", "最高分", "最低分", "平均分", "前三名", "后三名"]
    assert [[r[0], r[1], num(r[2]), num(r[3]), num(r[4]), r[5], r[6]] for r in rows] == [
        [i["code"], i["name"], hi, lo, mean, "、".join(top), "、".join(bottom)]
        for i in sc["indicators"]
        for hi, lo, mean, top, bottom in [ref["stats"][i["code"]]]
    ]

    assert run("close_round", str(year), "april")[0]
    assert run("export_warnings", str(year), "april", "--out", str(tmp_path / "w1.xlsx"))[0]
    header, rows = read_sheet(tmp_path / "w1.xlsx", "预警")
    assert header == ["县区代码", "指标代码", "原因", "进度"]
    got = sorted((r[0], r[1], r[2], None if r[3] is None else num(r[3])) for r in rows)
    assert got == sorted((c, i, why, v) for (c, i), (why, v) in warnings.items())
    header, rows = read_sheet(tmp_path / "w1.xlsx", "会诊")
    assert header == ["县区代码", "预警指标数"]
    assert sorted((r[0], num(r[1])) for r in rows) == sorted(diagnosis.items())

    # Closing the round again changes nothing.
    assert run("close_round", str(year), "april")[0]
    assert run("export_warnings", str(year), "april", "--out", str(tmp_path / "w2.xlsx"))[0]
    for sheet in ("预警", "会诊"):
        assert read_sheet(tmp_path / "w2.xlsx", sheet) == read_sheet(tmp_path / "w1.xlsx", sheet)


@pytest.mark.django_db
def test_imported_progress_sheet_delivers_every_indicator_of_its_rounds(tmp_path):
    """spec/scoring.md, 未报送 as amended: the progress sheet has August rows on GDP and EDU
    only, and delivers every indicator in August (the other five: every county not
    reported); it has no April rows, so April delivers nothing and no county is warned."""
    year = 2025
    sc = scenario(SETTINGS["line"])
    sc["progress"] = [row for row in sc["progress"] if row[0] == "august"]
    path = write_workbook(tmp_path / "cycle.xlsx", rows_of(sc, year, "zh"), "zh")
    assert run("import_workbook", str(path))[0]

    assert run("close_round", str(year), "april") == (True, [
        "closed 2025 april: 0 warnings (0 new, 0 replaced), 0 counties flagged for diagnosis",
        "not delivered by their units, no warnings: GDP, ENE, EDU, SAF, PAR, ENV, POL",
    ])  # fmt: skip

    warnings, diagnosis = ref_warnings(sc, "august")
    # GDP: 106 behind, 4 not reported (105 exempt); EDU: 107 behind, 6 not reported; 5 × 7.
    assert len(warnings) == 1 + 4 + 1 + 6 + 5 * 7
    assert run("close_round", str(year), "august") == (True, [
        f"closed 2025 august: {len(warnings)} warnings ({len(warnings)} new, 0 replaced), "
        f"{len(diagnosis)} counties flagged for diagnosis",
    ])  # fmt: skip
    assert run("export_warnings", str(year), "august", "--out", str(tmp_path / "w.xlsx"))[0]
    _header, rows = read_sheet(tmp_path / "w.xlsx", "预警")
    got = sorted((r[0], r[1], r[2], None if r[3] is None else num(r[3])) for r in rows)
    assert got == sorted((c, i, why, v) for (c, i), (why, v) in warnings.items())


def _check_scenario_covers_the_brief(sc, ref, warnings, diagnosis, excellent):
    """The scenario really exercises what it claims to (guards the test data itself)."""
    totals, rank, grade, points = ref["totals"], ref["rank"], ref["grade"], ref["points"]
    assert {it["method"] for it in sc["items"]} == set(METHOD_NAMES)
    assert rank["101"] == 1 and grade["101"] == "较差"  # vetoed although first
    assert totals["103"] == totals["104"] and rank["103"] == rank["104"] == 3
    cap = sc["settings"].get("bonus_cap")
    if cap is not None:
        assert sum(p for c, p, _ in sc["adjustments"] if c == "102") > cap
        assert sum(p for c, p, _ in sc["adjustments"] if c == "106") < -cap
    # A total rounds the exact sum, which differs here from the sum of the rounded points.
    codes = [i["code"] for i in sc["indicators"]]
    assert any(
        round2(sum(points[(c, i)] for i in codes)) != sum(round2(points[(c, i)]) for i in codes)
        for c in totals
    )
    assert set(grade.values()) == {"优秀", "良好", "一般", "较差"}
    assert sorted(c for c, g in grade.items() if g == "优秀") == excellent
    assert any(len(top) > 3 for *_, top, _ in ref["stats"].values())
    assert any(len(bottom) > 3 for *_, bottom in ref["stats"].values())
    assert {"后三名", "进度滞后", "未报送", "后三名、进度滞后"} <= {w for w, _ in warnings.values()}
    assert diagnosis and len(diagnosis) < len(sc["counties"])


def _broken_rows(sc, year):
    """A copy with an unknown county in the annual data, an unknown method and weights that
    sum to 990; returns the rows and the expected location patterns (mixed style)."""
    rows = rows_of(sc, year, "mixed")
    rows["年度数据"].append({"county": 999, "item": "G1", "actual": 50, "target": 100})
    rows["细则"][3]["method"] = "按比例"
    rows["指标"][0]["weight"] = 290
    annual_row = len(rows["年度数据"]) + 1
    method_cell = f"{get_column_letter(SHEETS['细则'][1].index('method') + 1)}5"
    patterns = [
        rf"^{sheet_name('mixed', '年度数据')}( row {annual_row}\b|!\w+{annual_row}\b).*999",
        rf"^{sheet_name('mixed', '细则')}!{method_cell}\b.*按比例",
        rf"^{sheet_name('mixed', '指标')}\b.*990",
    ]
    return rows, patterns


@pytest.mark.django_db
def test_import_workbook_broken_copy_lists_every_problem_and_writes_nothing(tmp_path):
    sc = scenario(SETTINGS["quota tie"])
    ok_path = write_workbook(tmp_path / "ok.xlsx", rows_of(sc, 2024, "mixed"), "mixed")
    assert run("import_workbook", str(ok_path))[0]
    before = db_snapshot()
    rows, patterns = _broken_rows(sc, 2024)
    broken = write_workbook(tmp_path / "broken.xlsx", rows, "mixed")

    for replace in (["--replace"], []):
        ok, lines = run("import_workbook", str(broken), *replace)
        assert not ok
        assert db_snapshot() == before
        for pattern in patterns:
            assert len([ln for ln in lines if re.search(pattern, ln)]) == 1, (pattern, lines)


@pytest.mark.django_db
def test_compute_results_missing_input_is_refused_and_named(tmp_path):
    sc = scenario(SETTINGS["quota tie"])
    del sc["annual"][("104", "E2")]
    path = write_workbook(tmp_path / "c.xlsx", rows_of(sc, 2024, "mixed"), "mixed")
    assert run("import_workbook", str(path))[0]
    before = db_snapshot()
    ok, lines = run("compute_results", "2024")
    assert not ok
    assert db_snapshot() == before
    named = [ln for ln in lines if all(w in ln for w in ("104", "ENE", "E2"))]
    assert named, lines
    assert all("U02" in ln or "市生态环境局" in ln for ln in named), named
    others = [c for c, _ in COUNTIES if c != "104"] + [r[1] for r in ITEMS if r[1] != "E2"]
    assert [w for w in others if any(w in ln for ln in lines)] == [], lines


# ---------------------------------------------------------------------------------------------
# Negative growth: linear, rank, tiers and binary take negative values (spec/scoring.md)
# ---------------------------------------------------------------------------------------------

# item: {county: (actual, target)}, replacing the scenario's values; tier thresholds below
# zero. Traps: −1.5 and 0 sit on tier thresholds, −0.5 = −0.5 on a binary target, 107's
# linear score falls below its floor, and ranks tie on equal negative values.
NEGATIVE_ANNUAL = {
    "G2": {"101": (-1.2, None), "102": (-3.5, None), "103": (-2, None), "104": (-2, None),
           "105": (5, None), "106": (-2, None), "107": (0.8, None)},
    "E1": {"101": (-2.5, -1), "102": (-1, 1.5), "103": (0.5, -0.5), "104": (0.5, -0.5),
           "105": (-10, 3), "106": (3, -3), "107": (-0.3, -45)},
    "E3": {"101": (-1, -0.5), "102": (-0.5, -0.5), "103": (0, -0.5), "104": (0, -0.5),
           "105": (-2, -1), "106": (1, 2), "107": (-3, -4)},
    "T1": {"101": (2.5, None), "102": (0, None), "103": (-1.5, None), "104": (-1.5, None),
           "105": (-3, None), "106": (-5, None), "107": (-7.2, None)},
    "B1": {"101": (-0.5, -1), "102": (-1, -1), "103": (-1.2, -1), "104": (-1.2, -1),
           "105": (0, 2), "106": (-5, -6), "107": (3, -2)},
    "K1": {"101": (-3, None), "102": (-1, None), "103": (0, None), "104": (0, None),
           "105": (-4, None), "106": (2, None), "107": (-1, None)},
    "T2": {"101": (-3, None), "102": (-2, None), "103": (0, None), "104": (0, None),
           "105": (1, None), "106": (1.5, None), "107": (4, None)},
}  # fmt: skip
NEGATIVE_TIERS = {"T1": "tiers=2:100,0:90,-1.5:75,-5:60", "T2": "tiers=-2:100,0:80,1.5:50"}


def negative_growth_scenario(settings):
    sc = scenario(settings)
    for item, row in NEGATIVE_ANNUAL.items():
        for c, (a, t) in row.items():
            sc["annual"][(c, item)] = (D(str(a)), None if t is None else D(str(t)))
    for it in sc["items"]:
        it["params"] = NEGATIVE_TIERS.get(it["code"], it["params"])
    return sc


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "style"), [("quota tie", "zh"), ("line", "mixed")])
def test_negative_growth_imports_and_matches_reference_figures(tmp_path, case, style):
    sc = negative_growth_scenario(SETTINGS[case])
    methods = {it["code"]: it["method"] for it in sc["items"]}
    negative = {methods[i] for (c, i), (a, t) in sc["annual"].items() if a < 0 or (t or 0) < 0}
    assert negative == {"linear", "rank", "tiers", "binary"}
    assert any(D(t.split(":")[0]) < 0 for t in NEGATIVE_TIERS["T1"][6:].split(","))
    ref = ref_results(sc)
    e1 = {c: sc["annual"][(c, "E1")] for c, _ in COUNTIES}
    scores = ref_item_scores("linear", "base=80;per=2;cap=120", LOWER, e1)
    assert scores["107"] == 0 and scores["105"] == D("106")

    path = write_workbook(tmp_path / "cycle.xlsx", rows_of(sc, 2024, style), style)
    ok, lines = run("import_workbook", str(path))
    assert ok, lines
    ok, lines = run("compute_results", "2024")
    assert ok, lines
    assert run("export_results", "2024", "--out", str(tmp_path / "results.xlsx"))[0]

    codes = [i["code"] for i in sc["indicators"]]
    _, rows = read_sheet(tmp_path / "results.xlsx", "结果")
    got = [[r[0], num(r[2]), num(r[3]), r[4], *(num(v) for v in r[5:])] for r in rows]
    order = sorted(ref["totals"], key=lambda c: (ref["rank"][c], c))
    assert got == [
        [c, ref["totals"][c], ref["rank"][c], ref["grade"][c]]
        + [round2(ref["points"][(c, i)]) for i in codes]
        for c in order
    ]


@pytest.mark.django_db
def test_negative_values_refused_where_the_method_cannot_take_them(tmp_path):
    # ratio (G1), relative (G3) and deduction (D1) need a >= 0: each line names its cell.
    sc = scenario(SETTINGS["quota tie"])
    for item in ("G1", "G3", "D1"):
        sc["annual"][("102", item)] = (D("-5.3"), sc["annual"][("102", item)][1])
    rows = rows_of(sc, 2024, "zh")
    column = get_column_letter(SHEETS["年度数据"][1].index("actual") + 1)
    places = [
        n + 2
        for n, row in enumerate(rows["年度数据"])
        if row and row["county"] == 102 and row["item"] in ("G1", "G3", "D1")
    ]
    path = write_workbook(tmp_path / "neg.xlsx", rows, "zh")

    ok, lines = run("import_workbook", str(path))

    assert not ok
    for place in places:
        found = [ln for ln in lines if re.search(rf"^年度数据!{column}{place}\b.*-5\.3", ln)]
        assert len(found) == 1, (place, lines)
    assert db_snapshot()["assessment.Cycle"] == []
