"""Drawing a :class:`~reports.charts.data.ChartData` as SVG with matplotlib.

The object-oriented API only (``Figure`` + the SVG canvas, no pyplot state), so that drawing
is safe in threads. Text is written as paths: the SVG looks the same in any browser, with
or without a Chinese font on the reader's machine; the server needs one (:mod:`.fonts`).
"""

import io
import logging
import textwrap
import threading
from collections.abc import Callable

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.text import Text

from reports.charts.data import ChartData
from reports.charts.fonts import chart_font_path, missing_glyphs

logger = logging.getLogger(__name__)

BLUE, ORANGE, GREY, GREEN, RED = "#0d6efd", "#fd7e14", "#adb5bd", "#198754", "#dc3545"
WIDTH = 9.0  # inches; the pages scale the SVG to their width
# The narrow variant, for phones (the pages offer it below 768 px through <picture>): at 4.2
# inches (302 pt) shown about 366 px wide on a 390 px screen, every text of at least 10 pt is
# at least 12 px high there.
NARROW_WIDTH = 4.2
NARROW_TITLE = 22  # characters per line of a narrow chart's title
NARROW_LABEL = 10  # characters of a bar's label on a narrow chart (the data table has all)

# How many charts this process has drawn (the cache's tests read it).
drawn = 0


