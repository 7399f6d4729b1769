"""The navigation bar fits a 1280 px wide window for every role, in Chinese and in English
(Debian's Chromium through Playwright): the menu is expanded from 1200 px, and the lead
department's, with the most entries, and a county's, with its unread count, once pushed the
language switch past the window's edge."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from assessment.language.choice import SESSION_KEY
from tests.browser import launch
from tests.factories import RoundFactory, WarningFactory
from tests.pages import build_cycle

LAPTOP = {"width": 1280, "height": 800}
# A folder to keep a screenshot of each role's home page in, to look at them (optional).
SHOTS = os.environ.get("NAV_SCREENSHOTS")
# How far the page, the navigation bar and the farthest of its controls reach past the
# window's right edge (0 when everything fits), and whether the menu is expanded (its
# toggle button hidden).
MEASURE = """() => {
  const nav = document.querySelector("nav.app-navbar");
  const controls = nav.querySelectorAll("a, button");
  const right = Math.max(...Array.from(controls, (c) => c.getBoundingClientRect().right));
  return {
    page: document.documentElement.scrollWidth - window.innerWidth,
    nav: nav.scrollWidth - nav.clientWidth,
    controls: Math.max(0, Math.ceil(right) - window.innerWidth),
    expanded: getComputedStyle(nav.querySelector(".navbar-toggler")).display === "none",
  };
}"""


def _cookie(user, language: str, base_url: str) -> dict:
    """A signed-in session of ``user`` that chose ``language`` with the switch."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = language
    session.save()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_navigation_fits_1280_px_for_every_role_in_both_languages(
    live_server, county, other_county, unit, other_unit, lead, unit_user, county_user
):
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], units=(unit, other_unit))
    april = RoundFactory(cycle=cycle, code="april", name="4月预考核", status="closed")
    WarningFactory(round=april, cycle=cycle, county=county, indicator=cycle.indicators.first())
    lead.is_staff = True  # the administration's entry too: the longest navigation
    # The names the account button shows: the demo city's, the unit's the longest of them.
    names = {lead: "市委考核办", unit_user: "市人力资源社会保障局", county_user: "东城区"}
    for user, name in names.items():
        user.first_name = name
        user.save()
    users = {"lead": lead, "unit": unit_user, "county": county_user}
    cookies = {
        (role, language): _cookie(user, language, live_server.url)
        for language in ("zh-hans", "en")
        for role, user in users.items()
    }
    measured = {}
    with sync_playwright() as p:
        browser = launch(p)
        for key, cookie in cookies.items():
            context = browser.new_context(viewport=LAPTOP)
            context.add_cookies([cookie])
            page = context.new_page()
            response = page.goto(f"{live_server.url}/")
            assert response.status == 200, key
            measured[key] = page.evaluate(MEASURE)
            if SHOTS:
                page.screenshot(path=str(Path(SHOTS) / f"nav-1280-{key[0]}-{key[1]}.png"))
            context.close()
        browser.close()
    fits = {"page": 0, "nav": 0, "controls": 0, "expanded": True}
    assert measured == dict.fromkeys(cookies, fits)
