"""No page shows a link its reader cannot open (issue 19).

For each persona of the access world (tests/test_access.py's ``world``: the lead department,
two units, two counties, and an expert of another unit assigned to the persona county's
diagnosis case), the crawl starts from the home page and from every GET URL of the access
tables (with the persona's own objects and with the others'), and follows every link of every
page that answers 200, once per URL. A link that answers 403 or 404 — or sends a signed-in
reader to the login page — is a failure named with the page that showed it. The start URLs
themselves may refuse (that is what the access tables declare); only shown links must open.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from alerts.models import DiagnosisCase
from assessment.models import User
from tests import test_access
from tests.factories import UnitFactory, UserFactory
from tests.test_access import ACCESS, url_patterns

# The access world (tests/test_access.py's fixture ``world``), as a fixture of this module.
access_world = test_access.world

# Not crawled: Django's admin (its own permissions and links), files served as such, the
# language switch and logout (POST only).
SKIPPED = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
DEAD = (403, 404)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(page: str, html: str) -> list[str]:
    """The site's own URLs a page links to: absolute paths with their query, no fragment."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(page, href)).url
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(SKIPPED):
            found.append(path)
    return found


def start_urls(world) -> list[str]:
    """Home and every GET URL of the access tables, naming one's own objects and the others'."""
    urls = [reverse("home")]
    for name, _route, kwarg_names in url_patterns():
        if ACCESS[name]["method"] != "get":
            continue
        for scope in ("own", "other"):
            url = reverse(name, kwargs={k: world[scope][k] for k in kwarg_names})
            if url not in urls and not url.startswith(SKIPPED):
                urls.append(url)
    return urls


def _visit(client: Client, url: str):
    response = client.get(url)
    if response.streaming:  # a file download: read it through, which closes its file
        b"".join(response.streaming_content)
    return response


def crawl(user: User, starts: list[str]) -> tuple[list[tuple[str, str, object]], int]:
    """Visit ``starts`` and every link shown on the pages reached, each URL once, as ``user``.

    Returns the dead links as (page that showed it, link, outcome), each pair once, and the
    number of URLs visited. A start URL that refuses is no failure; a page linking to it is.
    """
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    outcome: dict[str, object] = {}
    shown: list[tuple[str, str]] = []  # (page, link)
    queue = deque(starts)
    queued = set(starts)
    while queue:
        url = queue.popleft()
        response = _visit(client, url)
        outcome[url] = _outcome(url, response)
        if isinstance(outcome[url], str) and outcome[url] != "login":  # a redirect
            links = [outcome[url]]
        elif outcome[url] == 200 and "text/html" in response.get("Content-Type", ""):
            links = links_of(url, response.content.decode())
            shown += [(url, link) for link in links]
        else:
            links = []
        for link in links:
            if link not in queued:
                queued.add(link)
                queue.append(link)
    dead = []
    for page, link in dict.fromkeys(shown):
        end = _final(outcome, link)
        if end in (*DEAD, "login"):
            dead.append((page, link, end))
    return dead, len(outcome)


def _final(outcome: dict, url: str) -> object:
    """Where following ``url``'s redirects ends: a status code or "login"."""
    for _hop in range(10):
        result = outcome.get(url)
        if not isinstance(result, str) or result == "login":
            return result
        url = result
    return "redirect loop"


def _outcome(url: str, response) -> object:
    """The status code, "login" for a redirect to the login page, or a redirect's target."""
    if response.status_code not in (301, 302):
        return response.status_code
    location = urljoin(url, response["Location"])
    if urlsplit(location).path == reverse("login"):
        return "login"
    return location


@pytest.fixture
def personas(access_world, other_unit_user, other_county_user):
    """The world's personas plus the other unit's and county's users and an assigned expert:
    a person of a third unit (科技局, no indicator of its own) on the persona county's case."""
    expert = UserFactory(
        username="unit-KJJ", role=User.Role.UNIT, unit=UnitFactory(code="KJJ", name="市科技局")
    )
    DiagnosisCase.objects.get(pk=access_world["own"]["case"]).experts.add(expert)
    users = access_world["users"]
    return {
        "lead": users["lead"],
        "unit": users["unit"],
        "other unit": other_unit_user,
        "county": users["county"],
        "other county": other_county_user,
        "expert": expert,
    }


def test_crawl_every_link_shown_opens_for_every_persona(access_world, personas):
    starts = start_urls(access_world)
    dead = {}
    visited = {}
    for persona, user in personas.items():
        dead[persona], visited[persona] = crawl(user, starts)
    assert dead == {persona: [] for persona in personas}
    # The crawl went past the start URLs for every persona (it read the pages' links).
    assert all(count > len(starts) for count in visited.values()), visited


def test_links_of_keeps_the_sites_paths_only():
    html = (
        '<a href="/warnings/3/#top">w</a><a href="../cases/1/?x=1">c</a>'
        '<a href="https://example.com/">out</a><a href="/static/a.css">s</a>'
        '<a href="mailto:a@b.c">m</a><a>none</a><a href="#main">skip</a>'
    )
    assert links_of("/cycles/2024/rounds/", html) == [
        "/warnings/3/",
        "/cycles/2024/cases/1/?x=1",
        "/cycles/2024/rounds/",
    ]


def test_crawl_names_the_page_that_shows_a_dead_link(settings, lead):
    settings.ROOT_URLCONF = "tests.crawl_urls"
    dead, visited = crawl(lead, ["/crawl-test/links/"])
    assert dead == [
        ("/crawl-test/links/", "/crawl-test/refused/", 403),
        ("/crawl-test/links/", "/crawl-test/missing/", 404),
    ]
    assert visited > 4  # the three pages, home and the links of home
