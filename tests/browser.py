"""Debian's Chromium driven by Playwright, launched the same way by every browser test (no
sandbox, no GPU, nothing fetched from the network: the machine may have no internet)."""

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    """A headless Chromium of ``playwright`` (``sync_playwright()``'s object)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
