import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envdecimal, envint, envlist

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_BACKEND",
    "REDIS_URL", "CHART_FONT", "CACHE_KEY_PREFIX",
}  # fmt: skip


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from the machine's environment less every variable the settings read (CI sets
    # DATABASE_URL and CELERY_BROKER_URL), so each test states exactly what it sets.
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_production_environment_is_clean():
    proc = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="kaohe.example.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/appraisal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert (proc.returncode, proc.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )


def test_settings_debug_off_without_secret_key_refuses_to_start():
    proc = _run_manage("check", DEBUG="0", ALLOWED_HOSTS="kaohe.example.gov.cn")
    assert proc.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off" in proc.stderr


def test_envbool_reads_words_and_refuses_garbage(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert envbool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert envbool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        envbool("FLAG", False)


def test_envint_envdecimal_envlist_parse_or_refuse(monkeypatch):
    monkeypatch.setenv("N", "42")
    monkeypatch.setenv("D", "0.30")
    monkeypatch.setenv("L", "a.example, b.example,,")
    assert (envint("N", 1), envdecimal("D", Decimal(1)), envlist("L", [])) == (
        42,
        Decimal("0.30"),
        ["a.example", "b.example"],
    )
    monkeypatch.setenv("N", "forty")
    with pytest.raises(ImproperlyConfigured, match="N='forty' is not an integer"):
        envint("N", 1)
    monkeypatch.setenv("D", "three")
    with pytest.raises(ImproperlyConfigured, match="D='three' is not a number"):
        envdecimal("D", Decimal(1))


def test_settings_default_database_is_sqlite_and_tasks_eager():
    proc = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE)",
    )
    assert proc.stdout.strip() == "django.db.backends.sqlite3 True zh-hans"


def test_settings_database_url_selects_postgresql_and_broker_disables_eager():
    proc = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/appraisal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert proc.stdout.strip() == "django.db.backends.postgresql False"


def test_check_deploy_without_broker_warns_that_tasks_run_in_the_request():
    proc = _run_manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-secret-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="kaohe.example.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/appraisal",
    )
    assert proc.returncode == 0
    assert proc.stderr.strip().splitlines() == [
        "System check identified some issues:",
        "",
        "WARNINGS:",
        "?: (assessment.W001) CELERY_BROKER_URL is not set: background tasks (computations, "
        "round closings) run inside the web request that starts them.",
        "\tHINT: Set CELERY_BROKER_URL to a Redis URL and run a Celery worker and beat "
        "(see the README).",
        "",
        "System check identified 1 issue (0 silenced).",
    ]


def test_settings_cache_is_redis_when_redis_url_is_set_else_memory():
    backend = "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1]"
    code = f"from django.conf import settings as s; print({backend})"
    memory = _run_manage("shell", "--no-imports", "-c", code)
    redis = _run_manage("shell", "--no-imports", "-c", code, REDIS_URL="redis://127.0.0.1:6379/1")
    assert (memory.stdout.strip(), redis.stdout.strip()) == ("LocMemCache", "RedisCache")
