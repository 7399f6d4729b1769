"""The entry grid in a real browser (Debian's Chromium through Playwright): the keys move
between cells and a block copied from a spreadsheet pastes cell by cell."""

from decimal import Decimal

import pytest
from playwright.sync_api import sync_playwright

from indicators.models import Indicator
from scoring.models import AnnualInput
from tests.browser import launch
from tests.factories import CountyFactory, RuleItemFactory
from tests.pages import build_cycle, open_rounds

# What Excel and WPS put on the clipboard for a block of 3 rows × 2 columns.
BLOCK = "92.5\t100\r\n-1.5\t2\r\n88\t90\r\n"
PASTE = """(block) => {
  const data = new DataTransfer();
  data.setData("text/plain", block);
  document.activeElement.dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_grid_paste_block_and_keys_in_a_browser(live_server, unit, other_unit, unit_user):
    counties = [CountyFactory(code=code, name=f"{code}区") for code in ("101", "102", "103")]
    cycle = build_cycle(counties, [], units=(unit, other_unit), compute=False)
    open_rounds(cycle)
    a01 = Indicator.objects.get(cycle=cycle, code="A01")
    a01.items.all().delete()
    item = RuleItemFactory(indicator=a01, code="A01-1", method="linear", params="per=5")
    url = f"{live_server.url}/cycles/2024/rounds/annual/entry/A01/"

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="en")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "unit-TJJ")
        page.fill("input[name=password]", "pass1234")
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        page.goto(url)
        cells = page.locator("input.grid-cell")
        cells.nth(0).focus()
        page.evaluate(PASTE, BLOCK)
        typed = [cells.nth(n).input_value() for n in range(6)]
        # Enter moves down, the right arrow at the end of a value moves right.
        cells.nth(0).focus()
        page.keyboard.press("Enter")
        below = page.evaluate("document.activeElement.dataset.row")
        page.keyboard.press("End")
        page.keyboard.press("ArrowRight")
        right = page.evaluate(
            "[document.activeElement.dataset.row, document.activeElement.dataset.col]"
        )
        page.keyboard.press("ArrowUp")
        up = page.evaluate(
            "[document.activeElement.dataset.row, document.activeElement.dataset.col]"
        )
        with page.expect_navigation():
            page.click("button[name=save]")
        scores = page.locator("td.item-score").all_inner_texts()
        browser.close()

    assert typed == ["92.5", "100", "-1.5", "2", "88", "90"]
    assert (below, right, up) == ("1", ["1", "1"], ["0", "1"])
    stored = sorted(
        AnnualInput.objects.filter(item=item).values_list("county__code", "actual", "target")
    )
    assert stored == [
        ("101", Decimal("92.5"), Decimal(100)),
        ("102", Decimal("-1.5"), Decimal(2)),
        ("103", Decimal(88), Decimal(90)),
    ]
    # linear, per=5: 100 + 5 × (a − t), clipped to [0, 100]: 62.50, 82.50, 90.00.
    assert scores == ["62.50", "82.50", "90.00"]
