"""The README's production steps, from an empty database to a working lead login.

Run in subprocesses against a fresh SQLite file, with DEBUG off, as an operator would run
them: migrate, collectstatic, ``createsuperuser --noinput``; then the account signs in on the
login page and opens the home page and the admin.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_BACKEND",
    "STATIC_ROOT",
}  # fmt: skip

SIGN_IN = """
from django.test import Client
client = Client(headers={"accept-language": "en"})
page = client.post(
    "/accounts/login/",
    {"username": "chief", "password": "Kaohe-2026-first-account"},
    secure=True,
)
print("login", page.status_code, page.get("Location"))
print("home", client.get("/", secure=True).status_code)
print("admin", client.get("/admin/", secure=True).status_code)
from assessment.models import User
u = User.objects.get(username="chief")
print("user", u.role, u.unit_id, u.county_id, u.is_staff, u.is_superuser, u.email)
"""


def _manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env = {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **extra,
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def test_readme_production_steps_create_a_working_lead_account(tmp_path):
    _manage(tmp_path, "migrate", "--noinput")
    _manage(tmp_path, "collectstatic", "--noinput")
    created = _manage(
        tmp_path,
        "createsuperuser",
        "--noinput",
        DJANGO_SUPERUSER_USERNAME="chief",
        DJANGO_SUPERUSER_PASSWORD="Kaohe-2026-first-account",
        DJANGO_SUPERUSER_EMAIL="chief@example.gov.cn",
    )
    assert created.stdout.strip() == "Superuser created successfully."

    signed_in = _manage(tmp_path, "shell", "--no-imports", "-c", SIGN_IN)

    assert signed_in.stdout.splitlines() == [
        "login 302 /",
        "home 200",
        "admin 200",
        "user lead None None True True chief@example.gov.cn",
    ]


def test_create_superuser_is_a_lead_user(db):
    from assessment.models import User

    user = User.objects.create_superuser("boss", "boss@example.gov.cn", "Kaohe-2026-boss")
    assert (user.role, user.is_staff, user.is_superuser) == (User.Role.LEAD, True, True)


def test_create_superuser_refuses_another_role(db):
    import pytest

    from assessment.models import User

    with pytest.raises(ValueError, match="A superuser belongs to the lead department"):
        User.objects.create_superuser("boss", None, "Kaohe-2026-boss", role=User.Role.UNIT)
