"""Requests refused cleanly: a control character anywhere in a path is 404 on every URL
pattern, a body over REQUEST_BODY_MAX_BYTES is 413 before it is read (400 when it streams
past it), a refusal is one line in the log; the Content-Security-Policy header; the session
renewed by activity; private files 0600; passwords changed and set through the validators."""

import logging
import os
import re
import stat
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from assessment.middleware import RENEWED_AT
from assessment.models import User
from tests.pages import build_cycle, open_rounds
from tests.test_access import url_patterns

PARAM = re.compile(r"<(?:\w+:)?\w+>")


def _sample_path(route: str) -> str:
    """A path of ``route`` with each parameter filled (a number fits every converter)."""
    return "/" + PARAM.sub("2024", route)


@pytest.mark.parametrize("bad", ["%00", "%01", "%1F", "%7F", "a%00b"])
def test_every_url_pattern_answers_404_to_a_control_character_in_any_segment(client, lead, bad):
    client.force_login(lead)
    failures = []
    for name, route, _kwargs in url_patterns():
        segments = _sample_path(route).split("/")
        for index in range(1, len(segments)):
            spoiled = segments.copy()
            spoiled[index] = (spoiled[index] + bad) if spoiled[index] else bad
            path = "/".join(spoiled)
            status = client.get(path).status_code
            if status != 404:
                failures.append((name, path, status))
    assert failures == []


def test_nul_in_a_county_path_answers_404_for_its_county(client, county_user):
    """The URL of the issue: /counties/%00/years/ gave a 500."""
    client.force_login(county_user)
    assert client.get("/counties/%00/years/").status_code == 404


def test_declared_body_over_the_limit_is_413_before_it_is_read(client, lead, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    client.force_login(lead)
    response = client.generic(
        "POST", reverse("scoring:workbook"), b"x" * 10, CONTENT_LENGTH="500000000"
    )
    assert response.status_code == 413
    assert response.content.decode() == (
        "The request is 476.8\xa0MB; the largest accepted is 1000\xa0bytes "
        "(REQUEST_BODY_MAX_BYTES). Nothing was received."
    )


def test_declared_body_over_the_limit_in_chinese(lead, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    client = Client(headers={"accept-language": "zh-hans"})
    response = client.generic("POST", "/workbook/", b"", CONTENT_LENGTH="2000")
    assert response.status_code == 413
    assert "最大只接受" in response.content.decode()


def test_upload_streaming_past_the_limit_is_refused(client, lead, settings):
    """The handler counts what arrives (a client may declare a body smaller than it is)."""
    settings.REQUEST_BODY_MAX_BYTES = 200_000
    client.force_login(lead)
    from assessment.uploads import LimitedUploadHandler

    handler = LimitedUploadHandler()
    handler.handle_raw_input(None, {}, 100, b"b")
    handler.receive_data_chunk(b"x" * 150_000, 0)
    from django.core.exceptions import RequestDataTooBig

    with pytest.raises(RequestDataTooBig):
        handler.receive_data_chunk(b"x" * 60_000, 150_000)
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"x" * 150_000)
    small = client.post(reverse("scoring:workbook"), {"file": upload})
    assert small.status_code in (200, 400)


def test_forbidden_is_one_log_line_without_traceback(client, county_user, caplog):
    client.force_login(county_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("scoring:workbook")).status_code == 403
    from assessment.logging import OneLineRefusals

    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Forbidden (Permission denied): /workbook/"]
    one_line = OneLineRefusals()
    assert one_line.filter(records[0]) is True
    assert (records[0].exc_info, records[0].exc_text) == (None, None)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    assert handler.format(records[0]) == (
        "WARNING django.request Forbidden (Permission denied): /workbook/"
    )


def test_content_security_policy_header_is_strict(client, lead):
    client.force_login(lead)
    response = client.get(reverse("home"))
    directives = dict(
        part.split(" ", 1) for part in response["Content-Security-Policy"].split("; ")
    )
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def test_session_expires_after_a_working_day_without_requests(settings):
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_RENEW_SECONDS) == (8 * 3600, 300)


def test_session_renewed_by_a_request_after_the_renewal_interval(client, lead):
    client.force_login(lead)
    session = client.session
    assert abs(session[RENEWED_AT] - time.time()) < 5
    session[RENEWED_AT] = int(time.time()) - 600
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date
    time.sleep(1)
    client.get(reverse("home"))
    after = Session.objects.get(session_key=session.session_key).expire_date
    assert after > before
    assert abs(client.session[RENEWED_AT] - time.time()) < 5


def test_password_change_page_for_every_role(client, lead, unit_user, county_user):
    for user in (lead, unit_user, county_user):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("password_change")}"' in page
        assert client.get(reverse("password_change")).status_code == 200


def test_password_change_refuses_a_weak_password(client, unit_user):
    client.force_login(unit_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass1234", "new_password1": "1", "new_password2": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert "This password is too common." in response.content.decode()


def test_password_change_saves_and_keeps_the_session(client, unit_user):
    client.force_login(unit_user)
    new = "Kaohe-2026-unit-pw"
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass1234", "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["Your password has been changed."]
    unit_user.refresh_from_db()
    assert unit_user.check_password(new)


def test_createsuperuser_noinput_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "1")
    with pytest.raises(CommandError) as refused:
        call_command("createsuperuser", "--noinput", username="chief", email="chief@example.gov.cn")
    assert "This password is too short" in str(refused.value)
    assert not User.objects.filter(username="chief").exists()


@pytest.mark.django_db
def test_private_files_are_written_0600(
    client, county_user, unit, other_unit, county, other_county
):
    from indicators.models import Indicator
    from scoring.models import Evidence

    cycle = build_cycle([county, other_county], [], units=(unit, other_unit), compute=False)
    open_rounds(cycle)
    client.force_login(county_user)
    url = reverse("scoring:evidence", kwargs={"year": 2024, "round": "april"})
    pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    indicator = Indicator.objects.get(code="A01")
    client.post(url, {"indicator": indicator.pk, "file": SimpleUploadedFile("a.pdf", pdf)})
    path = Evidence.objects.get().file.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    parent = Path(path).parent
    assert stat.S_IMODE(parent.stat().st_mode) == 0o700


def test_password_too_short_reads_in_chinese(unit_user):
    """Django 5.2's own message lost its Chinese; the project's validator says it in Chinese."""
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(unit_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass1234", "new_password1": "Ab1!x", "new_password2": "Ab1!x"},
    )
    assert response.context["form"].errors["new_password2"] == [
        "密码长度太短。密码必须包含至少 8 个字符。"
    ]


def test_control_character_in_an_api_path_is_a_json_404(client):
    response = client.get("/api/v1/cycles/2024/rounds/%00/data")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        404, "application/json", {"detail": "not found", "problems": []},
    )  # fmt: skip
