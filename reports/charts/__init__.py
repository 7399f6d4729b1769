"""Server-side charts (matplotlib → SVG), their data as tables and CSV, and their cache.

``data`` reads what a chart shows (a fixed number of queries) into a :class:`ChartData`;
``draw`` turns it into SVG; ``cache`` draws each distinct data once and serves it from
Django's cache afterwards; ``fonts`` finds the CJK font and checks its glyphs.
"""
