"""Test workbooks written with openpyxl from plain Python lists.

A workbook is a mapping of sheet name → rows, each row a list of cell values (``None`` for an
empty cell); the first row of an import sheet holds its headers. :func:`sample_cycle` gives
a small valid cycle in the import layout of ``spec/workbook.md``, whose results are worked
out by hand in ``tests/assessment/test_import_workbook.py``.
"""

import copy
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

Sheets = Mapping[str, Sequence[Sequence]]


def write_workbook(target, sheets: Sheets) -> None:
    """Write ``sheets`` to ``target`` (a path or a binary file-like), in the given order."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    book.save(target)


def save_workbook(path: Path, sheets: Sheets) -> Path:
    """Write ``sheets`` to ``path`` and return it."""
    write_workbook(path, sheets)
    return path


def workbook_bytes(sheets: Sheets) -> io.BytesIO:
    """``sheets`` as an in-memory .xlsx file, positioned at its start."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    buffer.seek(0)
    return buffer


def read_workbook(source) -> dict[str, list[list]]:
    """Every sheet of an .xlsx file as equally long lists of values (read by openpyxl)."""
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True)
    sheets = {}
    try:
        for ws in book:
            rows = [list(row) for row in ws.iter_rows(values_only=True)]
            # Empty trailing cells are not stored: pad every row to the widest one.
            width = max((len(row) for row in rows), default=0)
            sheets[ws.title] = [row + [None] * (width - len(row)) for row in rows]
    finally:
        book.close()
    return sheets


_SAMPLE = {
    "参数": [
        ["项目", "值"],
        ["年度", 2024],
        ["总分", 100],
        ["优秀比例", "40%"],
        ["良好线", 0.8],
        ["一般线", 0.6],
        ["加减分上限", 2],
    ],
    "县区": [["代码", "名称"], ["101", "东城区"], ["102", "西城区"], ["103", "南城区"]],
    "责任单位": [["代码", "名称"], ["TJJ", "市统计局"], ["HBJ", "市生态环境局"]],
    "指标": [
        ["代码", "名称", "类别", "分值", "责任单位", "方向"],
        ["I01", "经济增长", "经济发展", 60, "TJJ", "正向"],
        ["I02", "环境质量", "生态文明", 40, "HBJ", "逆向"],
    ],
    "细则": [
        ["指标代码", "项目代码", "项目名称", "占比", "计分方法", "参数"],
        ["I01", "K01", "地区生产总值完成率", 60, "完成率", "cap=120"],
        ["I01", "K02", "增速排名", 40, "排名", "step=10"],
        ["I02", "K03", "环境督察评分", 70, "直接评分", None],
        ["I02", "K04", "重污染天数", 30, "分档", "tiers=10:100,20:80,30:60"],
    ],
    "年度数据": [
        ["县区代码", "项目代码", "实际值", "目标值"],
        ["101", "K01", 110, 100],
        ["102", "K01", 90, 100],
        ["103", "K01", 100, 100],
        ["101", "K02", 5, None],
        ["102", "K02", 8, None],
        ["103", "K02", 6, None],
        ["101", "K03", 90, None],
        ["102", "K03", 85.5, None],
        ["101", "K04", 15, None],
        ["102", "K04", 8, None],
    ],
    "预考核数据": [
        ["轮次", "县区代码", "指标代码", "进度"],
        ["4月", "101", "I01", 40],
        ["4月", "102", "I01", 20],
        ["4月", "103", "I01", 35],
        ["8月", "101", "I02", 70.5],
    ],
    "免考": [["县区代码", "指标代码", "原因"], ["103", "I02", "辖区无工业企业"]],
    "加减分": [
        ["县区代码", "分值", "事由"],
        ["101", 2, "抗洪抢险表彰"],
        ["101", 1, "招商引资专项"],
        ["102", -1.5, "安全生产通报"],
    ],
    "一票否决": [["县区代码", "事由"], ["102", "重大安全生产责任事故"]],
}


def sample_cycle() -> dict[str, list[list]]:
    """A fresh copy of the small valid cycle: 3 counties, 2 indicators, 4 rule items."""
    return copy.deepcopy(_SAMPLE)
