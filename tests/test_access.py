"""Every URL of the project, tried by every role against the access declared for it here.

ACCESS is the one place that says who may open which page. A URL pattern without a
declaration fails :func:`test_every_url_has_a_declared_access`, so a new page cannot ship
without one. ``admin/`` (Django's own permissions) and ``i18n/`` (open by design) are skipped.
"""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.views.defaults import server_error

from api.tokens import issue_token
from assessment.access import (
    current_cycle,
    get_county_for_user,
    get_cycle_or_404,
    require_role,
)
from assessment.models import Cycle
from indicators.access import get_indicator_for_user
from tests.access import (
    LOGIN,
    ROLES,
    SHARED_KWARGS,
    access,
    declarations,
    get_and_post,
    lead_only,
)
from tests.clients import EnglishClient
from tests.factories import CycleFactory
from tests.pages import build_cycle

# The apps whose tests declare the access of their URLs (tests/<app>/access.py).
APPS = ("assessment", "indicators", "scoring", "alerts", "reports", "api")

# The project's own URLs (config/urls.py); every app's are in tests/<app>/access.py.
PROJECT_ACCESS = {
    "login": access(anonymous=200, lead=302, unit=302, county=302),
    "logout": access("post", anonymous=LOGIN, lead=LOGIN, unit=LOGIN, county=LOGIN),
    "password_change": access(lead=200, unit=200, county=200),
}


def _app_tables() -> list:
    tables = []
    for app in APPS:
        try:
            tables.append(importlib.import_module(f"tests.{app}.access"))
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.access":
                raise
    return tables


ACCESS = dict(PROJECT_ACCESS)
for _table in _app_tables():
    ACCESS.update(_table.ACCESS)

# health/ answers everyone, with the state of the services, not of access (tests/config).
SKIPPED_PREFIXES = ("admin/", "i18n/", "health/")


def url_patterns(patterns=None, namespace="", prefix=""):
    """(name with namespace, route, kwarg names) of every named URL outside the skipped ones."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", route, set(entry.pattern.regex.groupindex)


@pytest.fixture
def world(lead, unit, other_unit, unit_user, county, other_county, county_user):
    """The personas, a computed cycle, and the URL kwargs of their own objects ("own") and
    of the other unit's and county's ("other"), from the base world and every app's table."""
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)], units=(unit, other_unit))
    world = {
        "cycle": cycle,
        "users": {"anonymous": None, "lead": lead, "unit": unit_user, "county": county_user},
        "own": {"year": cycle.year, "county": county.code, "unit": unit.code, "indicator": "A01"},
        "other": {
            "year": cycle.year,
            "county": other_county.code,
            "unit": other_unit.code,
            "indicator": "A02",
        },
    }
    for table in _app_tables():
        if hasattr(table, "objects"):
            extra = table.objects(world)
            world["own"].update(extra["own"])
            world["other"].update(extra["other"])
    return world


def outcome_of(response: HttpResponse):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def test_every_url_has_a_declared_access():
    names = [name for name, _route, _kwargs in url_patterns()]
    assert sorted(set(names) - set(ACCESS)) == []
    assert sorted(set(ACCESS) - set(names)) == []


def test_every_per_object_url_declares_its_outsiders():
    """A URL that names a county's or a unit's object says what the other ones get."""
    missing = [
        name
        for name, _route, kwarg_names in url_patterns()
        if kwarg_names - SHARED_KWARGS
        and not {"unit", "county"} <= set(ACCESS[name].get("outsider", {}))
    ]
    assert missing == []


def _request(world, name, kwarg_names, scope, role, declared=None):
    declared = ACCESS[name] if declared is None else declared
    url = reverse(name, kwargs={k: world[scope][k] for k in kwarg_names})
    client = Client()
    user = world["users"][role]
    headers = {}
    if user is not None and declared.get("auth") == "token":
        secret = issue_token(user=user, name="access test", actor=None).secret
        headers["authorization"] = f"Bearer {secret}"
    elif user is not None:
        client.force_login(user)
    response = getattr(client, declared["method"])(url, headers=headers)
    if response.streaming:  # a file download: read it through, which closes its file
        b"".join(response.streaming_content)
    return outcome_of(response)


