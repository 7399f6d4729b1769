"""Screenshots of pages as a signed-in user sees them, for looking at what we build.

Usage (with the app running, e.g. ``scripts/demo.sh 8010``)::

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8010 --user lead \\
        --out /tmp/shots / /cycles/2026/results/

Writes one full-page PNG per path into ``--out`` (named after the path) and prints each
file's name. Uses Debian's Chromium (``/usr/bin/chromium``) through Playwright.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", help="sign in as this user first (none: anonymous)")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--out", default="/tmp/screenshots")
    parser.add_argument("--lang", default="zh-CN")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale=args.lang, viewport={"width": args.width, "height": 900})
        if args.user:
            page.goto(f"{args.base}/accounts/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            with page.expect_navigation():
                page.press("input[name=password]", "Enter")
            if "/accounts/login/" in page.url:
                raise SystemExit(f"could not sign in as {args.user}")
        for path in args.paths:
            page.goto(args.base + path)
            page.wait_for_load_state("networkidle")
            name = re.sub(r"[^A-Za-z0-9]+", "_", f"{args.user or 'anon'}{path}").strip("_")
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
