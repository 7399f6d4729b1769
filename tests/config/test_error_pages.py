"""The 404 and 403 pages are the project's own, in Chinese, with the navigation and the way
home — also with DEBUG on, as in the demo (config/middleware.py), unless TECHNICAL_404."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TECHNICAL = "<title>Page not found at "  # Django's technical 404 page


@pytest.fixture
def chinese(lead):
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(lead)
    return client


def _is_own_page(body: str, title: str) -> bool:
    return (
        f"<title>{title} · " in body
        and 'aria-label="主导航"' in body
        and "返回首页</a>" in body
        and TECHNICAL not in body
    )


def test_not_found_unknown_address_with_debug_on_is_the_projects_page(settings, chinese):
    settings.DEBUG = True
    response = chinese.get("/no-such-page/")
    assert response.status_code == 404
    assert _is_own_page(response.content.decode(), "页面不存在")


def test_not_found_unknown_object_with_debug_on_is_the_projects_page(settings, chinese):
    settings.DEBUG = True
    response = chinese.get(reverse("indicators:system", kwargs={"year": 1999}))
    assert response.status_code == 404
    assert _is_own_page(response.content.decode(), "页面不存在")


def test_not_found_with_debug_off_is_the_projects_page(settings, chinese):
    settings.DEBUG = False
    response = chinese.get("/no-such-page/")
    assert response.status_code == 404
    assert _is_own_page(response.content.decode(), "页面不存在")


def test_not_found_technical_page_when_the_setting_asks(settings, chinese):
    settings.DEBUG = True
    settings.TECHNICAL_404 = True
    response = chinese.get("/no-such-page/")
    assert response.status_code == 404
    assert TECHNICAL in response.content.decode()


def test_not_found_anonymous_with_debug_on_shows_the_sign_in(settings):
    settings.DEBUG = True
    response = Client(headers={"accept-language": "zh-hans"}).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert (TECHNICAL in body, "<title>页面不存在 · " in body) == (False, True)


def test_missing_final_slash_still_redirects_with_debug_on(settings, chinese):
    settings.DEBUG = True
    response = chinese.get("/warnings")
    assert (response.status_code, response["Location"]) == (301, "/warnings/")


def test_forbidden_with_debug_on_is_the_projects_page(settings, unit_user):
    settings.DEBUG = True
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(unit_user)
    response = client.get(reverse("alerts:rounds", kwargs={"year": 2024}))
    assert response.status_code == 403
    assert _is_own_page(response.content.decode(), "无权访问")
