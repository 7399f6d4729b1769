"""Login throttling (django-axes) on /accounts/login/ and /admin/login/: an account, and an
address, locked after AXES_FAILURE_LIMIT failures, a Chinese page saying so, the client's
address taken from the X-Forwarded-For of the README's proxy, lockouts cleared in the admin
or by `manage.py axes_reset`."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from assessment.security import client_ip

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def _try(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_login_account_locked_after_the_failure_limit_even_with_the_right_password(lead):
    client = Client(headers={"accept-language": "zh-hans"})
    answers = [_try(client, LOGIN, "lead", "wrong").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    locked = _try(client, LOGIN, "lead", "pass1234")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败 3 次后，此账号和此地址已被锁定。" in page
    assert "请 30 分钟后再试，或请牵头部门解除锁定。" in page
    assert "_auth_user_id" not in client.session


def test_login_address_locked_whatever_the_account(lead, unit_user):
    client = Client()
    for name in ("nobody", "someone", "another"):
        _try(client, LOGIN, name, "wrong")
    assert _try(client, LOGIN, "unit-TJJ", "pass1234").status_code == 429


def test_login_below_the_limit_then_right_password_signs_in_and_resets(lead):
    client = Client()
    for _ in range(2):
        _try(client, LOGIN, "lead", "wrong")
    assert _try(client, LOGIN, "lead", "pass1234").status_code == 302
    assert AccessAttempt.objects.count() == 0


def test_admin_login_is_throttled_too(lead):
    lead.is_staff = True
    lead.save()
    client = Client()
    answers = [_try(client, ADMIN_LOGIN, "lead", "wrong").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert _try(client, ADMIN_LOGIN, "lead", "pass1234").status_code == 429


def test_login_behind_the_proxy_locks_the_forwarded_address_only(settings, lead, unit_user):
    """The README's nginx sets X-Forwarded-For; REMOTE_ADDR is the proxy for everyone."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for name in ("a", "b", "c"):
        _try(client, LOGIN, name, "wrong", HTTP_X_FORWARDED_FOR="10.0.0.7")
    assert AccessAttempt.objects.get(username="a").ip_address == "10.0.0.7"
    assert (
        _try(client, LOGIN, "unit-TJJ", "pass1234", HTTP_X_FORWARDED_FOR="10.0.0.7").status_code
        == 429
    )
    other = _try(client, LOGIN, "unit-TJJ", "pass1234", HTTP_X_FORWARDED_FOR="10.0.0.8")
    assert other.status_code == 302


def test_client_ip_takes_the_entry_the_trusted_proxy_wrote(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7"
    )
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.7"  # 6.6.6.6 was written by the client itself
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"


def test_client_ip_without_the_header_is_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"


def test_axes_reset_command_clears_lockouts(lead):
    client = Client()
    for _ in range(3):
        _try(client, LOGIN, "lead", "wrong")
    assert AccessAttempt.objects.count() == 1
    call_command("axes_reset", verbosity=0)
    assert AccessAttempt.objects.count() == 0
    assert _try(client, LOGIN, "lead", "pass1234").status_code == 302


def test_lead_sees_and_clears_lockouts_in_the_admin(lead):
    locked_out = Client()
    for _ in range(3):
        _try(locked_out, LOGIN, "unit-TJJ", "wrong")
    attempt = AccessAttempt.objects.get()
    lead.is_staff = lead.is_superuser = True  # the first account, made by createsuperuser
    lead.save()
    admin = Client()
    admin.force_login(lead)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "unit-TJJ" in listing.content.decode()
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert AccessAttempt.objects.count() == 0
