"""Test settings: the real settings, with what a test run must not depend on pinned down."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["TELEPHONY_BACKEND"] = "locmem"
os.environ.setdefault("PUBLIC_BASE_URL", "https://concierge.test")

from concierge.settings import *  # noqa: F403

ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "en"
# Tasks run in-process, in order, in unit tests, even when CI provides a broker; the tests that
# need a real worker on Redis start one themselves.
CELERY_TASK_ALWAYS_EAGER = True
# Tests open and close connections themselves (threads, live servers): no persistent ones.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Every read of a read-mostly set (concierge.lib.readmostly) compares its version with the cache's,
# which each test empties: nothing one test loaded is seen by the next.
READ_MOSTLY_CHECK_SECONDS = float(os.environ.get("READ_MOSTLY_CHECK_SECONDS", "0"))
