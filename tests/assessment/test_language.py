"""Chinese unless chosen (issue 20): the browser's Accept-Language is not asked; the switch
stores the choice in the session (also before login) and with a signed-in account, whose
language then holds in its later sessions, its emails and its exports."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from assessment.language.choice import SESSION_KEY
from assessment.models import User

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}
HOME = "/"


def _lang(response) -> str:
    return response.headers["Content-Language"]


def _switch(client: Client, language: str, next_url: str = HOME):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_language_english_browser_gets_chinese_pages(lead, computed):
    client = Client(headers=ENGLISH_BROWSER)
    login_page = client.get(reverse("login"))
    client.force_login(lead)
    home = client.get(HOME)
    assert (_lang(login_page), _lang(home)) == ("zh-hans", "zh-hans")
    assert "<title>首页 · " in home.content.decode()


def test_language_chosen_before_login_holds_in_the_session_after_it(lead, computed):
    client = Client(headers=ENGLISH_BROWSER)
    response = _switch(client, "en", reverse("login"))
    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert _lang(client.get(reverse("login"))) == "en"
    client.force_login(lead)  # a login keeps the anonymous session's data
    assert _lang(client.get(HOME)) == "en"
    # Chosen before login: the session's choice, not the account's.
    assert User.objects.get(pk=lead.pk).language == "zh-hans"


def test_language_chosen_signed_in_is_stored_with_the_account(lead, computed):
    client = Client()
    client.force_login(lead)
    _switch(client, "en")
    assert (User.objects.get(pk=lead.pk).language, client.session[SESSION_KEY]) == ("en", "en")
    later = Client()  # another session, another day
    later.force_login(lead)
    assert _lang(later.get(HOME)) == "en"
    _switch(later, "zh-hans")
    assert User.objects.get(pk=lead.pk).language == "zh-hans"
    assert _lang(later.get(HOME)) == "zh-hans"


def test_language_unknown_changes_nothing(lead, computed):
    client = Client()
    client.force_login(lead)
    response = _switch(client, "fr")
    assert (response.status_code, response["Location"]) == (302, HOME)
    assert (User.objects.get(pk=lead.pk).language, _lang(client.get(HOME))) == (
        "zh-hans",
        "zh-hans",
    )


def test_language_switch_goes_back_only_to_the_sites_pages(lead, computed):
    client = Client()
    client.force_login(lead)
    page = reverse("scoring:results", kwargs={"year": 2024})
    assert _switch(client, "en", page)["Location"] == page
    assert _switch(client, "en", "https://evil.example/")["Location"] == HOME


def test_language_switch_refuses_a_get(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_language_exports_follow_the_account(lead, computed):
    url = reverse("reports:results_xlsx", kwargs={"year": 2024})
    names = {}
    for language in ("zh-hans", "en"):
        User.objects.filter(pk=lead.pk).update(language=language)
        client = Client(headers=ENGLISH_BROWSER)
        client.force_login(lead)
        response = client.get(url)
        b"".join(response.streaming_content)
        names[language] = response["Content-Disposition"]
    assert quote("考核结果-2024.xlsx") in names["zh-hans"]
    assert "appraisal-results-2024.xlsx" in names["en"]


def test_language_the_data_interface_follows_accept_language(db):
    english = Client(headers=ENGLISH_BROWSER).get("/api/v1/cycles")
    chinese = Client().get("/api/v1/cycles")
    assert (english.status_code, _lang(english), _lang(chinese)) == (401, "en", "zh-hans")
