"""One meaning, one Chinese word: the catalogues never translate the same string differently.

Django merges the catalogues into one: among the installed apps the first in INSTALLED_APPS
wins for an identical (context, msgid) — Django's own apps (the admin, auth) come before ours
—, and the project's locale/ wins over every app. A word translated one way in indicators and
another in scoring therefore shows the first translation on the pages of both. A word with
several meanings gets one context per meaning (STYLE.md); one meaning has one Chinese word.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

from alerts.models import DiagnosisCase, Warning
from assessment.models import Round
from indicators.models import Indicator, IndicatorProposal, ProposalEvent
from scoring.models import EntryState

ROOT = Path(settings.BASE_DIR)

Key = tuple[str | None, str]


def our_catalogues() -> dict[str, polib.POFile]:
    """The Simplified Chinese catalogue of each app and the project's (as ``locale``)."""
    paths = [*ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")]
    paths.append(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po")
    return {path.relative_to(ROOT).parts[0]: polib.pofile(str(path)) for path in sorted(paths)}


def _msgstr(entry: polib.POEntry) -> str:
    """The translation (of a plural entry, its forms joined; Chinese has one)."""
    if entry.msgid_plural:
        return " | ".join(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
    return entry.msgstr


def disagreements(catalogues: dict[str, polib.POFile]) -> dict[Key, dict[str, str]]:
    """(context, msgid) → {catalogue: msgstr} for every string translated differently."""
    seen: dict[Key, dict[str, str]] = {}
    for name, catalogue in catalogues.items():
        for entry in catalogue:
            if not entry.obsolete and _msgstr(entry):
                seen.setdefault((entry.msgctxt, entry.msgid), {})[name] = _msgstr(entry)
    return {key: found for key, found in seen.items() if len(set(found.values())) > 1}


def _shown(entry: polib.POEntry) -> str:
    """What the merged catalogues answer for the entry in the active language (of a plural
    entry, its one form in Chinese)."""
    if entry.msgid_plural and entry.msgctxt:
        return npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
    if entry.msgid_plural:
        return ngettext(entry.msgid, entry.msgid_plural, 1)
    if entry.msgctxt:
        return pgettext(entry.msgctxt, entry.msgid)
    return gettext(entry.msgid)


def _entry(msgid: str, msgstr: str, msgctxt: str | None = None) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt)


def _catalogue(*entries: polib.POEntry) -> polib.POFile:
    catalogue = polib.POFile()
    catalogue.extend(entries)
    return catalogue


def test_disagreements_finds_a_planted_one():
    indicators = _catalogue(
        _entry("Approved", "已审定"),
        _entry("Approved", "已审定", "rule status"),
        _entry("Save", "保存"),
    )
    scoring = _catalogue(
        _entry("Approved", "已审核"),
        _entry("Approved", "已审核", "entry status"),
        _entry("Save", "保存"),
    )
    assert disagreements({"indicators": indicators, "scoring": scoring}) == {
        (None, "Approved"): {"indicators": "已审定", "scoring": "已审核"}
    }


def test_catalogues_translate_each_string_one_way():
    assert disagreements(our_catalogues()) == {}


CATALOGUES = ["alerts", "api", "assessment", "demo", "indicators", "locale", "reports", "scoring"]


@pytest.mark.parametrize("name", CATALOGUES)
def test_catalogue_translations_are_those_the_pages_show(name):
    """No catalogue merged before it (Django's admin or auth, an app earlier in
    INSTALLED_APPS) replaces one of its translations."""
    catalogue = our_catalogues()[name]
    with translation.override("zh-hans"):
        replaced = {
            (entry.msgctxt, entry.msgid): (_msgstr(entry), _shown(entry))
            for entry in catalogue
            if not entry.obsolete and _msgstr(entry) and _shown(entry) != _msgstr(entry)
        }
    assert len(catalogue) > 0
    assert replaced == {}


def test_words_with_several_meanings_keep_each_meaning():
    with translation.override("zh-hans"):
        labels = [
            str(label)
            for label in (
                Indicator.RulesStatus.APPROVED.label,
                EntryState.Status.APPROVED.label,
                IndicatorProposal.Status.APPROVED.label,
                ProposalEvent.Action.REJECTED.label,
                Round.Status.CLOSED.label,
                Warning.Status.CLOSED.label,
                DiagnosisCase.Status.CLOSED.label,
            )
        ]
    assert labels == ["已审定", "已审核", "同意准入", "不予准入", "已结束", "已销号", "已结案"]