def test_every_url_answers_each_role_as_declared(world):
    failures = []
    for name, route, kwarg_names in url_patterns():
        unknown = kwarg_names - set(world["own"])
        assert not unknown, f"{route}: no test object for URL kwargs {sorted(unknown)}"
        for declared in declarations(ACCESS[name]):
            for role in ROLES:
                got = _request(world, name, kwarg_names, "own", role, declared)
                if got != declared[role]:
                    failures.append((name, declared["method"], role, declared[role], got))
    assert failures == []


def test_every_url_refuses_outsiders_as_declared(world):
    """The same URLs naming the other unit's and county's objects: usually 404."""
    failures = []
    for name, _route, kwarg_names in url_patterns():
        for declared in declarations(ACCESS[name]):
            for role, expected in declared.get("outsider", {}).items():
                got = _request(world, name, kwarg_names, "other", role, declared)
                if got != expected:
                    failures.append((name, declared["method"], role, expected, got))
    assert failures == []


# Outcomes that refuse the caller before the method is looked at.
REFUSALS = (LOGIN, 401, 403, 404)


def test_every_url_answering_get_declares_it(world):
    """A page reached by GET (a preview before a POST confirms it) is declared for GET, so
    that every role is tried on it: a URL declared for POST only answers GET with 405 to
    every role its POST lets through (the others are refused as they are for the POST). A
    route another name serves by GET (the data interface reads and writes a round's data at
    one address) is that name's."""
    patterns = list(url_patterns())
    read = {route for name, route, _ in patterns if ACCESS[name]["method"] == "get"}
    answering = []
    for name, route, kwarg_names in patterns:
        declared = ACCESS[name]
        if "get" in {d["method"] for d in declarations(declared)} or route in read:
            continue
        as_get = {**declared, "method": "get"}
        for role in ROLES:
            got = _request(world, name, kwarg_names, "own", role, as_get)
            if got != 405 and not (got == declared[role] and got in REFUSALS):
                answering.append((name, role, got))
    assert answering == []


def test_get_and_post_declares_both_methods():
    declared = get_and_post(lead_only(), lead_only("post", lead=302))
    assert [(d["method"], d["lead"], d["unit"]) for d in declarations(declared)] == [
        ("get", 200, 403), ("post", 302, 403),
    ]  # fmt: skip
    with pytest.raises(ValueError):
        get_and_post(lead_only("post"), lead_only())


# --- the helpers themselves -----------------------------------------------------------------


def _ok(request, **kwargs):
    return HttpResponse("ok")


def test_require_role_anonymous_redirects_to_login():
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = AnonymousUser()
    response = require_role("lead")(_ok)(request)
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/somewhere/%3Fx%3D1",
    )


def test_require_role_wrong_role_is_denied(unit_user):
    request = RequestFactory().get("/")
    request.user = unit_user
    with pytest.raises(PermissionDenied):
        require_role("lead", "county")(_ok)(request)


def test_require_role_right_role_passes_and_is_declared_on_the_view(county_user):
    request = RequestFactory().get("/")
    request.user = county_user
    view = require_role("lead", "county")(_ok)
    assert (view(request).content, view.access_roles) == (b"ok", ("lead", "county"))


def test_require_role_unknown_role_is_an_error():
    with pytest.raises(ValueError):
        require_role("admin")


def test_current_cycle_prefers_the_latest_active_one(db):
    CycleFactory(year=2023, status=Cycle.Status.ACTIVE)
    CycleFactory(year=2024, status=Cycle.Status.DRAFT)
    CycleFactory(year=2022, status=Cycle.Status.ARCHIVED)
    assert current_cycle().year == 2023


