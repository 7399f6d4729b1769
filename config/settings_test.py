"""Test settings: the real settings with a fast hasher, eager Celery and in-memory email."""

import tempfile

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
DRAW_AHEAD = False  # tests of reports/ahead.py turn it on
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LANGUAGE_CODE = "zh-hans"
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests; serve from the finders
# Private uploads of a test run go to a temporary folder, never into the checkout.
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="appraisal-private-"))  # noqa: F405
# Each test process caches in its own memory: the tests clear the cache, which on a shared
# Redis would empty everyone's.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-axes needs the request in authenticate(), which Client.login() does not pass; the
# throttling tests (tests/config/test_security_login.py) switch it on.
AXES_ENABLED = False
