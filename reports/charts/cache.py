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


def chart_key(data: ChartData) -> str:
    material = json.dumps(
        [VERSION, chart_font_path(), data.key_material()],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return f"chart:{data.kind}:{hashlib.sha256(material.encode()).hexdigest()}"


def cached_svg(data: ChartData) -> str:
    """The SVG of ``data``: from the cache, or drawn now and cached."""
    key = chart_key(data)
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(data)
        cache.set(key, svg, TIMEOUT)
    return svg
