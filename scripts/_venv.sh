# Sourced by the other scripts: create .venv with Python 3.11+ and install the project into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/_system.sh
system_packages ${WITH_BROWSER:+--with-browser}
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
# Compile the translation catalogues (gettext is installed by scripts/_system.sh); the
# compiled .mo files are build output, not kept in the repository.
.venv/bin/python manage.py compilemessages --ignore=.venv --verbosity=0
