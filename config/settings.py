"""Settings, read from the environment.

Nothing set: SQLite in the checkout, Celery tasks run eagerly in-process, DEBUG on — the
embedded default that runs out of the box. Production sets at least SECRET_KEY, DEBUG=0,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis); see the README.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "assessment.admin_site.LeadAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "auditlog",
    "ninja",  # the data interface's OpenAPI pages: their assets served locally
    "axes",
    "csp",
    # The project's apps, from the frame of the year up (imports and models point down).
    "assessment",
    "indicators",
    "scoring",
    "alerts",
    "reports",
    "api",  # the data interface (django-ninja), above every app it reads
    "demo",
    "health_check",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A path with a control character is 404, a body over REQUEST_BODY_MAX_BYTES 413, before
    # anything reads the body or resolves the URL.
    "assessment.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "assessment.middleware.SessionRenewMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Chinese unless the session or the account chose English (not the browser's language).
    "assessment.language.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # With DEBUG on, the project's 404 page instead of Django's technical one.
    "config.middleware.OwnNotFoundPageMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with its lockout page.
    "axes.middleware.AxesMiddleware",
]
# With DEBUG on, show Django's technical 404 page (the URL patterns tried) instead of the
# project's: for a developer looking for a URL, never in the demo.
TECHNICAL_404 = envbool("TECHNICAL_404", False)

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessment.context_processors.navigation",
                "alerts.context_processors.warnings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite in the checkout unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessment.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in of a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes), on /accounts/login/ and /admin/login/ alike: after
# AXES_FAILURE_LIMIT failed sign-ins an account is locked, and so is the address they came
# from, each for AXES_COOLOFF_MINUTES. The lead department sees and clears lockouts in the
# admin (访问尝试) or with `manage.py axes_reset` (README, "Security model").
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every start of a command
AXES_LOCKOUT_CALLABLE = "assessment.views.locked_out"
# The client's address: REMOTE_ADDR, or behind the reverse proxy of the README (which sets
# X-Forwarded-For to the address it received the request from) the address that proxy saw.
AXES_CLIENT_IP_CALLABLE = "assessment.security.client_ip"
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (the README's nginx
# is one); 0 when clients reach the server directly.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "assessment.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese by default, English for maintainers.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages are Chinese unless the session or the account chose English (assessment.language);
# only the answers under these prefixes follow the request's Accept-Language (the data
# interface's machine clients have no session and no switch).
ACCEPT_LANGUAGE_PATHS = ["/api/v1/"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Static files are served by WhiteNoise from the app itself: every asset is local, no CDN.
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files live outside the static URL space; views that check roles serve them.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence and other private files (assessment/uploads.py): never under a public URL.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
# Web instances on several machines without a shared directory keep the media and the private
# files in S3-compatible object storage (an intranet MinIO) through django-storages
# (`pip install "django-storages[s3]"`), in a private bucket under media/ and private/; unset,
# both are the directories above. Read by assessment/uploads.py (alias "private").
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", "")
if S3_ENDPOINT_URL:
    _S3 = {
        "endpoint_url": S3_ENDPOINT_URL,
        "bucket_name": env("S3_BUCKET", "appraisal"),
        "access_key": env("S3_ACCESS_KEY", ""),
        "secret_key": env("S3_SECRET_KEY", ""),
        "region_name": env("S3_REGION", "us-east-1"),
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3, "location": "media"},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3, "location": "private"},
    }
# The largest evidence file a user may upload (bytes).
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)

# Who decides on a proposed indicator (准入): "user:<username>" or "group:<group name>"; empty
# means any account of the lead department (indicators/services/admission.py).
ADMISSION_APPROVER = env("ADMISSION_APPROVER", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", "") or None
# Charts and explanations drawn by the worker when results are computed or published
# (reports/ahead.py); on by default when a broker is set (without one the job would run in the
# request that computes or publishes).
DRAW_AHEAD = envbool("DRAW_AHEAD", not CELERY_TASK_ALWAYS_EAGER)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task's message is acknowledged when it ends (ACKS_LATE): a worker lost mid-task leaves it
# unacknowledged, and Redis hands it out again after the visibility timeout, which must be
# longer than the longest task (a national import or computation takes minutes). Long before
# that, the lease sweep (assessment.jobs.leases) notices the lost worker and re-runs or fails
# the job. Prefetching one message per process keeps a lost worker from holding others' jobs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Leases: a running task's heartbeat every LEASE_HEARTBEAT_SECONDS; one older than
# LEASE_STALE_SECONDS belongs to a lost worker; an idempotent task is re-sent at most
# LEASE_MAX_ATTEMPTS times in all.
LEASE_HEARTBEAT_SECONDS = envint("LEASE_HEARTBEAT_SECONDS", 10)
LEASE_STALE_SECONDS = envint("LEASE_STALE_SECONDS", 60)
LEASE_MAX_ATTEMPTS = envint("LEASE_MAX_ATTEMPTS", 3)
# /health/ calls beat down when its heartbeat job has not run for this long.
BEAT_STALE_SECONDS = envint("BEAT_STALE_SECONDS", 120)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A worker (and what it enqueues) uses this queue; tests give theirs a name of their own.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "celery")
# The beat schedule, in the cycle's time zone (TIME_ZONE); listed in the README.
CELERY_BEAT_SCHEDULE: dict = {
    "alerts-round-calendar": {
        "task": "alerts.run_round_calendar",
        "schedule": crontab(hour=0, minute=10),
    },
    "alerts-rectification-reminders": {
        "task": "alerts.remind_rectification_deadlines",
        "schedule": crontab(hour=8, minute=0),
    },
    # The annual ranking: each night, the cycles whose annual round reached its closing date.
    "compute-due-results": {
        "task": "scoring.compute_due_results",
        "schedule": crontab(hour=envint("RANKING_HOUR", 2), minute=0),
    },
    # The outbox: emails owed by a committed change whose job could not be queued (broker
    # down) or whose sending failed. Expires rather than piling up while no worker runs.
    "send-pending-emails": {
        "task": "alerts.send_pending_emails",
        "schedule": envint("OUTBOX_SWEEP_SECONDS", 60),
        "options": {"expires": envint("OUTBOX_SWEEP_SECONDS", 60)},
    },
    # Beat's heartbeat, which /health/ reads (config/health.py): stale = beat is down.
    "beat-heartbeat": {
        "task": "assessment.beat_heartbeat",
        "schedule": envint("BEAT_HEARTBEAT_SECONDS", 30),
        "options": {"expires": envint("BEAT_HEARTBEAT_SECONDS", 30)},
    },
    # Tasks whose worker is gone (their lease's heartbeat stopped): re-sent or failed.
    "recover-lost-tasks": {
        "task": "assessment.recover_lost_tasks",
        "schedule": envint("LEASE_SWEEP_SECONDS", 60),
        "options": {"expires": envint("LEASE_SWEEP_SECONDS", 60)},
    },
    "alerts-unit-reminders": {
        "task": "alerts.remind_units_due",
        "schedule": crontab(hour=8, minute=30),
    },
    "clean-file-jobs": {
        "task": "assessment.clean_file_jobs",
        "schedule": crontab(hour=3, minute=30),
    },
}
# How many days before its deadline a county is reminded of an open rectification (once).
RECTIFICATION_REMINDER_DAYS = envint("RECTIFICATION_REMINDER_DAYS", 3)
# How many days before an open round's closing date a unit is reminded of the entries it has
# not submitted (once per round and entry).
UNIT_REMINDER_DAYS = envint("UNIT_REMINDER_DAYS", 3)

# Cache (charts are drawn once per change of their data and served from here): Redis when
# REDIS_URL is set, shared by the web processes; else each process's memory.
REDIS_URL = env("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "appraisal"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The font of the charts' Chinese labels: a .ttf/.otf/.ttc path; empty = an installed CJK font.
CHART_FONT = env("CHART_FONT", "")
# Paths whose refusals before any view (a control character in the path: 404) are JSON, as
# the data interface describes its errors (assessment.middleware.RequestGuardMiddleware).
JSON_PATH_PREFIXES = ["/api/"]
# The data interface (api/): requests per minute allowed to one token; more answer 429.
API_RATE_PER_MINUTE = envint("API_RATE_PER_MINUTE", 120)
if API_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured(f"API_RATE_PER_MINUTE={API_RATE_PER_MINUTE} must be at least 1")
API_RATE = f"{API_RATE_PER_MINUTE}/min"

# Email: the console by default; SMTP (or another backend) by settings.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", "") or None  # for the file backend
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "appraisal@localhost")
# The address of the site as users reach it, for the links in emails.
SITE_URL = env("SITE_URL", "http://localhost:8000")

# Security: strict whenever DEBUG is off (python manage.py check --deploy stays clean).
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_COOKIE_AGE seconds without a request (a working day by
# default): a request renews it, at most once every SESSION_RENEW_SECONDS
# (assessment.middleware.SessionRenewMiddleware; Django's SESSION_SAVE_EVERY_REQUEST would
# write the session on every page).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_RENEW_SECONDS = envint("SESSION_RENEW_SECONDS", 300)
# Content-Security-Policy (django-csp 4): every script, style, image and font from the site
# itself, nothing inline (the templates have no inline CSS or JS, and keep it so); data: images
# for Bootstrap's icons drawn in its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    if envbool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The largest workbook the web upload accepts (bytes): twice the national-scale year's (3,000
# counties × 300 indicators with its April and August progress: 64 MB, bench/ at L).
WORKBOOK_UPLOAD_MAX_BYTES = envint("WORKBOOK_UPLOAD_MAX_BYTES", 128 * 1024 * 1024)
# Above these sizes the workbook page runs the import (file bytes) or the export (counties ×
# rule items of the year) as a background job with a progress page: gunicorn stops a
# request after 30 s.
WORKBOOK_ASYNC_BYTES = envint("WORKBOOK_ASYNC_BYTES", 5 * 1024 * 1024)
WORKBOOK_ASYNC_CELLS = envint("WORKBOOK_ASYNC_CELLS", 100_000)
# Above this many rows a round's file — a unit's workbook (counties × its rule items, each
# cell saved and audited on upload) or the warnings workbook — is written or read by a job.
WORKBOOK_ASYNC_ROWS = envint("WORKBOOK_ASYNC_ROWS", 20_000)
# A workbook job still unfinished after this many hours was lost with its worker (the daily
# clean-up marks it failed); finished jobs and their files are deleted after this many days.
FILE_JOB_STALE_HOURS = envint("FILE_JOB_STALE_HOURS", 6)
FILE_JOB_KEEP_DAYS = envint("FILE_JOB_KEEP_DAYS", 7)
# Uploaded spreadsheets (assessment/spreadsheets.py): checked before they are parsed — the
# archive's declared unpacked size, its compression ratio, its number of parts and each
# sheet's declared dimension — then parsed by a child process limited in memory and CPU time,
# so that a crafted file costs one refused upload, never a web worker.
SPREADSHEET_MAX_UNPACKED_BYTES = envint("SPREADSHEET_MAX_UNPACKED_BYTES", 1024 * 1024 * 1024)
SPREADSHEET_MAX_RATIO = envint("SPREADSHEET_MAX_RATIO", 100)
SPREADSHEET_MAX_MEMBERS = envint("SPREADSHEET_MAX_MEMBERS", 1000)
SPREADSHEET_MAX_CELLS = envint("SPREADSHEET_MAX_CELLS", 10_000_000)
SPREADSHEET_PARSE_MEMORY_MB = envint("SPREADSHEET_PARSE_MEMORY_MB", 2048)
SPREADSHEET_PARSE_SECONDS = envint("SPREADSHEET_PARSE_SECONDS", 300)
# The largest request body (bytes): a larger Content-Length is answered 413 before its body
# is read (assessment/middleware.py), and an upload is stopped as it streams past it
# (assessment/uploads.py LimitedUploadHandler). The reverse proxy's client_max_body_size
# should be the same (README). Default: the largest workbook upload and 1 MB of form fields.
REQUEST_BODY_MAX_BYTES = envint(
    "REQUEST_BODY_MAX_BYTES",
    max(WORKBOOK_UPLOAD_MAX_BYTES, UPLOAD_MAX_BYTES) + 1024 * 1024,
)
FILE_UPLOAD_HANDLERS = [
    "assessment.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Private files and their directories are readable by the server's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
# An entry grid posts one field per cell: a province's 200 counties × 10 items with actual
# and target are 4,000; Django's default of 1,000 would refuse it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 50_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403, 404, 400…) is one line, never a traceback.
    "filters": {"one_line_refusals": {"()": "assessment.logging.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
