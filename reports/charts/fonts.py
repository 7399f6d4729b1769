"""The font of the charts: one with the Chinese glyphs of the labels.

``CHART_FONT`` (a path to a .ttf/.otf/.ttc) wins; otherwise the first installed font of
:data:`FAMILIES` (the README's set-up installs Debian's ``fonts-noto-cjk``). Text in the SVG is
drawn as paths, so the browser needs no font at all.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTCollection, TTFont
from matplotlib import font_manager

# Families with the CJK glyphs, most preferred first (Linux, then Windows and macOS names).
FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


class NoChartFont(Exception):
    """No font with Chinese glyphs is installed; the message says what to install."""


@lru_cache(maxsize=1)
def chart_font_path() -> str:
    configured = getattr(settings, "CHART_FONT", "")
    if configured:
        if not Path(configured).is_file():
            raise NoChartFont(f"CHART_FONT={configured} is not a file")
        return configured
    # The regular weight of each family (a family also lists its bold and light files).
    installed: dict[str, str] = {}
    for f in font_manager.fontManager.ttflist:
        if f.style == "normal" and f.weight in (400, "normal", "regular"):
            installed.setdefault(f.name, f.fname)
    for family in FAMILIES:
        if family in installed:
            return installed[family]
    raise NoChartFont(
        "No font with Chinese glyphs found for the charts: install Debian's fonts-noto-cjk "
        "(scripts/demo.sh and scripts/test.sh do) or set CHART_FONT to a font file."
    )


@lru_cache(maxsize=8)
def _codepoints(path: str) -> frozenset[int]:
    if path.lower().endswith(".ttc"):
        collection = TTCollection(path, lazy=True)
        try:
            return frozenset(collection.fonts[0].getBestCmap())
        finally:
            collection.close()
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str, path: str | None = None) -> set[str]:
    """The characters of ``text`` (whitespace aside) that the font at ``path`` cannot draw."""
    codepoints = _codepoints(path or chart_font_path())
    return {ch for ch in text if not ch.isspace() and ord(ch) not in codepoints}
