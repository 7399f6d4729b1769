"""The Simplified Chinese catalogue is complete, and pages speak Chinese by default."""

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from scoring.models import Grade

ROOT = Path(__file__).resolve().parents[2]
# The project's catalogue (base templates, settings) and one per app.
CATALOGUES = sorted(
    [
        ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
        *ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"),
    ]
)


def _entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry; plural forms joined."""
    entries = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.M) is not None
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = match.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        if "msgid" in parts:
            msgstr = "".join(v for k, v in parts.items() if k.startswith("msgstr"))
            entries.append((parts["msgid"], msgstr, fuzzy))
    return entries


def test_catalogue_zh_hans_one_per_app():
    apps = sorted(path.relative_to(ROOT).parts[0] for path in CATALOGUES)
    assert apps == [
        "alerts",
        "api",
        "assessment",
        "demo",
        "indicators",
        "locale",
        "reports",
        "scoring",
    ]


def test_catalogue_zh_hans_every_entry_translated():
    entries = [
        (path.relative_to(ROOT).parts[0], *entry)
        for path in CATALOGUES
        for entry in _entries(path.read_text(encoding="utf-8"))
    ]
    assert len(entries) > 300
    untranslated = [
        (app, msgid) for app, msgid, msgstr, fuzzy in entries if msgid and (not msgstr or fuzzy)
    ]
    assert untranslated == []


def test_catalogue_compiled_translates_labels():
    with translation.override("zh-hans"):
        assert (str(Grade.EXCELLENT.label), gettext("Simplified Chinese")) == ("优秀", "简体中文")


def test_login_page_default_language_is_chinese(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()
    assert "Sign in" not in response.content.decode()


def test_login_page_chinese_whatever_the_browser_asks(db):
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get(reverse("login"))
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_login_page_english_when_chosen(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
    assert "Sign in with your account" in response.content.decode()