def test_current_cycle_without_active_one_is_the_latest(db):
    CycleFactory(year=2023, status=Cycle.Status.ARCHIVED)
    CycleFactory(year=2024, status=Cycle.Status.DRAFT)
    assert current_cycle().year == 2024


def test_current_cycle_without_cycles_is_none(db):
    assert current_cycle() is None


def test_get_cycle_or_404_unknown_year_is_404(db):
    CycleFactory(year=2024)
    with pytest.raises(Http404):
        get_cycle_or_404(1999)
    assert get_cycle_or_404(2024).year == 2024


@pytest.fixture
def two_indicators(unit, other_unit, county, other_county):
    return build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)


def test_get_indicator_for_user_every_role_reads_every_indicator(
    two_indicators, lead, unit_user, county_user
):
    codes = [
        get_indicator_for_user(user, two_indicators, code).code
        for user in (lead, unit_user, county_user)
        for code in ("A01", "A02")
    ]
    assert codes == ["A01", "A02"] * 3


def test_get_indicator_for_user_unit_writes_its_own(two_indicators, unit_user):
    assert get_indicator_for_user(unit_user, two_indicators, "A01", write=True).unit.code == "TJJ"


def test_get_indicator_for_user_unit_writing_another_units_is_404(two_indicators, unit_user):
    with pytest.raises(Http404):
        get_indicator_for_user(unit_user, two_indicators, "A02", write=True)


def test_get_indicator_for_user_county_writing_is_403(two_indicators, county_user):
    with pytest.raises(PermissionDenied):
        get_indicator_for_user(county_user, two_indicators, "A01", write=True)


def test_get_indicator_for_user_lead_writes_any(two_indicators, lead):
    assert get_indicator_for_user(lead, two_indicators, "A02", write=True).code == "A02"


def test_get_indicator_for_user_unknown_code_is_404(two_indicators, lead):
    with pytest.raises(Http404):
        get_indicator_for_user(lead, two_indicators, "Z99")


def test_get_county_for_user_county_sees_only_its_own(county_user, other_county):
    assert get_county_for_user(county_user, "101").name == "东城区"
    with pytest.raises(Http404):
        get_county_for_user(county_user, "102")


def test_get_county_for_user_lead_and_unit_see_every_county(lead, unit_user, other_county):
    assert [get_county_for_user(u, "102").name for u in (lead, unit_user)] == ["西城区"] * 2


# --- the error pages ------------------------------------------------------------------------


def test_forbidden_page_explains_and_links_home(client, unit_user, computed):
    client.force_login(unit_user)
    response = client.get(reverse("scoring:results", kwargs={"year": 2024}))
    body = response.content.decode()
    assert response.status_code == 403
    assert "<title>Access denied · " in body
    assert "Your account does not have access to this page." in body
    assert f'href="{reverse("home")}"' in body


def test_not_found_page_is_in_the_users_language(lead, computed):
    client = Client(headers={"accept-language": "en"})  # the browser's language is not asked
    client.force_login(lead)
    response = client.get(reverse("indicators:system", kwargs={"year": 1999}))
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in body
    assert "<title>页面不存在 · " in body


def test_expired_form_page_explains_what_to_do(lead, computed):
    client = EnglishClient(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(reverse("scoring:compute_results", kwargs={"year": 2024}))
    assert response.status_code == 403
    assert "<title>The form has expired · " in response.content.decode()


def test_read_only_pages_refuse_a_post(client, lead, computed):
    client.force_login(lead)
    urls = [
        reverse("home"),
        reverse("indicators:system", kwargs={"year": 2024}),
        reverse("scoring:results", kwargs={"year": 2024}),
        reverse("scoring:workbook_template"),
        reverse("scoring:workbook_export", kwargs={"year": 2024}),
        reverse("reports:results_xlsx", kwargs={"year": 2024}),
    ]
    assert [client.post(url).status_code for url in urls] == [405] * len(urls)


def test_server_error_page_renders_without_a_request_context(db):
    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "<title>Server error</title>" in body
    assert 'href="/"' in body
