"""Chinese unless chosen, in a real browser whose system language is English (Chromium sends
``Accept-Language: en-US``): the sign-in page is Chinese, the navigation's switch turns it
English before login, the choice holds after signing in, and switching back to Chinese while
signed in, then English again, is stored with the account."""

import pytest
from playwright.sync_api import sync_playwright

from assessment.models import User
from tests.browser import launch
from tests.pages import build_cycle


def _switch(page, code: str) -> None:
    with page.expect_navigation():
        page.click(f"form.language-switch button[value={code}]")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_language_browser_asking_english_reads_chinese_until_chosen(
    live_server, unit, other_unit, county, other_county, unit_user
):
    build_cycle([county, other_county], [(90, 80), (70, 60)], units=(unit, other_unit))
    seen = []
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        asked = page.evaluate("navigator.language")
        seen.append(("login", page.get_attribute("html", "lang"), page.title()))
        _switch(page, "en")
        seen.append(("login", page.get_attribute("html", "lang"), page.title()))
        page.fill("input[name=username]", "unit-TJJ")
        page.fill("input[name=password]", "pass1234")
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        seen.append(("home", page.get_attribute("html", "lang"), page.title()))
        _switch(page, "zh-hans")
        seen.append(("home", page.get_attribute("html", "lang"), page.title()))
        _switch(page, "en")
        seen.append(("home", page.get_attribute("html", "lang"), page.title()))
        browser.close()
    assert asked == "en-US"
    product = seen[0][2].split(" · ")[1]
    assert seen == [
        ("login", "zh-hans", f"登录 · {product}"),
        ("login", "en", seen[1][2]),
        ("home", "en", seen[2][2]),
        ("home", "zh-hans", f"首页 · {product}"),
        ("home", "en", seen[2][2]),
    ]
    assert (seen[1][2].startswith("Sign in · "), seen[2][2].startswith("Home · ")) == (True, True)
    assert User.objects.get(pk=unit_user.pk).language == "en"
