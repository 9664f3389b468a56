"""Footing's settings, all from the environment (see README "Configuration")."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from footing.env import env_bool, env_int, env_list, secret_key, vapid_private_key

BASE_DIR = Path(__file__).resolve().parent.parent
CONTENT_DIR = Path(os.environ.get("FOOTING_CONTENT_DIR", BASE_DIR / "content"))

DEBUG = env_bool("DEBUG")
TESTING = "pytest" in sys.modules
# A person's own machine (`make run`, `make test`): a generated secret key is fine.
LOCAL = DEBUG or TESTING or env_bool("FOOTING_LOCAL")
HTTPS = env_bool("FOOTING_HTTPS", default=not LOCAL)

SECRET_KEY = secret_key(local=LOCAL, key_file=BASE_DIR / ".local-secret-key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if LOCAL else [])

INSTALLED_APPS = [
    "footing",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "library",
    "training",
    "accounts",
    "notifications",
    "journal",
    "selfcheck",
    "clinic",
    "reminders",
    "exports",
    "pwa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Kept content answers go out from here: nothing below runs for them.
    "library.http_cache.ContentCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "footing.middleware.PermissionsPolicyMiddleware",
    "footing.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Above the session and CSRF middleware, so it sees every cookie they set.
    "footing.storable.StorableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "footing.middleware.MemberCsrfCookieMiddleware",
    "footing.middleware.OwnerCookieMiddleware",
    "footing.middleware.OwnerCheckMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    # Django's MessageMiddleware, for pages only (the API neither adds nor shows messages).
    "footing.middleware.PageMessagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a log-in refused by the throttle into the page that says how long to wait.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "footing.urls"
WSGI_APPLICATION = "footing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pwa.js_urls.js_urls_context",
            ],
            "builtins": ["django.templatetags.static", "pwa.templatetags.dates"],
        },
    }
]

# Each server thread keeps its connection for ten minutes: opening one (and SQLite reading
# the schema) cost more than the rest of a cached request. The health check makes sure a
# kept connection still works before a request relies on it, and footing.db closes any
# connection a request leaves inside a transaction, so nothing carries over to the next.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with each statement's placeholders converted once (footing/sqlite).
    DATABASES["default"]["ENGINE"] = "footing.sqlite"
    # WAL lets readers carry on while one writer writes; IMMEDIATE transactions take the
    # write lock up front, so concurrent writers queue (up to the timeout) instead of
    # failing with "database is locked" halfway through. The pragmas run once, when a
    # connection opens (the connection then lives on). SQLite's own page cache is 2 MB per
    # connection by default: a clinic of 1,000 patients (90 days of check-ins each) reads
    # more than that for its patient list, and every request then read those pages again
    # from the operating system (the list's time grew faster than its patients). 32 MB
    # (a ceiling, filled only as pages are read) holds it; 2 workers x 4 threads at most.
    DATABASES["default"]["OPTIONS"] = {
        # Tests need no durability (the file is thrown away): no fsync at all.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA cache_size=-32000; PRAGMA synchronous="
        + ("OFF;" if TESTING else "NORMAL;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a real file too (one per test process), not shared-cache memory: the
    # live server's threads then write through their own connections, as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"footing-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pwa:checkin"
LOGOUT_REDIRECT_URL = "pwa:home"

# Password-reset mail: printed to the console unless an SMTP server is configured.
# (Django 6.1's MAILERS: the EMAIL_* settings are deprecated.)
_smtp_port = int(os.environ.get("EMAIL_PORT", "587"))
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": _smtp_port,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=_smtp_port == 587),
                "use_ssl": env_bool("EMAIL_USE_SSL", default=_smtp_port == 465),
            },
        }
        if os.environ.get("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Footing <footing@localhost>")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Build-time assets (`make assets`: icons, illustrations) are drawn into build/static/ and
# collected with the hand-written ones. The folder is made here so a fresh clone's first
# `manage.py` run does not warn that it is missing.
BUILD_STATIC_DIR = BASE_DIR / "build" / "static"
BUILD_STATIC_DIR.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static", BUILD_STATIC_DIR]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "footing.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Security. Scripts only from our own origin: Footing has no inline script at all, so
# it needs neither 'unsafe-inline' nor nonces (which would make every page unique and
# uncacheable).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions (same table, same rules), read in one SQL statement written
# once instead of through the ORM (footing/sessions.py): every logged-in request reads it.
SESSION_ENGINE = "footing.sessions"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# Reverse proxies in front of Footing: how many of them each add the address they were
# reached from to X-Forwarded-For. 0 (the default): nobody is in front, REMOTE_ADDR is
# the client and any X-Forwarded-For is ignored (a client can write one). N: the client
# is the Nth entry from the right, the one the outermost proxy wrote; entries left of it
# came from the client and are never read (footing/http.py, `client_address`). It decides
# whose address the log-in throttle and the rate limits count, so a wrong number either
# lets a forged header pick a fresh counter (too high) or puts everyone behind the proxy
# on one counter (too low). With a proxy, its X-Forwarded-Proto says HTTPS.
if os.environ.get("FOOTING_BEHIND_PROXY"):
    raise ImproperlyConfigured(
        "FOOTING_BEHIND_PROXY is gone: set FOOTING_PROXY_COUNT to the number of proxies."
    )
PROXY_COUNT = env_int("FOOTING_PROXY_COUNT", 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Password guessing: django-axes on every log-in (pages, admin, anything calling
# `authenticate`), each attempt counted before its password is checked so a burst of
# parallel guesses gets no more checks than the limit (accounts/throttle.py). Locked per
# (account, address): a guesser elsewhere cannot lock a clinician out of their own
# phone. One address trying many accounts is stopped by a second, higher limit.
# The password check itself: ProfileBackend loads the person with their profile (one
# query); ModelBackend only for sessions made before it (accounts/backends.py says why).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ProfileBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.throttle.AtomicAxesHandler"
AXES_FAILURE_LIMIT = 5  # per account and address; the address alone: ADDRESS_LIMIT there
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # tries while locked don't extend it
AXES_USERNAME_CALLABLE = "accounts.throttle.attempted_username"
AXES_CLIENT_IP_CALLABLE = "footing.http.client_address"
AXES_LOCKOUT_CALLABLE = "pwa.views.accounts.locked_out"
# Nothing personal kept or logged beyond what the count needs: no log of every log-in,
# no user agents, and log lines name an attempt by a keyed hash, not a name or address.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_STR_CALLABLE = "accounts.throttle.attempt_label"
AXES_VERBOSE = False

# Rate limits on what can be guessed without a password (a password-reset address, an
# invitation code): django-ratelimit, counted per address in the database, so every
# gunicorn process and every app server sees one count. Django's database cache is not
# atomic on increment; footing/cache.py makes it so.
# The default cache is per process and holds nothing of Footing's today (kept content
# answers live in library.http_cache, which does not pickle them on every read).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "throttle": {
        "BACKEND": "footing.cache.AtomicDatabaseCache",
        "LOCATION": "footing_throttle_cache",
    },
}
RATELIMIT_USE_CACHE = "throttle"
RATELIMIT_IP_META_KEY = "footing.http.client_address"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

WHITENOISE_MAX_AGE = 60 * 60  # unhashed files; hashed ones are cached forever anyway

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Work off the request path: Django's `django.tasks` on django-tasks-db, rows in this same
# database, run by `manage.py worker` (which `make run` starts beside the web server).
# Tests use the same backend and run the worker in-process when they need a task run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Enqueued every minute by each worker (footing/worker.py): the morning reminders and
# the recovery of deliveries whose worker died mid-task.
PERIODIC_TASKS = [
    "reminders.tasks.reminders_tick",
    "notifications.tasks.deliveries_recover",
]

# Web Push (VAPID) for reminders and clinic notices. Local runs generate a key once
# (`.local-vapid-key`, out of git); deployments set VAPID_PRIVATE_KEY (`manage.py
# vapid_keys`), the same on every server, or push is off (and `check --deploy` warns).
VAPID_PRIVATE_KEY = vapid_private_key(local=LOCAL, key_file=BASE_DIR / ".local-vapid-key")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:clinic@localhost")
# The server sends only to these push services (host names; "*.x" allows subdomains):
# Chrome (FCM), Firefox (Mozilla autopush), Safari (Apple), Edge (Windows Push).
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "web.push.apple.com",
        "*.push.apple.com",
        "*.notify.windows.com",
    ],
)
# Browsers a person may have notifications on at once; subscribing another drops the oldest.
PUSH_MAX_SUBSCRIPTIONS_PER_PERSON = env_int("PUSH_MAX_SUBSCRIPTIONS_PER_PERSON", 10, minimum=1)

# The local emergency number, shown with its meaning beside every red-flag triage as a
# tap-to-call link (112, 999, 000 … where the clinic is). Digits only: it becomes tel:.
EMERGENCY_NUMBER = os.environ.get("FOOTING_EMERGENCY_NUMBER", "911").strip()
EMERGENCY_NUMBER_MEANING = os.environ.get(
    "FOOTING_EMERGENCY_NUMBER_MEANING", "emergency services"
).strip()
if not EMERGENCY_NUMBER.isdigit() or not 2 <= len(EMERGENCY_NUMBER) <= 6:
    raise ValueError("FOOTING_EMERGENCY_NUMBER must be 2 to 6 digits, e.g. 911 or 112")
