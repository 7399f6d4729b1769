#!/usr/bin/env bash
# Install and run the whole test suite. SQLite by default; set DATABASE_URL to test on
# PostgreSQL (as .ci/run does). Extra arguments go to pytest.
WITH_BROWSER=1 source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run --verbosity=0
exec .venv/bin/pytest "$@"
