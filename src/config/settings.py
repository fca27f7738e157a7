"""Tillit's one settings module: every value comes from the environment, with safe defaults.

Without DEBUG the defaults are production ones (secure cookies, HSTS, a strict content security
policy) and a missing SECRET_KEY stops start-up. See docs/operations.md for every variable.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(env_str("TILLIT_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # A local development key, kept under the git-ignored data folder so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names Tillit is served on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "tillit.core",
    "tillit.organisation",
    "tillit.accounts",
    "tillit.catalogue",
    "tillit.cases",
    "tillit.mailbox",
    "tillit.team",
    "tillit.feedback",
    "tillit.dialog",
    "tillit.liaison",
    "tillit.api",
    "tillit.public",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"  # pages and API in production (decision 0355)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tillit.core.context_processors.site",
            ],
        },
    },
]
# The same HTML as Django's widget templates, rendered in Python (a select of 60 case types).
FORM_RENDERER = "tillit.core.formrenderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'tillit.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server and the task worker read while the other writes; IMMEDIATE makes a
    # writing transaction take its lock at BEGIN, so two writers queue instead of deadlocking.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {})
    # Under uvicorn every request runs its database work in a thread of its own, so persistent
    # connections (DB_CONN_MAX_AGE) are kept per thread and pile up until PostgreSQL refuses
    # more; a pool (psycopg_pool, via Django) hands each request a connection and takes it back.
    _pool = env_int("DB_POOL_SIZE", 0, minimum=0)
    if _pool:
        if _db["CONN_MAX_AGE"]:
            raise ImproperlyConfigured("Use DB_POOL_SIZE or DB_CONN_MAX_AGE, not both.")
        _db["OPTIONS"]["pool"] = {"min_size": 1, "max_size": _pool, "timeout": 10}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer: Redis at scale, local on the embedded default -----------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    env_url("REDIS_URL", REDIS_URL, schemes=("redis", "rediss", "unix"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tillit",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # A big screen hears of every submission in a burst; it batches them itself, but
            # its queue must hold the burst meanwhile (docs/decisions/0800). The socket timeout
            # must exceed channels_redis' 5 s blocking read, or an idle receive times out and
            # kills its consumer (redis-py defaults it to 5 s; docs/decisions/0801).
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": "tillit",
                "capacity": 1_000,
            },
        }
    }
else:
    # A file cache is shared by the server and the task worker (rate limits must be).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1_000},
        }
    }

# --- Background tasks -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A task whose worker died is run again this many seconds after it started at the earliest
# (tillit.core.taskrecovery); workers look for such tasks as often.
TILLIT_TASK_ORPHAN_SECONDS = env_int("TILLIT_TASK_ORPHAN_SECONDS", 30, minimum=1)

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "organisation.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in person with a prepared query (decision 0007).
    "tillit.accounts.backends.PersonBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out: five failed attempts for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0) or None

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 9, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# --- Security headers (production defaults; DEBUG relaxes only what plain HTTP needs) ----------
SECURE = not DEBUG and env_bool("SECURE_HTTPS", default=True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tillit <noreply@tillit.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"  # outside the web root: served only through access checks
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_str("LOG_FORMAT", "text") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Tillit -------------------------------------------------------------------------------------
TILLIT_MUNICIPALITY_NAME = env_str("TILLIT_MUNICIPALITY_NAME", "Sjöbacka kommun")
TILLIT_BASE_URL = env_str("TILLIT_BASE_URL", "http://127.0.0.1:8000")
TILLIT_CASE_SERIES_PREFIX = env_str("TILLIT_CASE_SERIES_PREFIX", "KC")
TILLIT_HANDOVER_ANSWER_DAYS = env_int("TILLIT_HANDOVER_ANSWER_DAYS", 1, minimum=1)

# Citizen e-services: attachments, the public web form's rate limit, the status link.
TILLIT_ATTACHMENT_MAX_MB = env_int("TILLIT_ATTACHMENT_MAX_MB", 10, minimum=1)
TILLIT_ATTACHMENT_MAX_FILES = env_int("TILLIT_ATTACHMENT_MAX_FILES", 5, minimum=1)
TILLIT_ATTACHMENT_MAX_PER_CASE = env_int("TILLIT_ATTACHMENT_MAX_PER_CASE", 50, minimum=1)
TILLIT_PUBLIC_RATE_LIMIT = env_int("TILLIT_PUBLIC_RATE_LIMIT", 10, minimum=1)
TILLIT_PUBLIC_RATE_WINDOW_SECONDS = env_int("TILLIT_PUBLIC_RATE_WINDOW_SECONDS", 3600, minimum=1)
TILLIT_STATUS_LINK_DAYS = env_int("TILLIT_STATUS_LINK_DAYS", 365, minimum=1)

# --- Shared mailbox (functional mailboxes in and out; docs/decisions/0500, 0501) ------------
# Which functional mailboxes Tillit reads by IMAP: comma-separated `address=URL` pairs, e.g.
# `kc@kommun.se=imaps://kc%40kommun.se:secret@imap.kommun.se/INBOX` (percent-encode the user
# name and password). Empty: no mailbox is polled, so the embedded default needs no mail server.
TILLIT_MAILBOX_IMAP = {
    address.strip().lower(): url.strip()
    for address, _, url in (item.partition("=") for item in env_list("TILLIT_MAILBOX_IMAP", []))
}
TILLIT_MAILBOX_POLL_SECONDS = env_int("TILLIT_MAILBOX_POLL_SECONDS", 60, minimum=5)
TILLIT_MAILBOX_MAX_MESSAGE_BYTES = env_int(
    "TILLIT_MAILBOX_MAX_MESSAGE_BYTES", 40_000_000, minimum=1
)
TILLIT_MAILBOX_MAX_ATTACHMENT_BYTES = env_int(
    "TILLIT_MAILBOX_MAX_ATTACHMENT_BYTES", 15_000_000, minimum=1
)
TILLIT_MAILBOX_ACKS_PER_SENDER_PER_DAY = env_int(
    "TILLIT_MAILBOX_ACKS_PER_SENDER_PER_DAY", 5, minimum=0
)
TILLIT_MAILBOX_SEND_ATTEMPTS = env_int("TILLIT_MAILBOX_SEND_ATTEMPTS", 8, minimum=1)

# Feedback: the satisfaction survey after closing and the service-measure roll-ups.
TILLIT_SURVEY_SHARE_PERCENT = env_int("TILLIT_SURVEY_SHARE_PERCENT", 100, minimum=0)
TILLIT_SURVEY_DELAY_HOURS = env_int("TILLIT_SURVEY_DELAY_HOURS", 24, minimum=0)
TILLIT_SURVEY_VALID_DAYS = env_int("TILLIT_SURVEY_VALID_DAYS", 14, minimum=1)
TILLIT_SURVEY_SECRET_CASES = env_bool("TILLIT_SURVEY_SECRET_CASES", default=False)
TILLIT_FEEDBACK_MIN_ANSWERS = env_int("TILLIT_FEEDBACK_MIN_ANSWERS", 5, minimum=1)
TILLIT_ROLLUP_DAYS = env_int("TILLIT_ROLLUP_DAYS", 35, minimum=1)

# Dialog meetings: how often a big screen and a phone are pushed at most (changes in between
# are batched), and words never shown on the big screen in addition to the built-in list
# (comma-separated).
TILLIT_DIALOG_PUSH_SECONDS = env_int("TILLIT_DIALOG_PUSH_MS", 500, minimum=0) / 1000
# What a process stores within this leaves as one announcement per group (decision 0804).
TILLIT_DIALOG_ANNOUNCE_SECONDS = env_int("TILLIT_DIALOG_ANNOUNCE_MS", 200, minimum=0) / 1000
# A phone: four times the screen's interval unless set.
TILLIT_DIALOG_PHONE_PUSH_SECONDS = env_int("TILLIT_DIALOG_PHONE_PUSH_MS", 0, minimum=0) / 1000
TILLIT_DIALOG_BANNED_WORDS = env_list("TILLIT_DIALOG_BANNED_WORDS", [])
