"""Every page of every role under the strict Content-Security-Policy, in a real browser
(Debian's Chromium through Playwright): the walk visits each GET URL the access tables
declare open to the role (tests/test_access.py) and fails on any CSP violation the browser
reports in its console (an inline script or style, a foreign source)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests import test_access
from tests.browser import launch
from tests.test_access import ACCESS, url_patterns

world = test_access.world  # the access tests' world: personas and their objects

# Files, not pages: the browser downloads them (the pages show the charts as images).
DOWNLOADS = (".xlsx", ".csv", ".svg")


def _pages(world, role) -> list[str]:
    urls = []
    for name, route, kwarg_names in url_patterns():
        declared = ACCESS[name]
        if declared["method"] != "get" or declared[role] != 200 or route.endswith(DOWNLOADS):
            continue
        urls.append(reverse(name, kwargs={k: world["own"][k] for k in kwarg_names}))
    return urls


def _violations(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_runs_under_the_csp(live_server, world):
    lead = world["users"]["lead"]
    lead.is_staff = lead.is_superuser = True  # the first account: the admin too
    lead.save()
    logins = {"lead": "lead", "unit": "unit-TJJ", "county": "county-101"}
    found: list[tuple[str, str, str]] = []
    visited = 0
    with sync_playwright() as p:
        browser = launch(p)
        for role, username in logins.items():
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            messages: list[str] = []
            page.on("console", lambda msg, messages=messages: messages.append(msg.text))
            page.on("pageerror", lambda exc, messages=messages: messages.append(str(exc)))
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", "pass1234")
            with page.expect_navigation():
                page.press("input[name=password]", "Enter")
            # The admin, its lockouts, and the data interface's description (Swagger UI).
            extra = (
                ["/admin/", "/admin/axes/accessattempt/", "/api/v1/docs"] if role == "lead" else []
            )
            for url in [*_pages(world, role), "/accounts/password/", *extra]:
                messages.clear()
                try:
                    page.goto(f"{live_server.url}{url}", wait_until="load")
                except PlaywrightError as exc:
                    if "Download is starting" in str(exc):
                        continue
                    raise
                visited += 1
                found += [(role, url, m) for m in _violations(messages)]
            context.close()
        browser.close()
    assert visited > 60
    assert found == []
