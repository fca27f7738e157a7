"""Test runs use the one settings module; this only supplies what a test machine's environment
lacks (a throw-away key, plain-HTTP hosts, tasks run at once) before importing it."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only-" + "x" * 32)
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("SECURE_HTTPS", "false")  # the test servers speak plain HTTP
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("TILLIT_DATA_DIR", tempfile.mkdtemp(prefix="tillit-test-"))

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL

# Argon2 is slow by design; tests create thousands of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared-cache memory: concurrent tests then meet SQLite's real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
