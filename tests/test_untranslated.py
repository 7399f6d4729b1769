"""Every page a role reaches, read in Chinese: no label of our catalogues left in English.

The catalogues' msgids that have a Chinese msgstr are what the pages say in English; one of
them appearing verbatim (as whole words) in the visible text of a Chinese page is a label
rendered without translation (a string not marked, marked lazily too late, or looked up in
the wrong context). Codes, numbers and user data are not msgids of this kind: only msgids
of at least two letter-words or one word of four letters or more, without placeholders,
whose msgstr differs, are looked for. The pages are those of tests/test_access.py's world,
each URL tried by the lead department, a unit and a county where it answers 200 to GET, and
what every form of the pages each role opens answers when posted with bad values.
"""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.config.test_bad_requests import _forms
from tests.test_access import ACCESS, url_patterns, world  # noqa: F401 (the fixture)

ROOT = Path(settings.BASE_DIR)
# Forms whose post ends the session or changes its language: not posted by the form walk.
SIGNING_OUT = {"/accounts/logout/", "/i18n/setlang/"}
HIDDEN = re.compile(r"<(script|style|svg|textarea|pre)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def english_labels() -> dict[str, str]:
    """msgid → one catalogue holding it, for the msgids looked for (see the module doc)."""
    labels = {}
    catalogues = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
    for po in [*catalogues, ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]:
        for entry in polib.pofile(str(po)):
            text = entry.msgid
            if entry.obsolete or not entry.msgstr or entry.msgstr == text or entry.msgid_plural:
                continue
            if "%" in text or "{" in text or "<" in text:
                continue
            words = re.findall(r"[A-Za-z]+", text)
            one_word = len(words) == 1 and len(words[0]) >= 4 and words[0] == text
            if (len(words) >= 2 or one_word) and not text.isupper():
                labels[text] = str(po.relative_to(ROOT))
    return labels


def label_patterns() -> list[tuple[str, re.Pattern]]:
    """Each label looked for, as whole words, the longest first."""
    return [
        (text, re.compile(r"(?<![\w.-])" + re.escape(text) + r"(?![\w.-])"))
        for text in sorted(english_labels(), key=len, reverse=True)
    ]


def visible_text(body: str) -> str:
    text = TAG.sub("\n", HIDDEN.sub(" ", body))
    return html.unescape(text)


def untranslated(body: str, patterns: list[tuple[str, re.Pattern]]) -> list[str]:
    lines = [line.strip() for line in visible_text(body).splitlines() if line.strip()]
    found = []
    for text, pattern in patterns:
        if any(pattern.search(line) for line in lines):
            found.append(text)
    return found


def test_untranslated_finds_a_planted_english_label():
    label = "Record the decision"
    patterns = [(label, re.compile(r"(?<![\w.-])" + label + r"(?![\w.-])"))]
    assert untranslated("<p>提交</p><button>Record the decision</button>", patterns) == [
        "Record the decision"
    ]
    assert untranslated("<script>Record the decision</script><p>提交裁定</p>", patterns) == []


def test_every_page_in_chinese_has_no_english_label(world):  # noqa: F811
    patterns = label_patterns()
    found = {}
    for name, _route, kwarg_names in url_patterns():
        if ACCESS[name]["method"] != "get":
            continue
        url = reverse(name, kwargs={k: world["own"][k] for k in kwarg_names})
        for role in ("lead", "unit", "county"):
            if ACCESS[name][role] != 200:
                continue
            client = Client()
            client.force_login(world["users"][role])
            response = client.get(url)
            if response.streaming or "html" not in response.get("Content-Type", ""):
                if response.streaming:
                    b"".join(response.streaming_content)
                continue
            for text in untranslated(response.content.decode(), patterns):
                found.setdefault(text, []).append(f"{role} {url}")
    assert {text: pages[:2] for text, pages in found.items()} == {}


@pytest.mark.parametrize(
    ("role", "least_read", "least_redirects"),
    [("lead", 80, 20), ("unit", 10, 2), ("county", 4, 0)],
)
def test_every_form_reshown_with_errors_in_chinese_has_no_english_label(
    world,  # noqa: F811
    role,
    least_read,
    least_redirects,
):
    """The pages a POST answers — a form re-shown with its errors, a refusal, a preview — read
    in Chinese too: every form of the pages a role opens posted once with each field filled
    with a value no field accepts, and once empty; a redirect is followed, so that the
    message of an action done (or refused) is read too — and there must be one: an action
    answered with a redirect says what happened."""
    patterns = label_patterns()
    user = world["users"][role]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    found, read, silent, redirects = {}, 0, [], 0
    for action, fields in _forms(client, world, role):
        if action in SIGNING_OUT:
            continue
        for data in ({field: "无效 ✗ -1e99" for field in fields}, {}):
            client.force_login(user)  # signed in for each form, whatever the last one did
            response = client.post(action, data=data, follow=True)
            if response.redirect_chain and "/accounts/login/" in response.redirect_chain[-1][0]:
                raise AssertionError(f"POST {action} ended on the sign-in page")
            if response.streaming or "html" not in response.get("Content-Type", ""):
                if response.streaming:
                    b"".join(response.streaming_content)
                continue
            read += 1
            redirects += bool(response.redirect_chain)
            if response.redirect_chain and not list(response.context["messages"]):
                silent.append(action)  # an action answered with a redirect says what it did
            for text in untranslated(response.content.decode(), patterns):
                found.setdefault(text, []).append(f"POST {action}")
    assert silent == []
    # The forms' answers and the pages they redirect to (their messages).
    assert (read > least_read, redirects >= least_redirects) == (True, True)
    assert {text: pages[:2] for text, pages in found.items()} == {}
