#!/usr/bin/env bash
# Install, build the demo city on the embedded default (SQLite, eager tasks) and start the app.
# Usage: scripts/demo.sh [PORT]   (default 8000), then open http://127.0.0.1:PORT/ and log in as
# lead / demo1234 (or unit-<code>, county-<code>; the accounts are printed below).
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
PORT="${1:-8000}"
.venv/bin/python manage.py migrate --verbosity=0
.venv/bin/python manage.py seed_demo
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
