"""Django settings, typed and read from the environment in one place.

Every `SELARAS_*` variable the program reads is read here (README "Configuration" and
docs/deploy.md list them). Production is the default: DEBUG off, a secret key generated once
into the data directory, hosts limited to the loopback names; `selaras demo up` and
`selaras serve --dev` turn DEBUG on explicitly.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BASE_DIR.parent.parent.parent
DATA_DIR = Path(os.environ.get("SELARAS_DATA_DIR", PROJECT_ROOT / "var"))
SECRET_KEY_FILE = DATA_DIR / "secret_key"


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "ya", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise ImproperlyConfigured(f"{name} harus bilangan bulat, bukan {raw!r}.")
    return int(raw)


def _secret_key(path: Path) -> str:
    """The key from SELARAS_SECRET_KEY, else the one kept in `path` (made once, mode 0600)."""
    given = os.environ.get("SELARAS_SECRET_KEY", "").strip()
    if given:
        return given
    try:
        kept = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        kept = ""
    if kept:
        return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: when two processes start together, one writes and the other reads its key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip() or key
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


DEBUG = _flag("SELARAS_DEBUG", False)
SECRET_KEY = _secret_key(SECRET_KEY_FILE)
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SELARAS_SECRET_KEY terlalu pendek (paling sedikit 32 karakter).")
#: `testserver` (Django's test client) is added by Django's test set-up, never here.
ALLOWED_HOSTS = _list("SELARAS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = _list("SELARAS_CSRF_TRUSTED_ORIGINS", "")
#: Served over HTTPS (behind a TLS proxy): secure cookies, HSTS, the proxy's X-Forwarded-Proto.
HTTPS = _flag("SELARAS_HTTPS", False)
#: Gunicorn workers and threads (`selaras serve`); 0 means "sized to the cores".
SERVER_WORKERS = _int("SELARAS_WORKERS", 0)
SERVER_THREADS = _int("SELARAS_THREADS", 0)
#: Set by `selaras serve` after collectstatic: static files come hashed and compressed from
#: STATIC_ROOT. Otherwise (tests, runserver) WhiteNoise serves them from the app folders.
STATIC_COLLECTED = _flag("SELARAS_STATIC_COLLECTED", False)
#: Seconds a SQLite write waits for the lock before giving up (then 503 "coba lagi").
SQLITE_TIMEOUT = _int("SELARAS_SQLITE_TIMEOUT", 20)


def _database(url: str) -> dict[str, object]:
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "selaras.sqlite3"),
            # WAL: readers never wait for the writer; IMMEDIATE: a write transaction takes the
            # write lock when it begins (a deferred one that upgrades later fails at once
            # instead of waiting); timeout: how long a writer waits for the lock.
            "OPTIONS": {
                "timeout": SQLITE_TIMEOUT,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"SELARAS_DATABASE_URL tidak dikenali: {parts.scheme}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/") or "selaras",
        "USER": parts.username or "postgres",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": str(parts.port or 5432),
    }


DATABASES = {"default": _database(os.environ.get("SELARAS_DATABASE_URL", ""))}
# Each gunicorn thread keeps its connection for a minute instead of opening one per request
# (for SQLite that also spares the PRAGMAs of every new connection); checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = _int("SELARAS_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "selaras.web.accounts",
    "selaras.web.reference",
    "selaras.web.plans",
    "selaras.web.proposals",
    "selaras.web.selection",
    "selaras.web.alignment",
    "selaras.web.jobs",
    "selaras.web.planning",
    "selaras.web.evaluation",
    "selaras.web.documents",
    "selaras.web.suggestions",
    "selaras.web.public",
    "selaras.web.api",
    "selaras.web.home",
    "selaras.web.demo",
    "ninja",  # its templates and static files: /api/docs without a CDN
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (imports): django-tasks with its database backend, run by `selaras worker`
# (started by `selaras serve`). SELARAS_TASKS_BACKEND=immediate runs a task in the request
# (the default under pytest, so tests stay in one process).
_TASKS_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                   "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
_TASKS_DEFAULT = "immediate" if "pytest" in sys.modules else "database"
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[os.environ.get("SELARAS_TASKS_BACKEND", "") or _TASKS_DEFAULT]}}
#: Address space a worker allows one import (MiB); past it the job fails with a message.
IMPORT_MAX_MEMORY_MB = int(os.environ.get("SELARAS_IMPORT_MAX_MEMORY_MB", "3072"))
#: Background jobs (selaras.web.jobs): address space one job may use in the worker (MiB), and how
#: many jobs one user may have queued or running at once.
JOB_MAX_MEMORY_MB = int(os.environ.get("SELARAS_JOB_MAX_MEMORY_MB", "3072"))
JOBS_PER_USER = int(os.environ.get("SELARAS_JOBS_PER_USER", "3"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "selaras.web.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "selaras.web.errors.middleware.SelarasErrorMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "selaras.web.accounts.backends.UserBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours
AXES_ENABLED = _flag("SELARAS_AXES", True)
# Lock the pair (username, address), not the address: behind an office NAT one person's typos
# must not lock everyone out (P5, issue 13).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "selaras.web.accounts.throttle.client_address"  # proxy-aware
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_COOLOFF_MESSAGE = "Akun terkunci: terlalu banyak percobaan masuk yang gagal. Coba lagi dalam satu jam."

ROOT_URLCONF = "selaras.web.urls"
WSGI_APPLICATION = "selaras.web.wsgi.application"

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
                "selaras.web.accounts.context.role_context",
            ],
            # "|angka" and "|rupiah" on every page without a {% load %}
            "builtins": ["selaras.web.plans.templatetags.selaras_format"],
        },
    },
]

# The interface is written in Bahasa Indonesia only, so the language (and with it number and
# date formats: "Rp 1.250.000", "25-11-2026") does not follow the browser's Accept-Language.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# A number printed bare ("{{ x }}") keeps its plain digits: ids, years and page numbers go into
# links and form values, where "1.234" would be read as something else. A quantity shown to a
# person is grouped explicitly: "{{ n|angka }}", "{{ cost|rupiah }}".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "selaras.web.static_storage.StaticStorage" if STATIC_COLLECTED
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
if not STATIC_COLLECTED:
    # WhiteNoise also looks into STATIC_ROOT and warns when it is missing (warnings fail tests).
    with contextlib.suppress(OSError):  # read-only data directory: the finders serve all anyway
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_COLLECTED

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Upload and import limits (issue 13) ------------------------------------------------------
# An uploaded spreadsheet may be at most SELARAS_IMPORT_MAX_UPLOAD_MB (refused from the request's
# Content-Length before the body is read, and checked again on the file); its sheet at most
# SELARAS_IMPORT_MAX_ROWS data rows (the sheet's size is checked before it is read, see
# formats/upload_limits.py); one user runs at most SELARAS_IMPORT_MAX_JOBS imports at a time.
IMPORT_MAX_UPLOAD_MB = _int("SELARAS_IMPORT_MAX_UPLOAD_MB", 50)
IMPORT_MAX_ROWS = _int("SELARAS_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_JOBS_PER_USER = _int("SELARAS_IMPORT_MAX_JOBS", 1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # form fields of one request, files excluded
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # a larger upload is spooled to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# --- end of upload and import limits ----------------------------------------------------------

# Demo and test accounts are created directly (not through a form) and keep their passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

#: The Content-Security-Policy of every answer (selaras.web.security): only our own files run;
#: no inline script, style or event handler, no other host. `data:` images: Swagger UI's icons.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'none'",
])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_ENGINE = "selaras.web.accounts.sessions"  # Django's database sessions, read in one plain statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if HTTPS:
    # Behind a TLS proxy that sets X-Forwarded-Proto (docs/deploy.md); the proxy redirects http.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _int("SELARAS_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False

# Errors (the traceback of a 500 included) go to the server's standard error, which gunicorn
# and systemd keep; the person who met the error sees only the friendly 500 page.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": os.environ.get("SELARAS_LOG_LEVEL", "ERROR")}},
}