def _style() -> dict:
    path = chart_font_path()
    fontManager.addfont(path)
    return {
        "font.family": [FontProperties(fname=path).get_name()],
        "font.size": 10,
        "svg.fonttype": "path",
        "svg.hashsalt": "appraisal",  # stable ids: the same data gives the same SVG
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def texts_of(figure: Figure) -> str:
    """Every piece of text on ``figure``: titles, labels, ticks, legends, annotations."""
    return "".join(t.get_text() for t in figure.findobj(Text))


def _trend(fig: Figure, s: dict, narrow: bool) -> None:
    """Total above, rank below (first place at the top), one shared axis of years."""
    ax, rank = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    xs = list(range(len(s["years"])))
    ax.plot(xs, s["totals"], marker="o", color=BLUE)
    for x, y in zip(xs, s["totals"], strict=True):
        ax.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center")
    ax.set_ylabel(s["total_label"])
    ax.margins(y=0.25)
    rank.plot(xs, s["ranks"], marker="s", color=ORANGE)
    for x, y, n in zip(xs, s["ranks"], s["counts"], strict=True):
        rank.annotate(f"{y}/{n}", (x, y), textcoords="offset points", xytext=(0, 7), ha="center")
    rank.set_ylabel(s["rank_label"])
    most = max(s["counts"] or [1])
    rank.set_ylim(most + 0.5, 0.5)  # first place at the top
    rank.set_yticks(sorted({1, most, *range(5, most + 1, 5)}))
    rank.set_xticks(xs, s["years"])
    rank.set_xlim(-0.5, len(xs) - 0.5)


def _short(labels: list[str], narrow: bool) -> list[str]:
    if not narrow:
        return labels
    return [lab if len(lab) <= NARROW_LABEL else lab[: NARROW_LABEL - 1] + "…" for lab in labels]


def _bars(fig: Figure, s: dict, *, colors: list[str], narrow: bool) -> object:
    ax = fig.add_subplot()
    positions = range(len(s["labels"]))
    ax.barh(list(positions), s["values"], color=colors)
    ax.set_yticks(list(positions), _short(s["labels"], narrow))
    ax.invert_yaxis()  # the first row at the top
    ax.set_xlabel(s["axis_label"])
    return ax


def _indicator(fig: Figure, s: dict, narrow: bool) -> None:
    colors = [ORANGE if own else BLUE for own in s["highlight"]]
    ax = _bars(fig, s, colors=colors, narrow=narrow)
    if s["average"] is not None:
        ax.axvline(s["average"], color=RED, linestyle="--", label=s["average_label"])
        ax.legend(loc="lower right")


def _change(fig: Figure, s: dict, narrow: bool) -> None:
    colors = [
        ORANGE if own else (GREEN if value >= 0 else RED)
        for value, own in zip(s["values"], s["highlight"], strict=True)
    ]
    ax = _bars(fig, s, colors=colors, narrow=narrow)
    ax.axvline(0, color=GREY, linewidth=1)


def _profile(fig: Figure, s: dict, narrow: bool) -> None:
    ax = fig.add_subplot()
    n = len(s["labels"])
    ys = list(range(n))
    ax.barh([y - 0.2 for y in ys], s["values"], height=0.4, color=BLUE, label=s["value_label"])
    averages = [0 if a is None else a for a in s["averages"]]
    ax.barh([y + 0.2 for y in ys], averages, height=0.4, color=GREY, label=s["average_label"])
    ax.set_yticks(ys, _short(s["labels"], narrow))
    ax.invert_yaxis()
    ax.set_xlabel(s["axis_label"])
    ax.legend(loc="lower right")


def _distribution(fig: Figure, s: dict, narrow: bool) -> None:
    ax = fig.add_subplot()
    ax.bar(s["starts"], s["counts"], width=s["width"], align="edge", color=BLUE, edgecolor="white")
    for (value, label), color in zip(s["lines"], (GREEN, BLUE, ORANGE), strict=False):
        ax.axvline(value, color=color, linestyle="--", label=f"{label} {value:.2f}")
    ax.set_xlabel(s["axis_label"])
    ax.set_ylabel(s["count_label"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    if s["lines"]:
        ax.legend(loc="upper left")


def _trends(fig: Figure, s: dict, narrow: bool) -> None:
    ax = fig.add_subplot()
    xs = list(range(len(s["years"])))
    for name, values in s["lines"]:
        ax.plot(xs, values, marker="o", markersize=3, linewidth=1.2, label=name)
    ax.set_xticks(xs, s["years"])
    ax.set_ylabel(s["axis_label"])
    if s["lines"] and narrow:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, frameon=False)
    elif s["lines"]:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)


DRAWERS: dict[str, Callable[[Figure, dict, bool], None]] = {
    "trend": _trend,
    "profile": _profile,
    "indicator": _indicator,
    "change": _change,
    "distribution": _distribution,
    "trends": _trends,
}
ROW_HEIGHT = {"profile": 0.32, "indicator": 0.28, "change": 0.28}


def _height(data: ChartData, narrow: bool) -> float:
    per_row = ROW_HEIGHT.get(data.kind)
    if per_row is None:
        base = 4.5
        if narrow and data.kind == "trends":  # the legend goes under the plot
            base += 0.12 * ((len(data.series.get("lines", [])) + 1) // 2)
        return base
    return max(3.0, 1.4 + per_row * len(data.rows))


_DRAWING = threading.Lock()


def draw_figure(data: ChartData, *, narrow: bool = False) -> Figure:
    """The matplotlib figure of ``data`` (drawn inside the chart style); ``narrow``: the
    variant for phones, no text under 10 pt."""
    with matplotlib.rc_context(_style()):
        width = NARROW_WIDTH if narrow else WIDTH
        fig = Figure(figsize=(width, _height(data, narrow)), layout="constrained")
        title = textwrap.fill(data.title, NARROW_TITLE) if narrow else data.title
        fig.suptitle(title, fontsize=12)
        if data.rows:
            DRAWERS[data.kind](fig, data.series, narrow)
        else:
            empty = data.series.get("empty", "—")
            if narrow:
                empty = textwrap.fill(empty, NARROW_TITLE)
            fig.text(0.5, 0.5, empty, ha="center", va="center")
    return fig


def render_svg(data: ChartData, *, narrow: bool = False) -> str:
    """The SVG text of ``data`` (``narrow``: the variant for phones). Logs an error when the
    font lacks a glyph of the labels."""
    global drawn
    # rc_context swaps matplotlib's global rcParams: two threads of one server drawing at
    # once (a page's charts requested together) restored each other's settings mid-drawing,
    # an occasional 500. One drawing at a time per process.
    with _DRAWING:
        fig = draw_figure(data, narrow=narrow)
        with matplotlib.rc_context(_style()):
            buffer = io.StringIO()
            FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    missing = missing_glyphs(texts_of(fig))
    if missing:
        logger.error("chart %s: the font lacks %s", data.kind, "".join(sorted(missing)))
    drawn += 1
    return buffer.getvalue()
