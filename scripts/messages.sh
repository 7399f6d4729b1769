#!/usr/bin/env bash
# Refresh the translation catalogues after changing translatable strings, then compile them.
# Each app keeps its own catalogue (<app>/locale/zh_Hans/), the project's templates and
# settings theirs (locale/zh_Hans/). Without source locations or a creation date, a catalogue
# changes only when its strings do. Fill in every new msgstr before committing: the test
# tests/config/test_i18n.py fails on an untranslated or fuzzy entry. Needs gettext.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
"$PY" manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench \
    --ignore=staticfiles --no-location --no-obsolete --verbosity=0
for po in locale/zh_Hans/LC_MESSAGES/django.po */locale/zh_Hans/LC_MESSAGES/django.po; do
    sed -i '/^"POT-Creation-Date: /d' "$po"
    # msgmerge guesses a translation for a new string from a similar old one ("fuzzy"): such
    # guesses are wrong more often than not, so a new string starts untranslated instead.
    msgattrib --clear-fuzzy --empty -o "$po.tmp" "$po" && mv "$po.tmp" "$po"
done
"$PY" manage.py compilemessages --ignore=.venv --verbosity=0
git status --short -- '*.po' || true
