"""Screenshots of pages as a signed-in user sees them, for looking at what we build.

Usage (with the app running, e.g. ``scripts/demo.sh 8010``)::

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8010 --user lead \\
        --out /tmp/shots / /cycles/2026/results/

Writes one full-page PNG per path into ``--out`` (named after the path) and prints each
file's name. Uses Debian's Chromium (``/usr/bin/chromium``) through Playwright. ``--lang en``
chooses English with the navigation's switch before signing in (the pages are Chinese
whatever the browser asks); ``--element`` shoots one element only (e.g. ``nav.app-navbar``),
``--open-menu`` first opens the collapsed navigation of a narrow screen. The navigation's
screenshots in docs/screenshots/ are made so::

    scripts/screenshots.py --user lead --element nav.app-navbar --width 1400 \\
        --out docs/screenshots /
    scripts/screenshots.py --user lead --element nav.app-navbar --width 390 --open-menu \
        --out docs/screenshots /
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
SWITCH = """(code) => document.querySelector(
  `form.language-switch button[value="${code}"]`).click()"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", help="sign in as this user first (none: anonymous)")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--out", default="/tmp/screenshots")
    parser.add_argument("--lang", default="zh-hans", help="zh-hans or en, chosen with the switch")
    parser.add_argument("--browser-locale", default="zh-CN")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--element", help="CSS selector of the one element to shoot")
    parser.add_argument("--open-menu", action="store_true", help="open the collapsed menu")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(
            locale=args.browser_locale, viewport={"width": args.width, "height": 900}
        )
        page.goto(f"{args.base}/accounts/login/")
        if args.lang != "zh-hans":
            # The switch may sit in the collapsed menu of a narrow screen: press it by script.
            with page.expect_navigation():
                page.evaluate(SWITCH, args.lang)
        if args.user:
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
            if args.element:
                name += f"_{re.sub(r'[^A-Za-z0-9]+', '_', args.element)}_{args.width}"
            target = out / f"{name}.png"
            if args.open_menu and page.is_visible(".navbar-toggler"):
                page.click(".navbar-toggler")
                page.wait_for_selector("#main-nav.show")
            if args.element:
                page.locator(args.element).screenshot(path=str(target))
            else:
                page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
