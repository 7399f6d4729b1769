"""Charts drawn once per change of their data, then served from Django's cache.

The key is a digest of everything the drawing depends on (the data, the labels in the
viewer's language, the font): new results, a publication or another language give a new key,
so nothing needs invalidating; stale entries age out.
"""

import hashlib
import json

from django.core.cache import cache

from reports.charts.data import ChartData
from reports.charts.draw import render_svg
from reports.charts.fonts import chart_font_path

# Bump when the drawing code changes so that cached pictures are redrawn.
VERSION = 1
TIMEOUT = 30 * 24 * 3600


def chart_key(data: ChartData, *, narrow: bool = False) -> str:
    material = json.dumps(
        [VERSION, chart_font_path(), narrow, data.key_material()],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return f"chart:{data.kind}:{hashlib.sha256(material.encode()).hexdigest()}"


def cached_svg(data: ChartData, *, narrow: bool = False) -> str:
    """The SVG of ``data`` (``narrow``: the variant for phones): from the cache, or drawn now
    and cached."""
    key = chart_key(data, narrow=narrow)
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(data, narrow=narrow)
        cache.set(key, svg, TIMEOUT)
    return svg


def draw_ahead(data: ChartData, *, narrow: bool = False) -> bool:
    """Draw ``data`` into the cache unless it is there already; whether it was drawn now."""
    key = chart_key(data, narrow=narrow)
    if cache.has_key(key):
        return False
    cache.set(key, render_svg(data, narrow=narrow), TIMEOUT)
    return True
